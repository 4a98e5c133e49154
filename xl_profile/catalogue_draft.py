"""Draft catalogue entries for indicators that source mappings name and the catalogue lacks.

The draft is a local catalogue file the loader already accepts, so a build can use it at once;
what only the analyst can say is marked ``TODO:`` in the text fields (title, numerator,
denominator, definition) and by a ``# TODO`` comment on the fields given a guessed value
(section, polarity, period type). ``xl-profile validate`` and ``build`` work with a draft; the
profile shows its TODO titles until they are finished.
"""

from __future__ import annotations

import re

import yaml

from .intake_mapping import UNITS, LoadedMapping, SourceMapping, ValueColumns
from .models import CIMethod, PeriodType, Section

#: Guessed fields: (value, what the analyst should decide).
_GUESSED = {"section": (Section.DEMOGRAPHICS.value,
                        "one of " + ", ".join(s.value for s in Section)),
            "polarity": ("no judgement", "high is good, low is good or no judgement")}
_CI = {"percentage": CIMethod.WILSON, "rate": CIMethod.RATE, "count": CIMethod.BYAR}


def period_type_of(period: str | None) -> tuple[PeriodType, bool]:
    """The period type a fixed period is written in, and whether that is sure."""
    first = (period or "").split("-")[0] if period and re.match(r"^\d{4}/", period) else period
    if first and re.match(r"^\d{4}/\d{2}", first):
        return PeriodType.FINANCIAL_YEAR, False  # or an academic year
    if first and re.match(r"^\d{4} Q[1-4]", first):
        return PeriodType.QUARTER, True
    if first and re.match(r"^\d{4}-\d{2}", first):
        return PeriodType.MONTH, True
    if first and re.match(r"^\d{3}1$", first):
        return PeriodType.CENSUS, False
    return PeriodType.CALENDAR_YEAR, bool(first and re.match(r"^\d{4}$", first))


def draft_entry(loaded: LoadedMapping, columns: ValueColumns) -> tuple[dict, dict[str, str]]:
    """(entry, comment by field) for one mapped indicator."""
    mapping: SourceMapping = loaded.mapping
    unit, multiplier = UNITS[columns.unit]
    period_type, sure = period_type_of(mapping.period)
    entry = {"id": columns.indicator,
             "title": f"TODO: title of {columns.indicator}",
             "section": _GUESSED["section"][0], "unit": unit,
             "polarity": _GUESSED["polarity"][0],
             "numerator": f"TODO: what column {columns.numerator or columns.value!r} counts"}
    if columns.denominator or unit in ("percentage", "rate"):
        mapped = columns.denominator or "(none mapped)"
        entry["denominator"] = f"TODO: what column {mapped!r} counts"
    entry.update({"ci_method": _CI.get(unit, CIMethod.NONE).value, "multiplier": multiplier,
                  "source": columns.source or mapping.source,
                  "native_level": mapping.level.value, "period_type": period_type.value,
                  "definition": f"TODO: definition (mapped in {loaded.path.name})"})
    comments = {field: f"TODO: {what}" for field, (_v, what) in _GUESSED.items()}
    if not sure:
        comments["period_type"] = ("TODO: check: " + ", ".join(p.value for p in PeriodType))
    return entry, comments


def draft_catalogue(mappings: list[LoadedMapping], known: set[str]) -> tuple[str, list[str]]:
    """YAML text of draft entries for the mapped ids not in ``known``, and those ids."""
    lines = ["# Draft catalogue entries written by 'xl-profile catalogue new'.",
             "# Finish every TODO before the profiles are circulated; field meanings are in",
             "# xl_profile/catalogue.py and README 'Your own authority'.", "indicators:"]
    drafted: list[str] = []
    for loaded in mappings:
        if not isinstance(loaded.mapping, SourceMapping):
            continue  # a Fingertips mapping names catalogue ids that must exist already
        for columns in loaded.mapping.values:
            if columns.indicator in known or columns.indicator in drafted:
                continue
            drafted.append(columns.indicator)
            entry, comments = draft_entry(loaded, columns)
            lines += _entry_lines(entry, comments)
    return "\n".join(lines) + "\n", drafted


def _entry_lines(entry: dict, comments: dict[str, str]) -> list[str]:
    out = []
    for position, (field, value) in enumerate(entry.items()):
        text = yaml.safe_dump({field: value}, allow_unicode=True, width=1000).strip()
        comment = f"  # {comments[field]}" if field in comments else ""
        out.append(("- " if position == 0 else "  ") + text + comment)
    return out
