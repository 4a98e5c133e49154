"""Part B of the form: the centre's figures beside its cluster, the authority and England.

Built from the same computed profile the cluster profiles use. A figure is shown only where the
profile may show it; an estimate says so; a withheld figure is left blank with the reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..models import Section
from ..profile import AreaResult, IndicatorResult, ProfileData

COLUMNS = ("Code", "Section", "Figure", "Period", "Centre", "Lower 95%", "Upper 95%",
           "Compared with authority", "Cluster", "Authority", "England", "Last year", "Notes",
           "Source", "Data date")
#: Index of the centre's value and of last year's value within a row.
CENTRE_COLUMN = COLUMNS.index("Centre")
LAST_YEAR_COLUMN = COLUMNS.index("Last year")
REACH_SECTION = "Reach (12 months)"
VOLUME_SECTION = "Volume (12 months)"
#: Volume measures from the reach results: key, label.
VOLUME_MEASURES = (("attendances", "Attendances"), ("children_seen", "Children seen"),
                   ("families_seen", "Families seen"))

Cell = str | float | None


@dataclass(frozen=True)
class Volume:
    """A centre's volume over 12 months from the reach results, and where it came from."""

    counts: Mapping[str, int]
    source: str
    data_date: str


def figure_rows(profile: ProfileData, centre: str, *, volume: Volume | None = None,
                last_year: Mapping[str, float] | None = None,
                threshold: int = 5) -> list[tuple[Cell, ...]]:
    """Every row of part B for ``centre``: indicators, reach, then volume."""
    last_year = last_year or {}
    rows = []
    for result in profile.in_section_order():
        row = _indicator_row(result, centre, profile)
        if row is not None:
            rows.append(_with_last_year(row, last_year))
    if volume is not None:
        rows.extend(_with_last_year(r, last_year) for r in _volume_rows(volume, threshold))
    return rows


def _with_last_year(row: tuple[Cell, ...], last_year: Mapping[str, float]) -> tuple[Cell, ...]:
    value = last_year.get(str(row[0]))
    return row[:LAST_YEAR_COLUMN] + (value,) + row[LAST_YEAR_COLUMN + 1:]


def _indicator_row(result: IndicatorResult, centre: str,
                   profile: ProfileData) -> tuple[Cell, ...] | None:
    own = next((a for a in result.centres if a.code == centre), None)
    if own is None:
        return None
    definition = result.definition
    reach = definition.section is Section.ACCESS_REACH
    cluster_code = profile.geography.area(centre).parent
    cluster = next((a for a in result.clusters if a.code == cluster_code), None)
    areas = [("Centre", own), ("Cluster", cluster), ("Authority", result.authority),
             ("England", result.england)]
    figure = definition.title
    if reach and own.shown and own.numerator is not None and own.denominator is not None:
        figure = f"{figure} ({own.numerator:,.0f} of {own.denominator:,.0f})"
    shown = own.shown
    return (definition.id, REACH_SECTION if reach else definition.section.value, figure,
            result.period, _value(own), own.lower95 if shown else None,
            own.upper95 if shown else None, _comparison(own), _value(cluster),
            _value(result.authority), _value(result.england), None, _notes(areas),
            "; ".join(result.sources) or definition.source, "; ".join(result.data_dates))


def _value(area: AreaResult | None) -> float | None:
    return area.value if area is not None and area.shown else None


def _comparison(area: AreaResult) -> str:
    return area.comparison.value if area.comparable else "not compared"


def _notes(areas: list[tuple[str, AreaResult | None]]) -> str:
    notes = []
    for label, area in areas:
        if area is None:
            continue
        if not area.shown:
            notes.append(f"{label} withheld: {_reason(area.basis, 'withheld:')}")
        elif area.estimated:
            notes.append(f"{label} estimated: {_reason(area.basis, 'estimate:')}")
    return "; ".join(notes)


def _reason(basis: str, prefix: str) -> str:
    """The basis without its leading word, which the note already says."""
    basis = basis.strip() or "no figure for this area"
    return basis[len(prefix):].strip() if basis.lower().startswith(prefix) else basis


def _volume_rows(volume: Volume, threshold: int) -> list[tuple[Cell, ...]]:
    rows = []
    for key, label in VOLUME_MEASURES:
        count = volume.counts.get(key)
        hidden = count is not None and 0 < count < threshold
        note = f"withheld: fewer than {threshold}" if hidden else ""
        rows.append((f"VOLUME_{key.upper()}", VOLUME_SECTION, label, "12 months",
                     None if hidden else count, None, None, "not compared", None, None, None,
                     None, note, volume.source, volume.data_date))
    return rows


def last_year_values(rows: list[tuple[Cell, ...]]) -> dict[str, float]:
    """The centre's figures of a form read back, by code, to print as next year's 'Last year'."""
    out = {}
    for row in rows:
        if len(row) > CENTRE_COLUMN and isinstance(row[CENTRE_COLUMN], (int, float)) \
                and not isinstance(row[CENTRE_COLUMN], bool) and row[0]:
            out[str(row[0])] = float(row[CENTRE_COLUMN])
    return out
