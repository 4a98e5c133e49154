"""Synthetic indicator values for the demo borough, written as published spreadsheets give them.

Need follows deprivation. Like real data the rows mix years and levels, leave a few wards out,
carry suppression markers (``*``, ``x``, ``c``, ``..``, ``-``, ``<5``) for small counts and notes
such as "unreliable" or "estimated".
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ..catalogue import load_catalogue
from ..models import Geography, IndicatorDefinition, Level, PeriodType, Unit

ENGLAND = "E92000001"
MARKERS = ("*", "x", "c", "..", "-", "<5")

#: id -> (denominator base, multiple of the base, value at least deprived, value at most deprived).
#: Bases: pop04 (children 0-4), births, hh (households with children), pop (all), f1544 (women
#: 15-44), u18 (children 0-17), f1517 (women 15-17), reception, lsoa (small areas).
SPECS: dict[str, tuple[str, float, float, float]] = {
    "NI53": ("births", 1.0, 0.78, 0.52), "NI55": ("reception", 1.0, 0.07, 0.15),
    "LBW": ("births", 1.0, 0.055, 0.095), "IMM_MMR2": ("births", 1.0, 0.86, 0.74),
    "INF_MORT": ("births", 3.0, 0.0035, 0.0065), "AE_0_4": ("pop04", 1.0, 0.30, 0.55),
    "NI70": ("u18", 1.0, 0.008, 0.016), "CIN": ("pop04", 1.0, 0.015, 0.06),
    "CPP": ("pop04", 1.0, 0.002, 0.012), "NI72": ("reception", 1.0, 0.62, 0.38),
    "FEE_3_4": ("pop04", 0.4, 0.95, 0.78), "SAT": ("pop04", 0.2, 0.88, 0.80),
    "CC_REG": ("pop04", 1.0, 0.55, 0.85), "NI116": ("pop04", 1.0, 0.06, 0.48),
    "NI118": ("hh", 0.25, 0.22, 0.12), "WORKLESS": ("hh", 1.0, 0.06, 0.38),
    "IDACI30": ("lsoa", 1.0, 0.0, 1.0), "IMD30": ("lsoa", 1.0, 0.0, 1.0),
    "BME_0_4": ("pop04", 1.0, 0.30, 0.70), "GFR": ("f1544", 1.0, 0.045, 0.075),
    "LONE_PARENTS": ("hh", 1.0, 0.18, 0.48), "DLA_0_4": ("pop04", 1.0, 0.006, 0.016),
    "TEEN_MOTHERS": ("births", 1.0, 0.01, 0.07), "U18_CONC": ("f1517", 1.0, 0.025, 0.06),
    "EAL": ("reception", 1.0, 0.35, 0.70), "TEMP_ACC": ("hh", 1.0, 0.01, 0.08),
    "REACH_ALL": ("pop04", 1.0, 0.45, 0.80), "REACH_TEEN": ("pop04", 0.03, 0.40, 0.75),
    "REACH_LONE": ("hh", 0.3, 0.35, 0.70), "REACH_WORKLESS": ("pop04", 0.3, 0.30, 0.65),
    "REACH_BME": ("pop04", 0.5, 0.40, 0.75), "REACH_DISABLED": ("pop04", 0.02, 0.30, 0.60),
    "REACH_DISPARENT": ("pop04", 0.03, 0.20, 0.45), "REACH_FATHERS": ("pop04", 0.6, 0.15, 0.30),
}
#: Indicators whose centre figures the build computes from the centre extract (same calculation
#: as the reach report); the tidy file carries only their England benchmark.
FROM_EXTRACT = {i for i in SPECS if i.startswith("REACH_")}
#: Indicators whose latest data is a year older than the rest, as in real profiles.
OLDER = {"NI53", "NI118", "EAL"}
#: Indicators with authority figures for earlier years (change in the proportion a year), so
#: the recent trend can be shown: rising good development, falling worklessness, flat obesity.
HISTORY = {"NI72": 0.025, "NI116": -0.012, "NI55": 0.0, "NI53": 0.015}
#: Wards (by position) left out of some ward-level indicators.
GAPS = {"NI53": (3, 11), "NI118": (7,), "TEMP_ACC": (14,)}


def _bases(pop: float, pop04: float) -> dict[str, float]:
    births = pop04 / 4.6
    return {"pop04": pop04, "births": births, "hh": pop04 * 0.85, "pop": pop,
            "f1544": pop * 0.24, "u18": pop * 0.19, "f1517": pop * 0.018,
            "reception": births * 0.95, "lsoa": 1.0}


def _period(definition: IndicatorDefinition, older: bool) -> str:
    year = 2006 if older else 2007
    return {PeriodType.CALENDAR_YEAR: str(year), PeriodType.CENSUS: "2001",
            PeriodType.FINANCIAL_YEAR: f"{year}/{(year + 1) % 100:02d}",
            PeriodType.ACADEMIC_YEAR: f"{year}/{(year + 1) % 100:02d}",
            PeriodType.QUARTER: f"{year} Q4", PeriodType.MONTH: f"{year + 1}-03"}[
        definition.period_type]


def _row(d: IndicatorDefinition, code: str, level: Level, period: str, num, den, value="",
         note="", data_date: str | None = None) -> dict[str, str]:
    return {"indicator_id": d.id, "area_code": code, "period": period,
            "numerator": "" if num is None else str(num),
            "denominator": "" if den is None else str(den), "value": value, "note": note,
            "source": d.source, "data_date": data_date or _data_date(period),
            "level": level.value}


def _data_date(period: str) -> str:
    """When data for a period was dated: the March after a financial or academic year."""
    year = int(period[:4])
    return f"{year + 1}-03" if "/" in period else f"{year}-12"


def _areas_at(geography: Geography, level: Level, deprivation: Mapping[str, float],
              pops: Mapping[str, int]) -> list[tuple[str, float, float, float]]:
    """(code, deprivation, population, population 0-4) of every area at ``level``."""
    lsoas = geography.at_level(Level.LSOA)
    if level is Level.LSOA:
        return [(a.code, deprivation[a.code], a.population or 0, pops[a.code]) for a in lsoas]
    groups: dict[str, list] = {}
    if level is Level.WARD:
        for a in lsoas:
            groups.setdefault(a.parent, []).append(a)
    elif level is Level.CENTRE:
        for c in geography.at_level(Level.CENTRE):
            groups[c.code] = [geography.by_code[m.child] for m in geography.members_of(c.code)]
    else:
        groups[geography.authority.code] = lsoas
    out = []
    for code, members in groups.items():
        pop04 = sum(pops[a.code] for a in members)
        if members:
            dep = sum(deprivation[a.code] * pops[a.code] for a in members) / pop04
            out.append((code, dep, sum(a.population or 0 for a in members), pop04))
    return out


def _counts(d: IndicatorDefinition, dep: float, pop: float, pop04: float,
            rng: np.random.Generator) -> tuple[int, int]:
    base, mult, low, high = SPECS[d.id]
    if base == "lsoa":  # deprivation rank share: in the most deprived 30% or not
        return int(dep + rng.normal(0, 0.05) > 0.55), 1
    den = max(1, int(round(_bases(pop, pop04)[base] * mult)))
    p = float(np.clip(low + (high - low) * dep + rng.normal(0, 0.02 * abs(high - low) + 0.002),
                      0.0005, 0.999))
    return int(rng.binomial(den, p)), den


def _indicator(d: IndicatorDefinition, geography: Geography, deprivation, pops,
               rng: np.random.Generator) -> list[dict[str, str]]:
    level = d.native_level
    period = _period(d, d.id in OLDER)
    rows = []
    ward_codes = [w.code for w in geography.at_level(Level.WARD)]
    true_counts: list[tuple[int, int]] = []
    incomplete = False
    for code, dep, pop, pop04 in _areas_at(geography, level, deprivation, pops):
        if level is Level.WARD and ward_codes.index(code) in GAPS.get(d.id, ()):
            incomplete = True
            true_counts.append(_counts(d, dep, pop, pop04, np.random.default_rng(len(rows))))
            continue
        rows.append(_value_row(d, code, level, period, dep, pop, pop04, rng, true_counts))
        incomplete = incomplete or rows[-1]["note"] == "" and rows[-1]["value"] in MARKERS
    if d.id in SPECS and d.unit is not Unit.SCORE:
        rows.append(_england(d, period, rng))
    if d.id in FROM_EXTRACT:  # centre figures come from the demo's extract; England stays
        rows = [r for r in rows if r["level"] == Level.ENGLAND.value]
    if d.id in HISTORY:
        rows += _history(d, geography, rows, HISTORY[d.id], rng)
    if incomplete and level in (Level.LSOA, Level.WARD) and d.summable:
        # Published spreadsheets carry the authority's own total, counted before suppression.
        num, den = (sum(c[i] for c in true_counts) for i in (0, 1))
        value = f"{num / den * d.multiplier:.1f}" if d.unit is not Unit.COUNT else ""
        rows.append(_row(d, geography.authority.code, Level.AUTHORITY, period, num, den, value))
    return rows


def _history(d: IndicatorDefinition, geography: Geography, latest: list[dict[str, str]],
             yearly_change: float, rng: np.random.Generator) -> list[dict[str, str]]:
    """Authority rows for the four years before the latest, drifting by ``yearly_change``."""
    own = [r for r in latest if r["level"] != Level.ENGLAND.value and r["numerator"].isdigit()]
    num = sum(int(r["numerator"]) for r in own)
    den = sum(int(r["denominator"]) for r in own)
    first_year = int(own[0]["period"][:4])
    rows = []
    for back in range(4, 0, -1):
        year = first_year - back
        period = f"{year}/{(year + 1) % 100:02d}" if "/" in own[0]["period"] else str(year)
        d_den = int(den * (1 - 0.02 * back))
        share = max(0.001, num / den - yearly_change * back + rng.normal(0, 0.002))
        n = int(round(d_den * share))
        rows.append(_row(d, geography.authority.code, Level.AUTHORITY, period, n, d_den,
                         value=f"{n / d_den * d.multiplier:.1f}"))
    return rows


def _value_row(d, code, level, period, dep, pop, pop04, rng,
               true_counts: list[tuple[int, int]]) -> dict[str, str]:
    if d.id == "POP_0_4":
        return _row(d, code, level, period, pop04, None)
    if d.id == "POP_0_4_PROJ":
        # A projection for 2013 made from the latest estimates, so dated like them.
        return _row(d, code, level, "2013", int(pop04 * rng.uniform(1.02, 1.12)), None,
                    note="estimated", data_date=_data_date(period))
    if d.id == "BIRTHS":
        return _row(d, code, level, period, int(rng.poisson(pop04 / 4.6)), None)
    if d.id == "IMD_SCORE":
        return _row(d, code, level, period, None, None, value=f"{8 + 55 * dep:.2f}")
    if d.id == "NI92":
        return _row(d, code, level, period, None, None, value=f"{30 + 12 * dep:.1f}")
    num, den = _counts(d, dep, pop, pop04, rng)
    true_counts.append((num, den))
    if d.disclosure_control and 0 < num < 5 and level is not Level.AUTHORITY:
        marker = MARKERS[int(rng.integers(0, len(MARKERS)))]
        return _row(d, code, level, period, marker, den, value=marker)
    value = f"{num / den * d.multiplier:.1f}" if d.unit is not Unit.COUNT else ""
    note = "unreliable" if d.id == "NI53" and rng.random() < 0.15 else ""
    return _row(d, code, level, period, num, den, value=value, note=note)


def _england(d: IndicatorDefinition, period: str, rng: np.random.Generator) -> dict[str, str]:
    base, mult, low, high = SPECS[d.id]
    den = 600_000 if base != "lsoa" else 32_482
    p = low + (high - low) * (0.3 if base == "lsoa" else 0.45)
    num = int(round(den * p))
    return _row(d, ENGLAND, Level.ENGLAND, period, num, den,
                value=f"{num / den * d.multiplier:.1f}")


def indicator_rows(geography: Geography, deprivation: Mapping[str, float],
                   pops: Mapping[str, int], rng: np.random.Generator) -> list[dict[str, str]]:
    """Tidy rows for every catalogue indicator at its native level."""
    rows: list[dict[str, str]] = []
    for definition in load_catalogue():
        rows += _indicator(definition, geography, deprivation, pops, rng)
    return rows
