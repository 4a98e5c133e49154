"""Fingertips CSV: read a download into tidy rows, and write a built profile in the same layout.

Fingertips (the public health profiles of OHID, formerly PHE) gives data as CSV with these
columns, of which reading needs Indicator ID, Area Code, Area Type, Time period, Value, Count,
Denominator and Value note (the others may be there or not):

    Indicator ID, Indicator Name, Parent Code, Parent Name, Area Code, Area Name, Area Type, Sex,
    Age, Category Type, Category, Time period, Value, Lower CI 95.0 limit, Upper CI 95.0 limit,
    Lower CI 99.8 limit, Upper CI 99.8 limit, Count, Denominator, Value note, Recent Trend,
    Compared to England value or percentiles, Compared to Region value or percentiles,
    Time period Sortable, New data, Compared to goal

Reading keeps the rows of the mapped indicator ids with no Category Type (breakdowns by deprivation
decile or ethnic group are counted and skipped), of the mapping's sex where it names one. England
rows (Area Type England, code E92000001) and region rows (Area Type Region, codes E12...) become
benchmarks; every other area must be in the geography, or is reported (``other_areas: skip``
counts them instead). Pooled periods ``2017 - 19`` and ``2016/17 - 18/19`` are written as the
ranges ``2017-2019`` and ``2016/17-2018/19``.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Literal

from openpyxl.utils import get_column_letter
from pydantic import BaseModel, ConfigDict, Field, field_validator

from .errors import Problem, ProblemLog
from .intake_cells import encoding_problem
from .models import Geography, Level, ValueNote

COLUMNS = ["Indicator ID", "Indicator Name", "Parent Code", "Parent Name", "Area Code",
           "Area Name", "Area Type", "Sex", "Age", "Category Type", "Category", "Time period",
           "Value", "Lower CI 95.0 limit", "Upper CI 95.0 limit", "Lower CI 99.8 limit",
           "Upper CI 99.8 limit", "Count", "Denominator", "Value note", "Recent Trend",
           "Compared to England value or percentiles", "Compared to Region value or percentiles",
           "Time period Sortable", "New data", "Compared to goal"]
REQUIRED = ["Indicator ID", "Area Code", "Area Type", "Time period", "Value", "Count",
            "Denominator", "Value note"]
#: How each value note is written in the export; reading also knows Fingertips' own wording.
NOTE_TEXT = {
    ValueNote.SUPPRESSED: "Value suppressed for disclosure control due to small count",
    ValueNote.ESTIMATED: "Estimated value",
    ValueNote.AGGREGATED: "Aggregated from all known lower geography values",
    ValueNote.SYNTHETIC: "Synthetic estimate",
    ValueNote.UNRELIABLE: "Value may be unreliable",
    ValueNote.MISSING: "Value missing",
    ValueNote.INCOMPLETE: "Value withheld: a part is missing or was suppressed at source"}
_NOTE_WORDS = (("suppress", ValueNote.SUPPRESSED), ("estimat", ValueNote.ESTIMATED),
               ("aggregated", ValueNote.AGGREGATED), ("withheld", ValueNote.INCOMPLETE),
               ("unreliable", ValueNote.UNRELIABLE), ("synthetic", ValueNote.SYNTHETIC))
AREA_TYPES = {Level.ENGLAND: "England", Level.REGION: "Region", Level.AUTHORITY: "Local authority",
              Level.CLUSTER: "Cluster", Level.CENTRE: "Children's centre", Level.WARD: "Ward",
              Level.LSOA: "LSOA", Level.OA: "Output area"}
_SHORT_RANGE = re.compile(r"^(\d{4})\s*-\s*(\d{2})$")
_SHORT_FY_RANGE = re.compile(r"^(\d{2})(\d{2})/(\d{2})\s*-\s*(\d{2})/(\d{2})$")


class FingertipsMapping(BaseModel):
    """A Fingertips download: which file, and the catalogue id of each Fingertips indicator."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["fingertips"]
    file: str
    indicators: dict[str, str] = Field(min_length=1)
    source: str = "Fingertips (OHID)"
    data_date: str = Field(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")
    sex: str | None = None
    other_areas: Literal["error", "skip"] = "error"
    encoding: Literal["utf-8", "utf-8-sig", "cp1252", "latin-1"] = "utf-8-sig"

    @field_validator("indicators", mode="before")
    @classmethod
    def _ids_as_text(cls, value: object) -> object:
        return {str(k): v for k, v in value.items()} if isinstance(value, dict) else value

    @field_validator("data_date", mode="before")
    @classmethod
    def _date_as_text(cls, value: object) -> object:
        return value if value is None else str(value)


def tidy_period(text: str) -> str:
    """A Fingertips time period as the tidy file writes it (pooled periods as ranges)."""
    text = text.strip()
    fy = _SHORT_FY_RANGE.match(text)
    if fy:
        century, first, first_end, last, last_end = fy.groups()
        return f"{century}{first}/{first_end}-{century}{last}/{last_end}"
    short = _SHORT_RANGE.match(text)
    if short and int(short.group(2)) > int(short.group(1)[2:]):
        return f"{short.group(1)}-{short.group(1)[:2]}{short.group(2)}"
    return re.sub(r"\s*-\s*", "-", text) if " - " in text else text


def note_of(text: str) -> ValueNote | None:
    """The tidy note for a Fingertips value note (None for none or a note that qualifies
    nothing the profile shows)."""
    lowered = text.strip().lower()
    if not lowered:
        return None
    exact = {t.lower(): n for n, t in NOTE_TEXT.items()}
    if lowered in exact:
        return exact[lowered]
    return next((note for word, note in _NOTE_WORDS if word in lowered), None)


def read_fingertips(path: Path, mapping: FingertipsMapping, geography: Geography, result,
                    log: ProblemLog) -> None:
    """Add the tidy rows and provenance of one Fingertips CSV to ``result``."""
    try:
        _read_download(path, mapping, geography, result, log)
    except UnicodeDecodeError as exc:
        log.add(encoding_problem(path, mapping.encoding, exc))
    except csv.Error as exc:
        log.add(Problem(path.name, None, None, "not a well-formed CSV file",
                        expected="a Fingertips CSV download", found=str(exc)))


def _read_download(path: Path, mapping: FingertipsMapping, geography: Geography, result,
                   log: ProblemLog) -> None:
    with path.open(encoding=mapping.encoding, newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            log.add(Problem(path.name, 1, None, "not a Fingertips CSV: column(s) missing",
                            expected=", ".join(REQUIRED), found=", ".join(missing) +
                            " missing"))
            return
        index = {name: i for i, name in enumerate(header)}
        for number, cells in enumerate(reader, start=2):
            row = {name: (cells[i].strip() if i < len(cells) else "") for name, i in index.items()}
            _read_row(path.name, number, row, index, mapping, geography, result, log)


def _read_row(file: str, number: int, row: dict[str, str], index: dict[str, int],
              mapping: FingertipsMapping, geography: Geography, result, log: ProblemLog) -> None:
    indicator = mapping.indicators.get(row["Indicator ID"])
    if indicator is None:
        result.skipped["rows of unmapped Fingertips indicators"] += 1
        return
    if row.get("Category Type") or (mapping.sex and row.get("Sex") != mapping.sex):
        result.skipped["breakdown rows (category or sex)"] += 1
        return
    level = _level(file, number, row, index, mapping, geography, result, log)
    if level is None:
        return
    note = note_of(row["Value note"])
    figures = {"numerator": row["Count"], "denominator": row["Denominator"],
               "value": row["Value"]}
    if note is ValueNote.SUPPRESSED:
        figures["value"] = figures["value"] or "*"
    code, period = row["Area Code"], tidy_period(row["Time period"])
    result.rows.append({"indicator_id": indicator, "area_code": code, "period": period,
                        **figures, "note": note.value if note else "", "source": mapping.source,
                        "data_date": mapping.data_date, "level": level})
    source_column = {"numerator": "Count", "denominator": "Denominator", "value": "Value"}
    result.provenance += [{"indicator_id": indicator, "area_code": code, "period": period,
                           "column": role, "file": file, "sheet": "",
                           "cell": f"{get_column_letter(index[source_column[role]] + 1)}{number}"}
                          for role, text in figures.items() if text]


def _level(file: str, number: int, row: dict[str, str], index: dict[str, int],
           mapping: FingertipsMapping, geography: Geography, result, log: ProblemLog) -> str | None:
    code, area_type = row["Area Code"], row["Area Type"].lower()
    if area_type == "england" or code == "E92000001":
        return Level.ENGLAND.value
    if area_type == "region" or code.startswith("E12"):
        return Level.REGION.value
    area = geography.by_code.get(code)
    if area is not None:
        return area.level.value
    if mapping.other_areas == "skip":
        result.skipped["areas outside the geography"] += 1
        return None
    log.add(Problem(file, None, "Area Code", "area not in the geography", cell=
                    f"{get_column_letter(index['Area Code'] + 1)}{number}",
                    expected=f"England, a region or an area of {geography.authority.name} "
                             "(other_areas: skip to leave the rest out)", found=code))
    return None
