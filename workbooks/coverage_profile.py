"""Coverage profile workbook: ``coverage-profile.xlsx``.

A map of every centre reach area over the ward boundaries; wards wholly, partly or not covered by
centre reach areas (judged by the share of their people inside centre reach areas where LSOA
populations are known, with the area share beside it), the 0-4
population and need in each class, centre fit quality, SOA-aligned boundary proposals, and which
small-area-to-centre memberships were used with every difference between the given memberships and
a boundary best fit. A figure that cannot be computed is left blank with a note, never shown as 0.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from xl_profile.coverage import CoverageBasis, CoverageClass, WardCoverage
from xl_profile.coverage_need import need_by_class
from xl_profile.models import Level
from xl_profile.profile import ProfileData
from xl_profile.spatial import Spatial

from .common import print_setup, saved_workbook, standard_formats, write_table
from .maps import write_map_sheet

FILE_NAME = "coverage-profile.xlsx"
NEED_COLUMNS = ("NI116", "NI72", "IMD30", "LONE_PARENTS", "CIN")


def write_coverage_profile(profile: ProfileData, spatial: Spatial, out_dir: Path, *,
                           built_on: dt.date | None = None) -> Path:
    """Write ``coverage-profile.xlsx`` into ``out_dir`` and return its path."""
    path = out_dir / FILE_NAME
    title = f"Children's centre coverage profile: {profile.geography.authority.name}"
    with saved_workbook(path, title) as workbook:
        formats = standard_formats(workbook)
        summary = workbook.add_worksheet("Coverage")
        map_sheet = workbook.add_worksheet("Map")
        wards = workbook.add_worksheet("Wards")
        need = workbook.add_worksheet("Need by coverage")
        centres = workbook.add_worksheet("Centres")
        centre_fit = workbook.add_worksheet("Centre fit")
        built_on = built_on or dt.date.today()
        _summary(workbook, summary, profile, spatial, formats, title, built_on)
        write_map_sheet(map_sheet, profile, spatial, formats, year=built_on.year,
                        title=f"Map: {profile.geography.authority.name}")
        _wards(wards, profile, spatial.coverage, formats)
        _need(need, profile, spatial.coverage, formats)
        _centres(centres, profile, spatial, formats)
        _centre_fit(centre_fit, profile, spatial, formats)
    return path


def _note(sheet, row: int, last_col: int, text: str, formats, chars_per_line: int = 90) -> None:
    """A wrapped note across columns A..``last_col`` of ``row``, tall enough to read in print."""
    lines = max(1, -(-len(text) // chars_per_line))
    if last_col:
        sheet.merge_range(row, 0, row, last_col, text, formats["note"])
    else:
        sheet.write_string(row, 0, text, formats["note"])
    sheet.set_row(row, 13 * lines + 2)


def _pop04(profile: ProfileData) -> dict[str, float | None]:
    result = profile.results.get("POP_0_4")
    return {w.code: w.value for w in result.wards} if result else {}


def _class_rule(coverage: list[WardCoverage]) -> str:
    by_area = [w.name for w in coverage if w.basis is CoverageBasis.AREA]
    rule = ("A ward is wholly covered when at least 98% of its people live inside centre reach "
            "areas (people placed by LSOA population), not covered at 2% or less, partly covered "
            "otherwise.")
    if by_area:
        rule += (f" LSOA populations are not known for {len(by_area)} ward(s) "
                 f"({', '.join(by_area[:5])}{' ...' if len(by_area) > 5 else ''}): their class is "
                 f"judged by the share of their area instead.")
    return rule


def _class_rows(coverage: list[WardCoverage], pops: dict[str, float | None]
                ) -> tuple[list[list], list[str]]:
    """Summary rows per class; a class with a ward lacking a 0-4 population gets blanks."""
    unknown = {w.code for w in coverage if pops.get(w.code) is None}
    total = None if unknown else sum(pops[w.code] for w in coverage)
    rows, notes = [], []
    for cls in CoverageClass:
        wards = [w for w in coverage if w.coverage is cls]
        missing = [w.name for w in wards if w.code in unknown]
        pop = None if missing else sum(pops[w.code] for w in wards)
        share = pop / total * 100 if pop is not None and total else None
        rows.append([cls.value.capitalize(), len(wards), pop, share])
        if missing:
            notes.append(f"{cls.value.capitalize()}: children aged 0-4 left blank because "
                         f"{len(missing)} ward(s) have no figure ({', '.join(missing[:5])}).")
    if unknown and not notes:
        notes.append("% of children 0-4 left blank: the authority total is not known.")
    return rows, notes


def _summary(workbook, sheet, profile, spatial: Spatial, formats, title, built_on) -> None:
    pops = _pop04(profile)
    sheet.write_string(0, 0, title, formats["title"])
    _note(sheet, 1, 3, f"Built on {built_on.isoformat()}. {_class_rule(spatial.coverage)}",
          formats, chars_per_line=80)
    rows, blank_notes = _class_rows(spatial.coverage, pops)
    write_table(sheet, 3, 0, ["Coverage", "Wards", "Children aged 0-4", "% of children 0-4"],
                rows, name="T_coverage_summary",
                formats=[None, formats["int"], formats["int"], formats["dec1"]])
    chart = workbook.add_chart({"type": "column"})
    chart.add_series({"name": "Children aged 0-4", "categories": ["Coverage", 4, 0, 6, 0],
                      "values": ["Coverage", 4, 2, 6, 2], "fill": {"color": "#2E75B6"},
                      "data_labels": {"value": True, "num_format": "#,##0"}})
    chart.set_title({"name": "Children aged 0-4 by ward coverage"})
    chart.set_x_axis({"name": "Coverage of the ward by centre reach areas"})
    chart.set_y_axis({"name": "Children aged 0-4", "min": 0})
    chart.set_legend({"none": True})
    sheet.insert_chart(8, 0, chart, {"description": "Column chart of children aged 0-4 living "
                                                    "in wholly, partly and not covered wards."})
    notes = blank_notes + [f"Centre reach areas {a} and {b} overlap by {area:,.0f} m²"
                           for a, b, area in spatial.centre_overlaps] + spatial.repairs
    if spatial.centre_fit is not None:
        notes.append(spatial.centre_fit.summary()[0].upper() + spatial.centre_fit.summary()[1:]
                     + " (see Centre fit).")
    for i, note in enumerate(notes, start=25):
        _note(sheet, i, 3, note, formats, chars_per_line=80)
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 3, 16)
    print_setup(sheet, title, landscape=False)


def _percent(share: float | None) -> float | None:
    return None if share is None else share * 100


def _wards(sheet, profile: ProfileData, coverage: list[WardCoverage], formats) -> None:
    geography = profile.geography
    pops = _pop04(profile)
    columns = [c for c in NEED_COLUMNS if c in profile.results]
    headers = ["Ward", "Cluster", "Coverage", "Judged by", "Population covered %",
               "Area covered %", "Centres", "Children aged 0-4"]
    headers += [f"{profile.results[c].definition.title} ({c})" for c in columns]
    headers += [f"{c}: vs authority" for c in columns]
    rows = []
    for w in sorted(coverage, key=lambda w: (list(CoverageClass).index(w.coverage), w.name)):
        cluster = geography.cluster_of_ward(w.code)
        results = [profile.results[c].area(w.code) for c in columns]
        rows.append([w.name, geography.area(cluster).name if cluster else "", w.coverage.value,
                     f"{w.basis.value} share", _percent(w.population_share),
                     _percent(w.area_share),
                     ", ".join(geography.area(c).name for c in w.centres), pops.get(w.code)]
                    + [r.value if r else None for r in results]
                    + [f"{r.comparison.symbol} {r.comparison.label}" if r else "" for r in results])
    fmts = [None, None, None, None, formats["dec1"], formats["dec1"], formats["wrap"],
            formats["int"]]
    fmts += [formats["dec1"]] * len(columns) + [None] * len(columns)
    sheet.write_string(0, 0, "Wards by coverage, with need", formats["title"])
    sheet.write_string(1, 0, "The class follows the population share where LSOA populations are "
                             "known (\"Judged by\"); the area share is shown beside it. A blank "
                             "cell is a figure that is not known, not a zero.",
                       formats["note_line"])
    write_table(sheet, 2, 0, headers, rows, name="T_ward_coverage", formats=fmts)
    sheet.set_row(2, 40, formats["wrap"])
    sheet.set_column(0, 1, 16)
    sheet.set_column(2, 3, 15)
    sheet.set_column(4, 5, 11)
    sheet.set_column(6, 6, 52)
    sheet.set_column(7, len(headers), 13)
    sheet.freeze_panes(3, 1)
    print_setup(sheet, "Wards by coverage", repeat_rows=(2, 2))


def _need(sheet, profile: ProfileData, coverage: list[WardCoverage], formats) -> None:
    classes = list(CoverageClass)
    headers = ["Section", "Indicator", "Period"]
    for cls in classes:
        headers += [cls.value.capitalize(), f"{cls.value.capitalize()}: 95% limits"]
    headers += ["Authority"]
    rows = []
    for result, by_class in need_by_class(profile, coverage):
        row = [result.definition.section.value, result.definition.title, result.period]
        for cls in classes:
            v = by_class[cls]
            row += [v.value, f"{v.lower95:.1f} to {v.upper95:.1f}" if v.lower95 is not None
                    else ""]
        rows.append(row + [result.authority.value])
    sheet.write_string(0, 0, "Need in wholly, partly and not covered wards", formats["title"])
    sheet.write_string(1, 0, "Counts are summed over the wards of each class; a class with a "
                             "suppressed or missing ward is left blank.", formats["note_line"])
    fmts = [None, None, None] + [formats["dec1"], None] * len(classes) + [formats["dec1"]]
    write_table(sheet, 3, 0, headers, rows, name="T_need_by_coverage", formats=fmts)
    sheet.set_row(3, 30, formats["wrap"])
    sheet.set_column(0, 0, 20)
    sheet.set_column(1, 1, 40)
    sheet.set_column(2, len(headers), 14)
    sheet.freeze_panes(4, 2)
    print_setup(sheet, "Need by coverage", repeat_rows=(3, 3))


def _centre_counts(profile: ProfileData) -> dict[str, int]:
    """Small areas per centre in the memberships the profile used."""
    centres = {c.code for c in profile.geography.at_level(Level.CENTRE)}
    counts: dict[str, int] = {}
    for m in profile.geography.memberships:
        if m.parent in centres:
            counts[m.parent] = counts.get(m.parent, 0) + 1
    return counts


def _centres(sheet, profile: ProfileData, spatial: Spatial, formats) -> None:
    geography = profile.geography
    quality = spatial.fit_quality()
    counts = _centre_counts(profile)
    proposals = {p.centre: p for p in spatial.proposals}
    rows = []
    for centre in geography.at_level(Level.CENTRE):
        prop = proposals.get(centre.code)
        rows.append([centre.name, geography.area(centre.parent).name if centre.parent else "",
                     counts.get(centre.code, 0), _percent(quality.get(centre.code)),
                     len(prop.small_areas) if prop else None,
                     prop.population_now if prop else None,
                     prop.population_gained if prop else None,
                     prop.population_lost if prop else None])
    headers = ["Centre", "Cluster", "Small areas in the centre", "Fit quality %",
               "Small areas in an SOA-aligned boundary", "Population now",
               "Population gained if aligned", "Population lost if aligned"]
    sheet.write_string(0, 0, "Centre best fit and SOA-aligned boundaries", formats["title"])
    sheet.write_string(1, 0, "Fit quality: the share of a centre's people living in the small "
                             "areas it is made of. Blank: not known (no LSOA population).",
                       formats["note_line"])
    write_table(sheet, 2, 0, headers, rows, name="T_centre_fit",
                formats=[None, None, formats["int"], formats["dec1"], formats["int"],
                         formats["int"], formats["int"], formats["int"]])
    sheet.set_row(2, 30, formats["wrap"])
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 7, 14)
    print_setup(sheet, "Centre best fit")


def _side(geography, side: tuple[tuple[str, float], ...]) -> str:
    names = geography.by_code
    return ", ".join(f"{names[c].name if c in names else c} ({share:.0%})"
                     for c, share in side) or "no centre"


def _centre_fit(sheet, profile: ProfileData, spatial: Spatial, formats) -> None:
    """Which memberships make up the centres, and every small area the two sources differ on."""
    geography, decision = profile.geography, spatial.centre_fit
    sheet.write_string(0, 0, "Centre fit: given memberships and boundary best fit",
                       formats["title"])
    summary = decision.summary() if decision else "centre fit not recorded"
    _note(sheet, 1, 3, summary[0].upper() + summary[1:] + ".", formats)
    _note(sheet, 2, 3, "Set centre_fit: boundaries or centre_fit: memberships in the build file to "
                       "choose; auto uses the boundaries when the geography has them.", formats)
    rows = [[d.small_area, _side(geography, d.given), _side(geography, d.fitted), d.population]
            for d in (decision.differences if decision else [])]
    write_table(sheet, 4, 0, ["Small area", "Centre(s) in memberships.csv (share)",
                              "Centre(s) by boundary best fit (share)", "Population"],
                rows, name="T_centre_fit_differences",
                formats=[None, formats["wrap"], formats["wrap"], formats["int"]])
    if not rows:
        compared = decision is not None and decision.given_count and decision.fitted_count
        sheet.write_string(5, 0, "No differences." if compared else
                           "Not compared: memberships.csv places no small area in a centre.",
                           formats["note_line"])
    sheet.set_row(4, 30, formats["wrap"])
    sheet.set_column(0, 0, 14)
    sheet.set_column(1, 2, 36)
    sheet.set_column(3, 3, 12)
    print_setup(sheet, "Centre fit", repeat_rows=(4, 4))
