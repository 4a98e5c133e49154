"""Source mappings: how one agency's spreadsheet becomes tidy indicator rows.

One small YAML file per source, all in one folder (``*.yaml`` / ``*.yml``). Example::

    source: PCT (child health system)     # organisation that published the figures
    data_date: 2008-03                    # YYYY, YYYY-MM or YYYY-MM-DD
    file: pct-health-*.xlsx               # file name pattern in the folder of agency files
    sheet: Ward data*                     # sheet name or pattern (default: the first sheet)
    header_row: 6                         # 1-based row of the column titles ...
    header_rows: 2                        # ... with the merged titles of the row above
    # range: B6:K40                       # or a cell range: its first row(s) are the header
    encoding: utf-8                       # CSV files only: utf-8, utf-8-sig, cp1252, latin-1
    area: {column: Ward, by: name}        # by code, or by name (matched to the geography)
    level: ward                           # level of the areas named
    period: 2007/08                       # fixed, or period_column: Year
    suppression: ['*', x, c, '..', '-', '<5']
    missing: [n/a]                        # cells meaning "no figure" (left out and counted)
    totals: [Demo Borough total]          # rows whose area cell is one of these are skipped
    footnotes: [Source, Note]             # rows starting with one of these are skipped
    benchmarks:                           # area cells that are England or a region
      England: {code: E92000001, level: england}
    values:
    - indicator: IMM_MMR2
      numerator: MMR2 at 5 / Immunised    # merged header titles joined with ' / '
      denominator: MMR2 at 5 / Children
      value: MMR2 at 5 / %
      unit: '%'                           # count, %, per 1,000 (10,000, 100,000), ratio, score
      scale: 1                            # the value column times this (100: 0.623 is 62.3%)
      decimals: 1                         # places the value is written to in the tidy file

A Fingertips download is mapped by a file with ``kind: fingertips`` (see
:mod:`xl_profile.fingertips`)::

    kind: fingertips
    file: fingertips-*.csv
    data_date: 2024-05
    indicators: {90631: NI72}             # Fingertips indicator id: catalogue id

Every mistake is a :class:`~xl_profile.errors.ConfigError` naming the mapping file, the field,
what is allowed and what was found.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

import yaml
from openpyxl.utils import get_column_letter
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import ConfigError
from .fingertips import FingertipsMapping
from .models import Level

#: Unit words in a mapping and the catalogue unit and multiplier each stands for.
UNITS: dict[str, tuple[str, float]] = {
    "count": ("count", 1.0), "%": ("percentage", 100.0), "per 1,000": ("rate", 1000.0),
    "per 10,000": ("rate", 10000.0), "per 100,000": ("rate", 100000.0),
    "ratio": ("ratio", 1.0), "score": ("score", 1.0)}
ENCODINGS = ("utf-8", "utf-8-sig", "cp1252", "latin-1")
DEFAULT_MARKERS = ("*", "x", "c", "..", "-", "<5")
_RANGE = re.compile(r"^([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)$")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AreaColumn(_Strict):
    """The column naming each row's area, and whether it holds codes or names."""

    column: str
    by: Literal["code", "name"] = "code"


class Benchmark(_Strict):
    """An England or regional row: the code and level its area cell stands for."""

    code: str
    level: Literal["england", "region"]


class ValueColumns(_Strict):
    """The columns giving one indicator's figures."""

    indicator: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$")
    numerator: str | None = None
    denominator: str | None = None
    value: str | None = None
    unit: Literal["count", "%", "per 1,000", "per 10,000", "per 100,000", "ratio", "score"]
    scale: float = Field(default=1.0, gt=0)
    decimals: int | None = Field(default=None, ge=0, le=6)
    source: str | None = None
    data_date: str | None = None

    @model_validator(mode="after")
    def _some_column(self) -> ValueColumns:
        if not (self.numerator or self.value):
            raise ValueError("give a numerator column or a value column (or both)")
        return self


class SourceMapping(_Strict):
    """One agency source: where its figures are and what they mean."""

    source: str
    data_date: str
    file: str
    sheet: str | None = None
    header_row: int | None = Field(default=None, ge=1)
    header_rows: int = Field(default=1, ge=1, le=4)
    range: str | None = None
    encoding: Literal["utf-8", "utf-8-sig", "cp1252", "latin-1"] = "utf-8"
    area: AreaColumn
    level: Level
    period: str | None = None
    period_column: str | None = None
    suppression: tuple[str, ...] = DEFAULT_MARKERS
    missing: tuple[str, ...] = ()
    totals: tuple[str, ...] = ()
    footnotes: tuple[str, ...] = ("Source", "Note", "Notes", "Footnote")
    benchmarks: dict[str, Benchmark] = {}
    values: tuple[ValueColumns, ...] = Field(min_length=1)

    @field_validator("data_date", mode="before")
    @classmethod
    def _date_text(cls, value: object) -> object:
        text = str(value) if value is not None else value
        if text is not None and not _DATE.match(text):
            raise ValueError(f"a date YYYY, YYYY-MM or YYYY-MM-DD, not {text!r}")
        return text

    @field_validator("period", mode="before")
    @classmethod
    def _period_text(cls, value: object) -> object:
        return None if value is None else str(value)

    @field_validator("range")
    @classmethod
    def _range_form(cls, value: str | None) -> str | None:
        if value is not None and not _RANGE.match(value.upper()):
            raise ValueError(f"a cell range such as B6:K40, not {value!r}")
        return None if value is None else value.upper()

    @model_validator(mode="after")
    def _one_of_each(self) -> SourceMapping:
        if (self.period is None) == (self.period_column is None):
            raise ValueError("give either period (fixed) or period_column, exactly one")
        if (self.header_row is None) == (self.range is None):
            raise ValueError("give either header_row or range, exactly one")
        return self

    @property
    def title_row(self) -> int:
        """1-based row of the last header row (the column titles read from it and above)."""
        if self.range:
            return int(_RANGE.match(self.range).group(2)) + self.header_rows - 1
        return self.header_row

    def bounds(self) -> tuple[int, int | None, int | None, int | None]:
        """(first column, last column, first row, last row) of the range, 0-based; None open."""
        if not self.range:
            return 0, None, None, None
        first, top, last, bottom = _RANGE.match(self.range).groups()
        return column_index(first), column_index(last), int(top) - 1, int(bottom) - 1


class LoadedMapping(BaseModel):
    """A mapping (a spreadsheet source or a Fingertips download) with the file it was read from."""

    model_config = ConfigDict(frozen=True)

    path: Path
    mapping: SourceMapping | FingertipsMapping

    @property
    def indicator_ids(self) -> list[str]:
        """The catalogue ids the mapping gives figures for."""
        if isinstance(self.mapping, FingertipsMapping):
            return list(self.mapping.indicators.values())
        return [v.indicator for v in self.mapping.values]


def column_index(letters: str) -> int:
    """0-based index of a column written in letters (A is 0, AA is 26)."""
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - 64
    return index - 1


def column_letters(index: int) -> str:
    """Spreadsheet column letters of a 0-based column index (0 -> A, 26 -> AA)."""
    return get_column_letter(index + 1)


def load_mappings(folder: Path) -> list[LoadedMapping]:
    """Every mapping file in ``folder`` (sorted by name); ConfigError naming file and field."""
    if not folder.is_dir():
        raise ConfigError(f"{folder}: mappings folder not found (expected a folder of source "
                          f"mapping files, one .yaml per source)")
    paths = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".yaml", ".yml"))
    if not paths:
        raise ConfigError(f"{folder}: no mapping files (expected one .yaml file per source)")
    return [LoadedMapping(path=p, mapping=load_mapping(p)) for p in paths]


def load_mapping(path: Path) -> SourceMapping | FingertipsMapping:
    """One mapping file; ConfigError naming the file, the field, what is allowed and found."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({' '.join(str(exc).split())})") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: mapping files must be UTF-8 text (undecodable byte at "
                          f"position {exc.start})") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping of fields (field: value lines), found "
                          f"{type(raw).__name__ if raw is not None else 'an empty file'}")
    model = FingertipsMapping if raw.get("kind") == "fingertips" else SourceMapping
    try:
        return model(**{str(k): v for k, v in raw.items()})
    except ValidationError as exc:
        errors = exc.errors()
        # A list whose item failed is also "too short": report the item, not the echo.
        locs = [err["loc"] for err in errors]
        errors = [e for e in errors if not (e["type"] == "too_short" and any(
            loc[:len(e["loc"])] == e["loc"] and loc != e["loc"] for loc in locs))]
        raise ConfigError("; ".join(_problem(path, err, model is FingertipsMapping)
                                    for err in errors)) from None


def _problem(path: Path, err: dict, fingertips: bool) -> str:
    field = ".".join(str(p) for p in err["loc"])
    found = err.get("input")
    message = err["msg"].removeprefix("Value error, ")
    if not field:
        return f"{path}: {message}"
    if err["type"] == "missing":
        return f"{path}: field {field!r} is required but missing"
    if err["type"] == "extra_forbidden":
        return (f"{path}: unknown field {field!r} (found {found!r:.40}); allowed fields: "
                f"{', '.join(_allowed_fields(err['loc'], fingertips))}")
    expected = err.get("ctx", {}).get("expected") or message.removeprefix("Input should be ")
    return f"{path}: field {field!r}: expected {expected}; found {found!r:.60}"


def _allowed_fields(loc: tuple, fingertips: bool) -> list[str]:
    nested = {"values": ValueColumns, "area": AreaColumn, "benchmarks": Benchmark}
    if fingertips:
        return list(FingertipsMapping.model_fields)
    model = nested.get(loc[0], SourceMapping) if len(loc) > 1 else SourceMapping
    return list(model.model_fields)
