"""The profile's reach indicators (REACH_ALL, REACH_TEEN, ...) from the reach calculation.

One number for one thing: a centre's reach in the profile is the reach report's 12-month figure —
the same children reached, over the same reach-area population, for the same window ending on the
as-of date. Where the report withholds a % (population missing or incomplete) the profile has no
value either; where more were reached than the population estimate the value is marked unreliable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd

from ..models import Geography, IndicatorValue, Level, Provenance, ValueNote
from .measures import ReachResults, window

#: Profile indicator -> reach target group (keys of ``measures.GROUPS``).
REACH_INDICATORS: dict[str, str] = {
    "REACH_ALL": "all", "REACH_TEEN": "teenage_parents", "REACH_LONE": "lone_parents",
    "REACH_WORKLESS": "workless", "REACH_BME": "bme", "REACH_DISABLED": "disabled_children",
    "REACH_DISPARENT": "disabled_parents", "REACH_FATHERS": "fathers",
}
SOURCE = "Children's centre database extract"


def reach_period(as_of: dt.date) -> str:
    """The label of the 12 months ending ``as_of``: a financial year when it ends on 31 March
    (``2007/08``), else its first and last days (``2007-03-01 to 2008-02-29``), so that a
    period still starts with its first year."""
    if (as_of.month, as_of.day) == (3, 31):
        return f"{as_of.year - 1}/{as_of.year % 100:02d}"
    start, end = window(as_of, 12)
    return f"{start.date().isoformat()} to {end.date().isoformat()}"


def reach_indicator_values(results: ReachResults, geography: Geography) -> list[IndicatorValue]:
    """One value per reach indicator and centre of the geography: numerator = reached in the
    12 months to ``results.as_of``, denominator = the reach-area population the report uses."""
    groups = results.target_groups.set_index(["centre", "group"])
    period = reach_period(results.as_of)
    provenance = Provenance(source=SOURCE, data_date=results.as_of.isoformat(),
                            level=Level.CENTRE)
    values = []
    for indicator, group in REACH_INDICATORS.items():
        for centre in geography.at_level(Level.CENTRE):
            if (centre.code, group) not in groups.index:
                continue
            row = groups.loc[(centre.code, group)]
            values.append(_value(indicator, centre.code, period, float(row["reached"]),
                                 _number(row["population"]), provenance))
    return values


def _value(indicator: str, code: str, period: str, reached: float, population: float | None,
           provenance: Provenance) -> IndicatorValue:
    if not population:
        return IndicatorValue(indicator_id=indicator, area_code=code, period=period,
                              numerator=reached, note=ValueNote.MISSING, provenance=provenance)
    return IndicatorValue(indicator_id=indicator, area_code=code, period=period,
                          numerator=reached, denominator=population,
                          value=reached / population * 100,
                          note=ValueNote.UNRELIABLE if reached > population else None,
                          provenance=provenance)


def _number(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def replace_tidy_reach(values: Iterable[IndicatorValue], reach: list[IndicatorValue],
                       period: str, geography: Geography
                       ) -> tuple[list[IndicatorValue], list[IndicatorValue]]:
    """The tidy values with reach indicators taken from the extract; and the tidy rows replaced.

    Rows of the same period for areas outside the geography (England, a region) are kept: the
    extract cannot give a national benchmark.
    """
    kept, replaced = [], []
    for v in values:
        if v.indicator_id not in REACH_INDICATORS:
            kept.append(v)
        elif v.period == period and v.area_code not in geography.by_code:
            kept.append(v)
        else:
            replaced.append(v)
    return kept + reach, replaced
