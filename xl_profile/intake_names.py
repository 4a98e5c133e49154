"""Area names matched to codes, as agencies write them.

Names are compared ignoring case, punctuation, spacing and ``&``/``and``: "St James's",
"ST. JAMES'S" and "St James’s" are one name. A name that does not match is reported with the
closest name in the geography (by rapidfuzz's similarity), never matched by guesswork.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rapidfuzz import fuzz, process

from .models import Area

_NOT_WORD = re.compile(r"[^0-9a-z]+")


def name_key(name: str) -> str:
    """The form names are compared in: lower case, '&' as 'and', no punctuation or spaces."""
    text = name.casefold().replace("&", " and ").replace("’", "'")
    return _NOT_WORD.sub("", text.replace("'", ""))


class NameMatcher:
    """Codes of areas by name, for one level."""

    def __init__(self, areas: Iterable[Area]):
        self.codes: dict[str, str] = {}
        self.names: dict[str, str] = {}
        for area in areas:
            key = name_key(area.name)
            self.codes[key] = area.code
            self.names[key] = area.name

    def match(self, name: str) -> tuple[str | None, str | None]:
        """``(code, None)`` for a name that matches; ``(None, closest name)`` for one that does
        not (closest None when the level has no areas)."""
        key = name_key(name)
        if key in self.codes:
            return self.codes[key], None
        best = process.extractOne(key, list(self.names), scorer=fuzz.ratio)
        return None, (self.names[best[0]] if best else None)
