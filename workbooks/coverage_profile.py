"""Coverage profile workbook: ``coverage-profile.xlsx``.

Wards wholly, partly or not covered by centre reach areas, the 0-4 population and need in each
class, centre fit quality and SOA-aligned boundary proposals.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from xl_profile.coverage import CoverageClass, WardCoverage
from xl_profile.coverage_need import need_by_class
from xl_profile.models import Level
from xl_profile.profile import ProfileData
from xl_profile.spatial import Spatial

from .common import print_setup, saved_workbook, standard_formats, write_table

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
        wards = workbook.add_worksheet("Wards")
        need = workbook.add_worksheet("Need by coverage")
        centres = workbook.add_worksheet("Centres")
        _summary(workbook, summary, profile, spatial, formats, title, built_on or dt.date.today())
        _wards(wards, profile, spatial.coverage, formats)
        _need(need, profile, spatial.coverage, formats)
        _centres(centres, profile, spatial, formats)
    return path


def _pop04(profile: ProfileData) -> dict[str, float | None]:
    result = profile.results.get("POP_0_4")
    return {w.code: w.value for w in result.wards} if result else {}


def _summary(workbook, sheet, profile, spatial: Spatial, formats, title, built_on) -> None:
    pops = _pop04(profile)
    sheet.write_string(0, 0, title, formats["title"])
    sheet.write_string(1, 0, f"Built on {built_on.isoformat()}. A ward is wholly covered when "
                             "centre reach areas cover at least 98% of its area, not covered at "
                             "2% or less.", formats["note_line"])
    total = sum(v or 0 for v in pops.values())
    rows = []
    for cls in CoverageClass:
        wards = [w for w in spatial.coverage if w.coverage is cls]
        pop = sum(pops.get(w.code) or 0 for w in wards)
        rows.append([cls.value.capitalize(), len(wards), pop, pop / total * 100 if total else None])
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
    notes = [f"Centre reach areas {a} and {b} overlap by {area:,.0f} m²"
             for a, b, area in spatial.centre_overlaps] + spatial.repairs
    for i, note in enumerate(notes, start=25):
        sheet.write_string(i, 0, note, formats["note_line"])
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 3, 16)
    print_setup(sheet, title, landscape=False)


def _wards(sheet, profile: ProfileData, coverage: list[WardCoverage], formats) -> None:
    geography = profile.geography
    pops = _pop04(profile)
    columns = [c for c in NEED_COLUMNS if c in profile.results]
    headers = ["Ward", "Cluster", "Coverage", "Area covered %", "Population covered %",
               "Centres", "Children aged 0-4"]
    headers += [f"{profile.results[c].definition.title} ({c})" for c in columns]
    headers += [f"{c}: vs authority" for c in columns]
    rows = []
    for w in sorted(coverage, key=lambda w: (list(CoverageClass).index(w.coverage), w.name)):
        cluster = geography.cluster_of_ward(w.code)
        results = [profile.results[c].area(w.code) for c in columns]
        rows.append([w.name, geography.area(cluster).name if cluster else "", w.coverage.value,
                     w.area_share * 100, w.population_share * 100,
                     ", ".join(geography.area(c).name for c in w.centres), pops.get(w.code)]
                    + [r.value if r else None for r in results]
                    + [f"{r.comparison.symbol} {r.comparison.label}" if r else "" for r in results])
    fmts = [None, None, None, formats["dec1"], formats["dec1"], formats["wrap"], formats["int"]]
    fmts += [formats["dec1"]] * len(columns) + [None] * len(columns)
    sheet.write_string(0, 0, "Wards by coverage, with need", formats["title"])
    write_table(sheet, 2, 0, headers, rows, name="T_ward_coverage", formats=fmts)
    sheet.set_row(2, 40, formats["wrap"])
    sheet.set_column(0, 1, 16)
    sheet.set_column(2, 2, 15)
    sheet.set_column(3, 4, 11)
    sheet.set_column(5, 5, 40)
    sheet.set_column(6, len(headers), 13)
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


def _centres(sheet, profile: ProfileData, spatial: Spatial, formats) -> None:
    geography = profile.geography
    fits = {t.code: t for t in spatial.fit.targets}
    proposals = {p.centre: p for p in spatial.proposals}
    rows = []
    for centre in geography.at_level(Level.CENTRE):
        fit, prop = fits.get(centre.code), proposals.get(centre.code)
        rows.append([centre.name, geography.area(centre.parent).name if centre.parent else "",
                     fit.small_areas if fit else None,
                     fit.quality * 100 if fit and fit.quality is not None else None,
                     len(prop.small_areas) if prop else None,
                     prop.population_now if prop else None, prop.population_gained if prop else None,
                     prop.population_lost if prop else None])
    headers = ["Centre", "Cluster", "Small areas best-fitted", "Fit quality %",
               "Small areas in an SOA-aligned boundary", "Population now",
               "Population gained if aligned", "Population lost if aligned"]
    sheet.write_string(0, 0, "Centre best fit and SOA-aligned boundaries", formats["title"])
    write_table(sheet, 2, 0, headers, rows, name="T_centre_fit",
                formats=[None, None, formats["int"], formats["dec1"], formats["int"],
                         formats["int"], formats["int"], formats["int"]])
    sheet.set_row(2, 30, formats["wrap"])
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 7, 14)
    print_setup(sheet, "Centre best fit")
