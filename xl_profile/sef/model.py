"""The SEF form model: its parts, grade scale and every named input cell.

Each input has a workbook-level defined name (``C_BeHealthy_Grade``) and a home cell. Reading back
always goes through the name, so a manager inserting rows never loses what was written; the home
cell is only used to say that a cell has moved.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

#: Bumped whenever the named inputs or the layout of a form change.
FORM_VERSION = "1"

#: Ofsted's 4-point scale.
GRADES: dict[int, str] = {1: "outstanding", 2: "good", 3: "satisfactory", 4: "inadequate"}

SHEET_A = "A Facts"
SHEET_B = "B Performance"
SHEET_C = "C Self-evaluation"
SHEET_D = "D Priorities"
SHEET_IDENTITY = "Identity"

#: Defined name of part B's figure table (read to check no protected figure was changed).
FIGURES_NAME = "B_Figures"
#: Identity fields, each a defined name on the hidden Identity sheet (label in A, value in B).
IDENTITY_FIELDS = ("SEF_CentreCode", "SEF_CentreName", "SEF_Cluster", "SEF_Year",
                   "SEF_FormVersion", "SEF_PartBHash", "SEF_RowHashes", "SEF_InputsHash")
#: First row (0-based) of inputs on the A, C and D sheets, below the guidance text.
FIRST_INPUT_ROW = 6


class Kind(StrEnum):
    """What an input cell holds."""

    LINE = "line"  # a short text on one line
    TEXT = "text"  # a long, wrapped text
    GRADE = "grade"  # 1-4
    DATE = "date"


@dataclass(frozen=True)
class InputField:
    """One named input cell of the form."""

    name: str
    part: str  # "A", "C" or "D"
    label: str
    kind: Kind
    sheet: str
    row: int  # 0-based home row
    col: int  # 0-based home column
    area: str = ""  # the self-evaluation area of a part C input

    @property
    def cell(self) -> str:
        """Home cell as A1 text, e.g. 'C7'."""
        return cell_name(self.row, self.col)


#: Part A: facts about the centre (centre name and cluster are printed, not typed).
FACTS = (("Phase", "Phase", Kind.LINE), ("Manager", "Centre manager", Kind.LINE),
         ("MainSiteAddress", "Address of the main site", Kind.TEXT),
         ("ServicesAndSites", "Services and sites", Kind.TEXT),
         ("OpeningHours", "Opening hours", Kind.TEXT), ("Staffing", "Staffing", Kind.TEXT),
         ("PartnerAgencies", "Partner agencies", Kind.TEXT),
         ("FormDate", "Date of this form", Kind.DATE))

#: Part C: the areas graded 1-4 with evidence.
AREAS = (("BeHealthy", "Be healthy"), ("StaySafe", "Stay safe"),
         ("EnjoyAchieve", "Enjoy and achieve"),
         ("PositiveContribution", "Make a positive contribution"),
         ("EconomicWellBeing", "Achieve economic well-being"),
         ("AccessExcluded", "Access for the most excluded groups"),
         ("ParentalInvolvement", "Parental involvement and satisfaction"),
         ("Leadership", "Leadership and management"),
         ("CapacityToImprove", "Capacity to improve"))

#: Part D: free texts, then a table of actions with owners and dates.
D_TEXTS = (("Priorities", "Priorities for the next year"),
           ("Challenges", "Challenges for the next year"))
ACTION_ROWS = 8
ACTION_COLUMNS = (("Action", "Action", Kind.TEXT), ("Owner", "Owner", Kind.LINE),
                  ("Date", "By when", Kind.DATE))


def cell_name(row: int, col: int) -> str:
    """0-based (row, col) as A1 text."""
    letters, n = "", col + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"


def parse_cell(text: str) -> tuple[int, int]:
    """A1 text (``$`` allowed) as 0-based (row, col); ValueError when it is not a cell."""
    match = re.fullmatch(r"\$?([A-Za-z]{1,3})\$?(\d+)", text.strip())
    if not match:
        raise ValueError(f"not a cell reference: {text!r}")
    col = 0
    for ch in match.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(match.group(2)) - 1, col - 1


def _part_a() -> list[InputField]:
    return [InputField(f"A_{key}", "A", label, kind, SHEET_A, FIRST_INPUT_ROW + 2 + i, 1)
            for i, (key, label, kind) in enumerate(FACTS)]


def _part_c() -> list[InputField]:
    fields = []
    for i, (key, label) in enumerate(AREAS):
        row = FIRST_INPUT_ROW + 1 + i
        fields.append(InputField(f"C_{key}_Grade", "C", f"{label}: grade", Kind.GRADE, SHEET_C,
                                 row, 1, label))
        fields.append(InputField(f"C_{key}_Evidence", "C", f"{label}: evidence", Kind.TEXT,
                                 SHEET_C, row, 2, label))
    return fields


def _part_d() -> list[InputField]:
    fields = [InputField(f"D_{key}", "D", label, Kind.TEXT, SHEET_D, FIRST_INPUT_ROW + i, 1)
              for i, (key, label) in enumerate(D_TEXTS)]
    first = FIRST_INPUT_ROW + len(D_TEXTS) + 2
    for n in range(1, ACTION_ROWS + 1):
        for c, (key, label, kind) in enumerate(ACTION_COLUMNS):
            fields.append(InputField(f"D_{key}{n}", "D", f"{label} {n}", kind, SHEET_D,
                                     first + n - 1, 1 + c))
    return fields


#: Every input of the form, in reading order.
FIELDS: tuple[InputField, ...] = tuple(_part_a() + _part_c() + _part_d())
FIELDS_BY_NAME: dict[str, InputField] = {f.name: f for f in FIELDS}
GRADE_FIELDS = tuple(f for f in FIELDS if f.kind is Kind.GRADE)
#: Inputs carried forward into next year's form (part A facts and part D texts).
CARRIED_FORWARD = tuple(f.name for f in FIELDS if f.part in ("A", "D"))


def financial_year(day: dt.date) -> str:
    """The financial year holding ``day``, written as '2008/09'."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def check_year(text: str) -> str:
    """``text`` if it is a year written as '2008/09'; ValueError naming what is allowed."""
    match = re.fullmatch(r"(\d{4})/(\d{2})", text.strip())
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise ValueError(f"--year must be a financial year written as 2008/09; found {text!r}")
    return text.strip()


def previous_year(year: str) -> str:
    start = int(year[:4]) - 1
    return f"{start}/{(start + 1) % 100:02d}"


@dataclass(frozen=True)
class FormSpec:
    """Everything one centre's form is written from.

    Attributes:
        centre_code, centre_name, cluster_name: the centre, as the geography names it.
        year: the year the form is for ('2008/09').
        figures: part B rows (see :mod:`xl_profile.sef.part_b`).
        initial: input values written into the fresh form (carried forward from last year).
    """

    centre_code: str
    centre_name: str
    cluster_name: str
    year: str
    figures: tuple[tuple[str | float | None, ...], ...]
    initial: tuple[tuple[str, object], ...] = ()

    @property
    def initial_values(self) -> dict[str, object]:
        return dict(self.initial)


def form_file_name(centre_name: str) -> str:
    """``sef-<slug>.xlsx``, by the same slug rule as the cluster workbooks' file names."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", centre_name.strip().lower()).strip("-") or "unnamed"
    return f"sef-{slug}.xlsx"


def beside_file_name(centre_name: str, year: str) -> str:
    """The name of a new form written beside a filled one: ``sef-<slug>-2009-10.xlsx``."""
    return form_file_name(centre_name)[: -len(".xlsx")] + f"-{year.replace('/', '-')}.xlsx"
