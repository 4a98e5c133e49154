"""The regional view: a region's authorities ranked on each indicator and on their change.

A region build file (YAML) names the region, its authorities (code, name, centres), the
authority of interest, a tidy indicator file with authority-level rows for several periods, the
indicators to show, the two periods to compare and, optionally, the national IMD rank of each
authority's LSOAs. Everything here is pure: reading, checking and arithmetic, no workbook.
"""

from __future__ import annotations

import csv
import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError

from .errors import ConfigError, InputError, Problem
from .stats import rank_with_ties, two_proportion_test
from .tidy_checks import parse_number

SIGNIFICANCE_METHOD = ("two-proportion z-test (pooled proportion, two-sided, 5% level) on the "
                       "two periods' numerators and denominators")
INDICATOR_COLUMNS = ("indicator_id", "area_code", "period", "numerator", "denominator", "value")
IMD_COLUMNS = ("authority_code", "lsoa_code", "imd_rank")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RegionAuthority(_Strict):
    code: str = Field(min_length=1)
    name: str = Field(min_length=1)
    centres: int | None = Field(None, ge=0)


class RegionIndicator(_Strict):
    id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    unit: Literal["percentage", "rate", "count", "value"] = "percentage"
    #: False ranks the lowest value and the largest fall first (a gap, a rate of harm).
    higher_is_better: bool = True


class PeriodComparison(_Strict):
    from_period: str = Field(min_length=1)
    to_period: str = Field(min_length=1)


class ImdInput(_Strict):
    file: Path
    national_lsoas: int = Field(gt=0)


class RegionConfig(_Strict):
    region: str = Field(min_length=1)
    fictional: bool = False
    authority_of_interest: str = Field(min_length=1)
    authorities: list[RegionAuthority] = Field(min_length=2)
    indicators_file: Path
    indicators: list[RegionIndicator] = Field(min_length=1)
    compare: PeriodComparison
    imd: ImdInput | None = None
    #: The build file read, named in errors found later (a compared period the data lacks).
    _source: Path | None = PrivateAttr(default=None)

    @property
    def source(self) -> str:
        return str(self._source) if self._source else "region build file"


def _where(loc: tuple) -> str:
    return ".".join(str(p) for p in loc)


def load_region_config(path: str | Path) -> RegionConfig:
    """Read and check a region build file; raise ConfigError naming the file and the field."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: region build file not found") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({' '.join(str(exc).split())})") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping of settings, found {type(raw).__name__}")
    for key in ("from_period", "to_period"):  # a YAML year is read as a number
        if isinstance(raw.get("compare"), dict) and isinstance(raw["compare"].get(key), int):
            raw["compare"][key] = str(raw["compare"][key])
    _check_known_settings(path, raw)
    try:
        config = RegionConfig(**raw)
    except ValidationError as exc:
        errors = exc.errors()
        unknown = [e for e in errors if e["type"] == "extra_forbidden"]
        if unknown:
            _unknown_setting(path, unknown[0]["loc"])
        err = errors[0]
        allowed = ", ".join(RegionConfig.model_fields)
        found = "no such setting" if err["type"] == "missing" else repr(err.get("input"))
        raise ConfigError(f"{path}: setting {_where(err['loc'])!r}: {err['msg']} (settings "
                          f"allowed: {allowed}; found {found})") from None
    _check_cross(path, config)
    base = path.parent
    imd = config.imd and config.imd.model_copy(update={"file": base / config.imd.file})
    config = config.model_copy(update={"indicators_file": base / config.indicators_file,
                                       "imd": imd})
    config._source = path
    return config


#: The settings allowed inside each nested setting of the build file.
_NESTED = {"authorities": RegionAuthority, "indicators": RegionIndicator,
           "compare": PeriodComparison, "imd": ImdInput}


def _check_known_settings(path: Path, raw: dict) -> None:
    """Refuse a top-level setting the build file does not know, naming it (a misspelt key
    would otherwise be reported as the required setting it was meant to be)."""
    for key in raw:
        if key not in RegionConfig.model_fields:
            _unknown_setting(path, (key,))


def _unknown_setting(path: Path, loc: tuple) -> None:
    model = _NESTED.get(loc[0], RegionConfig) if len(loc) > 1 else RegionConfig
    allowed = list(model.model_fields)
    where = "" if model is RegionConfig else f" in '{loc[0]}'"
    text = f"{path}: unknown setting {_where(loc)!r}; allowed{where}: {', '.join(allowed)}"
    close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
    if close:
        text += f"; did you mean {close[0]!r}?"
    raise ConfigError(text)


def _check_cross(path: Path, config: RegionConfig) -> None:
    codes = [a.code for a in config.authorities]
    repeated = sorted({c for c in codes if codes.count(c) > 1})
    if repeated:
        raise ConfigError(f"{path}: setting 'authorities': each code once (expected distinct "
                          f"codes; found {', '.join(repeated)} more than once)")
    if config.authority_of_interest not in codes:
        raise ConfigError(f"{path}: setting 'authority_of_interest': not one of the region's "
                          f"authorities (allowed: {', '.join(codes)}; found "
                          f"{config.authority_of_interest!r})")
    if config.compare.from_period == config.compare.to_period:
        raise ConfigError(f"{path}: setting 'compare': two different periods expected (found "
                          f"{config.compare.from_period!r} twice)")


@dataclass(frozen=True)
class Figure:
    """One authority's published figure for one indicator and period."""

    value: float | None
    numerator: float | None = None
    denominator: float | None = None


def _number(text: str, file: str, row: int, column: str) -> float | None:
    """A number as the tidy reader reads it (a sign allowed): a decimal comma (``31,3``) or a
    comma that may be either a thousands separator or a decimal comma (``1,234`` in a value) is
    an error saying how to write it, never read as 313 or 1234."""
    text = text.strip()
    if text == "":
        return None
    body = text[1:] if text[0] in "+-" and len(text) > 1 else text
    number, suppressed, problem = parse_number(column, body)
    if problem is None and not suppressed and number is not None:
        return -number if text[0] == "-" else number
    if problem is not None and "," in text:
        problem = parse_number(column, text)[2] or problem
        raise InputError([Problem(file, row, column, problem.message, problem.expected,
                                  repr(text))])
    raise InputError([Problem(file, row, column, "not a number", "a number or blank",
                              repr(text))])


def _rows(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            missing = [c for c in columns if c not in header]
            if missing:
                raise InputError([Problem(path.name, 1, missing[0], "column missing",
                                          f"columns {', '.join(columns)}",
                                          ", ".join(header) or "an empty file")])
            return [(i, row) for i, row in enumerate(reader, start=2)]
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None


def read_figures(config: RegionConfig) -> tuple[dict[tuple[str, str, str], Figure], int]:
    """(indicator, authority, period) -> figure, and how many rows were left out because they
    are for another indicator or an area outside the region (the caller reports the number)."""
    path = config.indicators_file
    units = {i.id: i.unit for i in config.indicators}
    codes = {a.code for a in config.authorities}
    figures: dict[tuple[str, str, str], Figure] = {}
    left_out = 0
    for row_no, row in _rows(path, INDICATOR_COLUMNS):
        key = (row["indicator_id"].strip(), row["area_code"].strip(), row["period"].strip())
        if key[0] not in units or key[1] not in codes:
            left_out += 1
            continue
        if key in figures:
            raise InputError([Problem(path.name, row_no, "period", "a second row for "
                                      f"{key[0]}, {key[1]}", "one row per indicator, area and "
                                      "period", key[2])])
        numbers = [_number(row[c] or "", path.name, row_no, c)
                   for c in ("value", "numerator", "denominator")]
        value, num, den = numbers
        if num is not None and den is not None and not 0 <= num <= den:
            raise InputError([Problem(path.name, row_no, "numerator", "numerator outside 0 to "
                                      "the denominator", f"0 to {den:g}", f"{num:g}")])
        if value is None and num is not None and den:
            value = 100 * num / den
        elif value is not None and units[key[0]] == "percentage" and not 0 <= value <= 100:
            raise InputError([Problem(path.name, row_no, "value", "percentage outside 0 to 100",
                                      "0 to 100", f"{value:g}")])
        figures[key] = Figure(value, num, den)
    return figures, left_out


@dataclass(frozen=True)
class RankedRow:
    """One authority's place on one indicator (rank None where it has no figure)."""

    code: str
    name: str
    rank: int | None
    value: float | None


@dataclass(frozen=True)
class ChangeRow:
    """One authority's change between the two compared periods."""

    code: str
    name: str
    rank: int | None
    before: Figure | None
    after: Figure | None
    change: float | None
    z: float | None
    p_value: float | None

    @property
    def significant(self) -> bool | None:
        return None if self.p_value is None else self.p_value < 0.05


def _ordered(rows: list) -> list:
    """Ranked first (1 at the top, ties by name), unranked last by name."""
    return sorted(rows, key=lambda r: (r.rank is None, r.rank or 0, r.name))


def latest_periods(figures: dict) -> dict[str, str]:
    """Indicator -> the latest period with at least one figure (periods sort as written)."""
    latest: dict[str, str] = {}
    for (indicator, _code, period), figure in figures.items():
        if figure.value is not None and period > latest.get(indicator, ""):
            latest[indicator] = period
    return latest


def ranking(config: RegionConfig, figures: dict, indicator: RegionIndicator,
            period: str) -> list[RankedRow]:
    """The authorities ranked on one indicator and period; rank 1 is the highest value, or the
    lowest where lower is better (ties share a rank, as Excel RANK.EQ)."""
    values = [_value(figures.get((indicator.id, a.code, period))) for a in config.authorities]
    ranks = rank_with_ties(values, descending=indicator.higher_is_better)
    rows = [RankedRow(a.code, a.name, r, v) for a, r, v in zip(config.authorities, ranks, values)]
    return _ordered(rows)


def _value(figure: Figure | None) -> float | None:
    return None if figure is None else figure.value


def change_between(config: RegionConfig, figures: dict,
                   indicator: RegionIndicator) -> list[ChangeRow]:
    """Each authority's change from the first compared period to the second, ranked (1 = the
    largest rise, or the largest fall where lower is better), with a two-proportion test where
    both periods give counts (percentages)."""
    before_p, after_p = config.compare.from_period, config.compare.to_period
    pairs = [(figures.get((indicator.id, a.code, before_p)),
              figures.get((indicator.id, a.code, after_p))) for a in config.authorities]
    changes = [None if _value(b) is None or _value(f) is None else f.value - b.value
               for b, f in pairs]
    ranks = rank_with_ties(changes, descending=indicator.higher_is_better)
    rows = []
    for a, (before, after), change, rank in zip(config.authorities, pairs, changes, ranks):
        z = p = None
        if indicator.unit == "percentage" and change is not None and _has_counts(before, after):
            z, p = two_proportion_test(before.numerator, before.denominator,
                                       after.numerator, after.denominator)
        rows.append(ChangeRow(a.code, a.name, rank, before, after, change, z, p))
    return _ordered(rows)


def _has_counts(*figures: Figure) -> bool:
    return all(f.numerator is not None and f.denominator for f in figures)


def imd_quintile_shares(config: RegionConfig) -> dict[str, list[float]] | None:
    """Per authority, the share (0-1) of its LSOAs in each national IMD quintile (quintile 1 =
    the most deprived fifth of England's LSOAs); None when the build file names no IMD input."""
    if config.imd is None:
        return None
    counts = {a.code: [0] * 5 for a in config.authorities}
    path, national = config.imd.file, config.imd.national_lsoas
    for row_no, row in _rows(path, IMD_COLUMNS):
        code = row["authority_code"].strip()
        if code not in counts:
            raise InputError([Problem(path.name, row_no, "authority_code",
                                      "not an authority of the region",
                                      ", ".join(counts), repr(code))])
        rank = _number(row["imd_rank"] or "", path.name, row_no, "imd_rank")
        if rank is None or rank != int(rank) or not 1 <= rank <= national:
            raise InputError([Problem(path.name, row_no, "imd_rank", "not a national rank",
                                      f"a whole number from 1 to {national}", repr(row["imd_rank"]))])
        counts[code][national_quintile(int(rank), national) - 1] += 1
    return {code: [n / sum(c) for n in c] if sum(c) else [] for code, c in counts.items()}


def national_quintile(rank: int, national_count: int) -> int:
    """1 for the most deprived fifth (rank 1 = most deprived in England) to 5 for the least."""
    return min(5, 1 + (rank - 1) * 5 // national_count)


@dataclass(frozen=True)
class IndicatorView:
    """One indicator of the regional view: the latest ranking and the ranked change."""

    indicator: RegionIndicator
    latest: str | None
    ranked: list[RankedRow]
    changes: list[ChangeRow]


@dataclass(frozen=True)
class RegionView:
    """Everything the regional workbook shows, computed."""

    config: RegionConfig
    indicators: list[IndicatorView]
    imd_shares: dict[str, list[float]] | None
    rows_left_out: int


def check_compared_periods(config: RegionConfig, figures: dict) -> None:
    """Refuse a compared period for which an indicator has no figure in the indicator file:
    its change would be blank for every authority. Raise ConfigError naming the build file, the
    setting, the periods the file has for that indicator and the period given."""
    periods: dict[str, set[str]] = {}
    for (indicator, _code, period), figure in figures.items():
        if figure.value is not None:
            periods.setdefault(indicator, set()).add(period)
    everywhere = sorted(set().union(*periods.values())) if periods else []
    file = config.indicators_file.name
    for setting in ("from_period", "to_period"):
        given = getattr(config.compare, setting)
        if given not in everywhere:
            raise ConfigError(
                f"{config.source}: setting 'compare.{setting}': no figures for this period in "
                f"{file} (expected a period the file has: {', '.join(everywhere) or 'none'}; "
                f"found {given!r})")
        for indicator in config.indicators:
            has = sorted(periods.get(indicator.id, ()))
            if not has:  # listed, yet nothing to rank or compare: every sheet of it blank
                raise ConfigError(
                    f"{config.source}: setting 'indicators': no figures for {indicator.id} in "
                    f"{file} (expected rows of {indicator.id} for the authorities; found none "
                    "with a value)")
            if given not in has:
                raise ConfigError(
                    f"{config.source}: setting 'compare.{setting}': no figures for "
                    f"{indicator.id} in this period in {file} (expected a period {indicator.id} "
                    f"has: {', '.join(has)}; found {given!r})")


def region_view(config: RegionConfig) -> RegionView:
    """Read the region's inputs and compute every ranking, change and share."""
    figures, left_out = read_figures(config)
    check_compared_periods(config, figures)
    views = []
    latest_by_indicator = latest_periods(figures)
    for indicator in config.indicators:
        latest = latest_by_indicator.get(indicator.id)
        ranked = ranking(config, figures, indicator, latest) if latest else []
        views.append(IndicatorView(indicator, latest, ranked,
                                   change_between(config, figures, indicator)))
    return RegionView(config, views, imd_quintile_shares(config), left_out)
