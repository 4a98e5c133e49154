"""The fixed texts of a form (titles, guidance, labels, headings), written and checked from here.

The writer (``workbooks/sef_form.py``) prints them; reading back uses the same texts to tell the
form's own words from text a manager typed outside the named inputs, which must never be dropped
silently. Texts are matched per sheet wherever they stand, so inserted rows do not make a label
look like the manager's; an edited label does not match and is reported.
"""

from __future__ import annotations

import re

from . import model
from .part_b import COLUMNS
from .values import canonical

GUIDANCE = {
    model.SHEET_A: ["Part A: facts about the centre. Type in the white cells; everything else is "
                    "protected (Review > Unprotect Sheet needs no password, but please do not "
                    "move or delete rows).",
                    "Texts may be as long as you need: the cell wraps, and you can make the row "
                    "taller (Home > Format > Row Height)."],
    model.SHEET_B: ["Part B: performance data from the authority's children's centre profile, "
                    "read-only. Each figure gives its period, source and data date.",
                    "A blank figure was withheld (the note says why); an estimate is marked "
                    "'estimated'. 'Compared with authority' uses 95% limits; estimates are never "
                    "compared.", "Comment on these figures in part C."],
    model.SHEET_C: ["Part C: self-evaluation. Grade each area on Ofsted's scale: 1 outstanding, "
                    "2 good, 3 satisfactory, 4 inadequate (pick from the drop-down).",
                    "Give the evidence for each grade in the wide cell beside it: what you do, "
                    "for whom, and what changed as a result. Refer to the figures in part B."],
    model.SHEET_D: ["Part D: priorities and challenges for the next year, then the actions that "
                    "follow from them, each with an owner and a date."],
}
C_HEADINGS = ("Area", "Grade (1-4)", "Evidence")
C_TITLE = "Part C: self-evaluation"
D_TITLE = "Part D: priorities and challenges"
_A_TITLE = re.compile(r"Self-evaluation form (\d{4}/\d{2}): (.*)", re.DOTALL)


def a_title(year: str, centre_name: str) -> str:
    return f"Self-evaluation form {year}: {centre_name}"


def b_title(centre_name: str) -> str:
    return f"Part B: performance data, {centre_name}"


def fixed_texts(centre_name: str, cluster_name: str, year: str) -> dict[str, set[str]]:
    """Every text (and number) the form prints outside its named cells, by sheet, as
    :func:`canonical` text."""
    texts = {
        model.SHEET_A: {a_title(year, centre_name), "Centre", "Cluster", centre_name,
                        cluster_name, *(f.label for f in model.FIELDS if f.part == "A")},
        model.SHEET_B: {b_title(centre_name), *COLUMNS},
        model.SHEET_C: {C_TITLE, *C_HEADINGS, *(label for _k, label in model.AREAS)},
        model.SHEET_D: {D_TITLE, *(label for _k, label in model.D_TEXTS),
                        *(label for _k, label, _kind in model.ACTION_COLUMNS),
                        *(canonical(n) for n in range(1, model.ACTION_ROWS + 1))},
        model.SHEET_IDENTITY: set(model.IDENTITY_FIELDS),
    }
    for sheet, lines in GUIDANCE.items():
        texts[sheet].update(lines)
    return texts


def identity_from_cells(cells: list[tuple[str, int, int, object]]) -> tuple[str, str, str]:
    """(centre name, cluster, year) as part A prints them, for a form whose Identity is lost."""
    by_cell = {(sheet, row, col): canonical(value) for sheet, row, col, value in cells}
    name = cluster = year = ""
    for (sheet, row, col), text in by_cell.items():
        if sheet != model.SHEET_A:
            continue
        if text == "Centre":
            name = by_cell.get((sheet, row, col + 1), "")
        elif text == "Cluster":
            cluster = by_cell.get((sheet, row, col + 1), "")
        elif match := _A_TITLE.fullmatch(text):
            year = match.group(1)
    return name, cluster, year
