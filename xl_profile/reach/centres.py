"""Centres as a centre database writes them, matched to the geography's centre codes.

An extract names the centre of each activity and of each family's registration as the centre
database holds it: often the centre's name ("Bluebell Children's Centre", "Bluebell CC"), not
the code the authority's geography gives it. A written centre is matched, in this order, by
code; by name as written; by name ignoring case, accents, punctuation and "and"/"&"; and by name
without the words that only say it is a centre ("children's centre", "centre", "CC"). A match
must be to one centre only. A centre matched by none of these is left as written: its
attendances are left out and counted ("activity at a centre not in the geography"), and the
report names it with the closest centre there is, never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..models import Geography, Level
from ..names import NameIndex, name_key
from .extract import Extract

#: Words at the end of a centre's name that only say it is a centre.
CENTRE_WORDS = ("childrens centre", "children centre", "childrens center", "centre", "center",
                "cc")
HOW_SHORT = "name without the words saying it is a centre"


@dataclass(frozen=True)
class CentreNames:
    """How the extract's written centres were matched: (written, code, how) for each centre
    written otherwise than by its code, and (written, why) for each left unmatched."""

    matched: tuple[tuple[str, str, str], ...] = ()
    unmatched: tuple[tuple[str, str], ...] = ()

    def lines(self) -> list[str]:
        """The build's report, one line per written centre that is not a code."""
        out = [f"extract centre {w!r} taken as {code} ({how})" for w, code, how in self.matched]
        out += [f"extract centre {w!r} is not in the geography: {why}; its attendances are "
                "left out" for w, why in self.unmatched]
        return out


def short_key(name: str) -> str:
    """``name_key`` without the words at its end that only say it is a centre."""
    key = name_key(name)
    for words in CENTRE_WORDS:
        if key.endswith(" " + words):
            return key[: -len(words) - 1]
    return key


def align_centres(extract: Extract, geography: Geography) -> tuple[Extract, CentreNames]:
    """The extract with every centre it names by a name of the geography's given that centre's
    code (see the module docstring), and the account of what was matched and what was not."""
    centres = geography.at_level(Level.CENTRE)
    index = NameIndex("centre", [c.code for c in centres], [c.name for c in centres])
    shorts: dict[str, list[str]] = {}
    for centre in centres:
        shorts.setdefault(short_key(centre.name), []).append(centre.code)
    written = sorted({t for t in (*extract.activities["centre"], *extract.families["centre"])
                      if isinstance(t, str) and t.strip()})
    codes, matched, unmatched = {}, [], []
    for text in written:
        match = index.match(text)
        code, how = match.code, match.how
        if code is None and match.how != "ambiguous":
            found = shorts.get(short_key(text), [])
            code, how = (found[0], HOW_SHORT) if len(found) == 1 else (None, how)
        if code is None:
            unmatched.append((text, index.problem_text(text, match)))
        elif how != "code":
            codes[text] = code
            matched.append((text, code, how))
    if codes:
        extract = replace(
            extract,
            activities=extract.activities.assign(
                centre=extract.activities["centre"].replace(codes)),
            families=extract.families.assign(centre=extract.families["centre"].replace(codes)))
    return extract, CentreNames(tuple(matched), tuple(unmatched))
