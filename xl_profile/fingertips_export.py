"""A built profile's values in Fingertips' CSV layout (see :mod:`xl_profile.fingertips`).

One row per indicator and area at every level the profile holds: England, the authority, its
clusters, centres and wards, with the 95% and 99.8% limits, count, denominator, the value note
(estimated, withheld, suppressed...) in words, the authority's recent trend and each area's
comparison with England. Indicator ID is the catalogue id. Numbers are written in full
(Python's shortest exact form), so reading the file back gives the same values.
"""

from __future__ import annotations

from .compare import Comparison
from .fingertips import AREA_TYPES, NOTE_TEXT
from .models import Geography, Level
from .profile import AreaResult, IndicatorResult, ProfileData


def export_rows(profile: ProfileData) -> list[dict[str, str]]:
    """Every value of the profile as Fingertips CSV rows (dicts keyed by column name)."""
    rows: list[dict[str, str]] = []
    for result in profile.results.values():
        areas = [a for a in (result.england, result.authority) if a is not None]
        areas += [*result.clusters, *result.centres, *result.wards]
        rows += [_row(result, area, profile.geography) for area in areas]
    return rows


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _parent(area: AreaResult, geography: Geography) -> tuple[str, str]:
    if area.level is Level.ENGLAND:
        return "", ""
    if area.level is Level.AUTHORITY:
        return "E92000001", "England"
    known = geography.by_code.get(area.code)
    parent = geography.by_code.get(known.parent) if known is not None and known.parent else None
    if parent is None:
        parent = geography.authority
    return parent.code, parent.name


def _row(result: IndicatorResult, area: AreaResult, geography: Geography) -> dict[str, str]:
    definition = result.definition
    parent_code, parent_name = _parent(area, geography)
    compared = "" if area.level is Level.ENGLAND or area.comparison is Comparison.NOT_COMPARED \
        else area.comparison.value.capitalize()
    return {
        "Indicator ID": definition.id, "Indicator Name": definition.title,
        "Parent Code": parent_code, "Parent Name": parent_name, "Area Code": area.code,
        "Area Name": area.name, "Area Type": AREA_TYPES[area.level], "Sex": "Persons",
        "Age": "", "Category Type": "", "Category": "", "Time period": result.period,
        "Value": _number(area.value), "Lower CI 95.0 limit": _number(area.lower95),
        "Upper CI 95.0 limit": _number(area.upper95),
        "Lower CI 99.8 limit": _number(area.lower998),
        "Upper CI 99.8 limit": _number(area.upper998), "Count": _number(area.numerator),
        "Denominator": _number(area.denominator),
        "Value note": NOTE_TEXT.get(area.note, "") if area.note else "",
        "Recent Trend": result.trend.label if area.level is Level.AUTHORITY else "",
        "Compared to England value or percentiles": compared,
        "Compared to Region value or percentiles": "",
        "Time period Sortable": f"{result.period[:4]}0000", "New data": "",
        "Compared to goal": ""}
