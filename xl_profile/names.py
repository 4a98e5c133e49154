"""Match area names written by people to the codes of a boundary file.

Names in an authority's own spreadsheets are typed, not copied: "St James's" for the boundary
file's "St. James's", "Knightsbridge & Belgravia" for "Knightsbridge and Belgravia". Two names are
the same when they agree ignoring case, accents, punctuation, spacing and the word "and" (or "&").
A name that matches nothing is reported with the closest name there is, never guessed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

_NOT_WORD = re.compile(r"[^0-9a-z]+")
_APOSTROPHES = re.compile(r"['\u2018\u2019`]")
#: Words left out when names are compared ("&" becomes "and" first).
IGNORED_WORDS = frozenset({"and"})


def name_key(text: str) -> str:
    """The form two names are compared in: "St. James's" and "st james’s" give 'st jamess'.

    Apostrophes are dropped ("Queens Park" is "Queen's Park"); other punctuation separates words.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = _APOSTROPHES.sub("", plain.replace("&", " and ").casefold())
    words = _NOT_WORD.sub(" ", plain).split()
    return " ".join(w for w in words if w not in IGNORED_WORDS)


@dataclass(frozen=True)
class Match:
    """What a written name or code was matched to."""

    code: str | None  # None: no area of that code or name
    how: str  # "code", "name" (exactly as written), "name ignoring case and punctuation",
    #           "ambiguous" or "unmatched"
    candidates: tuple[str, ...] = ()  # ambiguous: the codes it could be


@dataclass
class NameIndex:
    """Codes and names of one kind of area, to look written names and codes up in."""

    kind: str  # "ward", "small area", "cluster"...
    codes: list[str]
    names: list[str]
    _by_key: dict[str, list[str]] = field(default_factory=dict, init=False, repr=False)
    _exact: dict[str, list[str]] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        for code, name in zip(self.codes, self.names):
            self._exact.setdefault(name.strip(), []).append(code)
            self._by_key.setdefault(name_key(name), []).append(code)
        self._code_set = set(self.codes)
        self._name_of = dict(zip(self.codes, self.names))

    def name_of(self, code: str) -> str:
        return self._name_of.get(code, code)

    def match(self, written: str) -> Match:
        """The area ``written`` names: by code, by name as written, or by name ignoring case,
        punctuation and 'and'/'&'."""
        text = written.strip()
        if text in self._code_set:
            return Match(text, "code")
        for how, found in (("name", self._exact.get(text, [])),
                           ("name ignoring case and punctuation",
                            self._by_key.get(name_key(text), []))):
            if len(found) == 1:
                return Match(found[0], how)
            if len(found) > 1:
                return Match(None, "ambiguous", tuple(found))
        return Match(None, "unmatched")

    def closest(self, written: str) -> str | None:
        """The code whose name (or code) is most like ``written``, or None when there are none."""
        choices = {i: name_key(n) for i, n in enumerate(self.names)}
        choices.update({len(self.names) + i: c.casefold() for i, c in enumerate(self.codes)})
        best = process.extractOne(name_key(written) or written.casefold(), choices,
                                  scorer=fuzz.WRatio)
        if best is None:
            return None
        position = best[2]
        return self.codes[position % len(self.names)] if self.names else None

    def describe(self, code: str) -> str:
        """'St. James's (E05000644)', or the code alone where the name is the code."""
        name = self.name_of(code)
        return f"{name!r} ({code})" if name != code else repr(code)

    def problem_text(self, written: str, match: Match) -> str:
        """Why ``written`` was not matched, with the closest name suggested."""
        if match.how == "ambiguous":
            return (f"more than one {self.kind} has this name: "
                    f"{', '.join(self.describe(c) for c in match.candidates)}; give the code")
        closest = self.closest(written)
        hint = f"; closest: {self.describe(closest)}" if closest is not None else ""
        return f"no {self.kind} has this name or code{hint}"
