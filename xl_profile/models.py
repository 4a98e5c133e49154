"""Core data model: geography, indicator definitions and indicator values.

All models are pydantic v2, frozen and ``extra="forbid"`` so a typo in a template or a data file is
an error rather than a silently ignored field.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable
from enum import StrEnum
from functools import cached_property
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .errors import UnknownNameError

T = TypeVar("T")
K = TypeVar("K")


class Frozen(BaseModel):
    """Base for every model: immutable and strict about unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Level(StrEnum):
    """Geographic level of an area, from largest to smallest."""

    ENGLAND = "england"
    REGION = "region"
    AUTHORITY = "authority"
    CLUSTER = "cluster"
    CENTRE = "centre"
    WARD = "ward"
    LSOA = "lsoa"
    OA = "oa"


class Section(StrEnum):
    """Profile section: the five Every Child Matters outcomes plus three context sections."""

    BE_HEALTHY = "Be healthy"
    STAY_SAFE = "Stay safe"
    ENJOY_AND_ACHIEVE = "Enjoy and achieve"
    POSITIVE_CONTRIBUTION = "Positive contribution"
    ECONOMIC_WELL_BEING = "Economic well-being"
    DEMOGRAPHICS = "Demographics"
    VULNERABLE_GROUPS = "Vulnerable groups"
    ACCESS_REACH = "Access/reach"


class Unit(StrEnum):
    """What an indicator value measures."""

    PERCENTAGE = "percentage"
    RATE = "rate"
    COUNT = "count"
    SCORE = "score"
    RATIO = "ratio"


class Polarity(StrEnum):
    """Which direction is good, for benchmark comparison."""

    HIGH_IS_GOOD = "high is good"
    LOW_IS_GOOD = "low is good"
    NO_JUDGEMENT = "no judgement"


class CIMethod(StrEnum):
    """Confidence interval method (PHEindicatormethods names in brackets)."""

    WILSON = "wilson"  # proportions (phe_proportion)
    BYAR = "byar"  # counts: Byar's approximation, the exact limits below 10 (as PHE)
    RATE = "rate"  # crude rates: exact Poisson below 10 events, Byar otherwise (phe_rate)
    NONE = "none"


class PeriodType(StrEnum):
    """How an indicator's period is written in the tidy data."""

    CALENDAR_YEAR = "calendar year"  # 2008
    FINANCIAL_YEAR = "financial year"  # 2008/09
    ACADEMIC_YEAR = "academic year"  # 2008/09
    CENSUS = "census"  # 2001
    QUARTER = "quarter"  # 2008 Q1
    MONTH = "month"  # 2008-04


class ValueNote(StrEnum):
    """Qualifier carried with a value."""

    ESTIMATED = "estimated"
    SUPPRESSED = "suppressed"
    AGGREGATED = "aggregated"
    SYNTHETIC = "synthetic"
    UNRELIABLE = "unreliable"
    MISSING = "missing"
    #: A total withheld because a part is missing or was suppressed at source.
    INCOMPLETE = "incomplete"


class Area(Frozen):
    """A geographic area: authority, cluster, centre reach area, ward or small area."""

    code: str = Field(min_length=1)
    name: str = Field(min_length=1)
    level: Level
    parent: str | None = None
    vintage: str | None = None
    population: float | None = Field(default=None, ge=0, allow_inf_nan=False)

    @field_validator("code", "name")
    @classmethod
    def _strip(cls, text: str) -> str:
        return text.strip()


class Membership(Frozen):
    """A share of a child area (usually an LSOA) held by a parent area (usually a centre).

    Centres do not nest in wards, so small areas can belong to several centres with shares that
    add up to at most 1 (less where part of the small area is outside every centre).
    """

    child: str
    parent: str
    share: float = Field(gt=0, le=1, allow_inf_nan=False)
    method: str = "lookup"


def _grouped(items: Iterable[T], key: Callable[[T], K]) -> dict[K, list[T]]:
    """``items`` in lists by ``key``, each list in the items' order."""
    index: dict[K, list[T]] = {}
    for item in items:
        index.setdefault(key(item), []).append(item)
    return index


class Geography(Frozen):
    """An authority's areas and the many-to-many memberships between them."""

    areas: tuple[Area, ...]
    memberships: tuple[Membership, ...] = ()

    @model_validator(mode="after")
    def _check(self) -> Geography:
        codes = [a.code for a in self.areas]
        seen: set[str] = set()
        for code in codes:
            if code in seen:
                raise ValueError(f"area code {code!r} appears more than once")
            seen.add(code)
        for area in self.areas:
            if area.parent is not None and area.parent not in seen:
                raise ValueError(f"area {area.code!r} has unknown parent {area.parent!r}")
        for m in self.memberships:
            for code in (m.child, m.parent):
                if code not in seen:
                    raise ValueError(f"membership {m.child}->{m.parent} names unknown area {code!r}")
        if sum(1 for a in self.areas if a.level is Level.AUTHORITY) != 1:
            raise ValueError("a geography needs exactly one area at level 'authority'")
        return self

    @cached_property
    def by_code(self) -> dict[str, Area]:
        return {a.code: a for a in self.areas}

    @property
    def authority(self) -> Area:
        return next(a for a in self.areas if a.level is Level.AUTHORITY)

    def area(self, code: str) -> Area:
        """Return the area with this code, or raise UnknownNameError listing the level's codes."""
        try:
            return self.by_code[code]
        except KeyError:
            raise UnknownNameError(f"unknown area code {code!r}") from None

    def at_level(self, level: Level | str) -> list[Area]:
        return list(self._level_index.get(Level(level), ()))

    @cached_property
    def _level_index(self) -> dict[Level, list[Area]]:
        # A profile asks for each level hundreds of times; the areas never change.
        return _grouped(self.areas, lambda a: a.level)

    @cached_property
    def _children_index(self) -> dict[str, list[Area]]:
        return _grouped((a for a in self.areas if a.parent is not None), lambda a: a.parent)

    @cached_property
    def _by_parent(self) -> dict[str, list[Membership]]:
        return _grouped(self.memberships, lambda m: m.parent)

    @cached_property
    def _by_child(self) -> dict[str, list[Membership]]:
        return _grouped(self.memberships, lambda m: m.child)

    def children(self, code: str, level: Level | str | None = None) -> list[Area]:
        """Areas whose parent is ``code`` (optionally only those at ``level``)."""
        want = None if level is None else Level(level)
        return [a for a in self._children_index.get(code, []) if want is None or a.level is want]

    def members_of(self, parent: str) -> list[Membership]:
        """Memberships whose parent is ``parent`` (e.g. the LSOA shares of a centre)."""
        return list(self._by_parent.get(parent, []))

    def memberships_of(self, child: str) -> list[Membership]:
        """Memberships whose child is ``child`` (e.g. the centres sharing an LSOA)."""
        return list(self._by_child.get(child, []))

    def wards_of_cluster(self, cluster: str) -> list[Area]:
        """The wards of a cluster: ward->cluster memberships, in ward order."""
        codes = {m.child for m in self.members_of(cluster)
                 if self.by_code[m.child].level is Level.WARD}
        return [a for a in self.at_level(Level.WARD) if a.code in codes]

    def cluster_of_ward(self, ward: str) -> str | None:
        for m in self.memberships_of(ward):
            if self.by_code[m.parent].level is Level.CLUSTER:
                return m.parent
        return None


class IndicatorDefinition(Frozen):
    """One indicator in the catalogue."""

    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$")
    title: str
    section: Section
    unit: Unit
    polarity: Polarity
    numerator: str
    denominator: str = ""
    ci_method: CIMethod = CIMethod.NONE
    multiplier: float = 1.0
    source: str
    native_level: Level
    period_type: PeriodType
    definition: str = ""
    caveats: str = ""
    national_indicator: str | None = None
    #: How readers see the unit where the unit's own name would mislead (NI 92: "% gap").
    unit_label: str = ""
    local: bool = False
    #: False where the numerator does not count people (e.g. small areas in the most deprived 30%),
    #: so small-number suppression does not apply.
    disclosure_control: bool = True

    @model_validator(mode="after")
    def _consistent(self) -> IndicatorDefinition:
        if self.unit is Unit.PERCENTAGE and self.multiplier != 100:
            raise ValueError(f"{self.id}: a percentage needs multiplier 100, got {self.multiplier}")
        if self.ci_method is CIMethod.WILSON and self.unit is not Unit.PERCENTAGE:
            raise ValueError(f"{self.id}: Wilson limits apply to percentages only")
        if self.unit in (Unit.PERCENTAGE, Unit.RATE) and not self.denominator:
            raise ValueError(f"{self.id}: a {self.unit.value} needs a denominator description")
        return self

    @property
    def summable(self) -> bool:
        """True where values aggregate by summing numerators and denominators."""
        return self.unit in (Unit.PERCENTAGE, Unit.RATE, Unit.COUNT, Unit.RATIO)


class Provenance(Frozen):
    """Where a value came from."""

    source: str = ""
    data_date: str = ""
    level: Level | None = None


class IndicatorValue(Frozen):
    """A value of one indicator for one area and period, with limits and a note."""

    indicator_id: str
    area_code: str
    period: str
    numerator: float | None = None
    denominator: float | None = None
    value: float | None = None
    lower95: float | None = None
    upper95: float | None = None
    lower998: float | None = None
    upper998: float | None = None
    note: ValueNote | None = None
    provenance: Provenance = Provenance()

    @field_validator("value", "numerator", "denominator", "lower95", "upper95",
                     "lower998", "upper998")
    @classmethod
    def _finite(cls, x: float | None) -> float | None:
        if x is not None and not math.isfinite(x):
            raise ValueError("must be a finite number")
        return x

    @property
    def is_available(self) -> bool:
        return self.value is not None and self.note is not ValueNote.SUPPRESSED


def today_iso() -> str:
    """Today's date as ISO text (kept here so tests can patch one place)."""
    return dt.date.today().isoformat()
