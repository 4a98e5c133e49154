"""The free text of an extract that workbooks show (activity service and provider names),
screened for personal details before anything is written.

A centre database's activity names are typed by staff and now and then hold a family's details
("Home visit J Smith DB1 1AA"). The names, dates of birth, addresses and postcodes of the
extract's own people are dropped at the door (:mod:`xl_profile.reach.extract`); this screen keeps
them from coming back through an activity's name. A name that holds any of these is withheld
(replaced by the activity's id, which is the database's own key, not a person's detail) and the
activity is listed, so that the record can be corrected in the database:

* a postcode, an email address, a run of seven or more digits (a telephone or NHS number) or a
  date;
* the first and last name of one of the extract's children or carers;
* the surname of one of the extract's families where no more than :data:`RARE_SURNAME` families
  share it (a common surname such as Green may be a place or a word in a service's name).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from ..tabular import Table

POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)
EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
DIGITS = re.compile(r"\d(?:[ -]?\d){6,}")
DATE = re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b")
#: A surname shared by at most this many families is taken as naming one of them.
RARE_SURNAME = 2
#: Shortest name (letters) looked for: shorter ones ("Jo", "Li") are words of service names too.
SHORTEST_NAME = 3
WITHHELD = "name withheld: it held personal details"
_WORD = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")


@dataclass(frozen=True)
class PersonalNames:
    """The extract's people as the screen looks for them (lower case): each surname with the
    first names that go with it, and the surnames few families share."""

    first_names: dict[str, frozenset[str]]
    rare_surnames: frozenset[str]


def personal_names(children: Table, carers: Table) -> PersonalNames:
    """First and last names of every child and carer, and the surnames few families share."""
    firsts: dict[str, set[str]] = {}
    families: dict[str, set[str]] = {}
    for table in (children, carers):
        for _number, row in table.rows:
            first, last = row["first_name"].strip().lower(), row["last_name"].strip().lower()
            if len(last) >= SHORTEST_NAME:
                families.setdefault(last, set()).add(row["family_id"])
                if len(first) >= SHORTEST_NAME:
                    firsts.setdefault(last, set()).add(first)
    return PersonalNames({last: frozenset(f) for last, f in firsts.items()},
                         frozenset(n for n, ids in families.items() if len(ids) <= RARE_SURNAME))


def holds_personal_details(text: str, names: PersonalNames) -> bool:
    """True when ``text`` holds a postcode, email, long number or date, a person's first and
    last name (in any order), or a surname few families share."""
    if any(p.search(text) for p in (POSTCODE, EMAIL, DIGITS, DATE)):
        return True
    words = {w.lower() for w in _WORD.findall(text)}
    return bool(words & names.rare_surnames) or any(
        words & names.first_names[w] for w in words if w in names.first_names)


def screen_activities(activities: pd.DataFrame,
                      names: PersonalNames) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """The activities with every service or provider name holding personal details withheld;
    and the ids of the activities whose names were withheld."""
    withheld = []
    services, providers = [], []
    for activity_id, service, provider in activities[["activity_id", "service", "provider"]] \
            .itertuples(index=False):
        hit_service = holds_personal_details(service, names)
        hit_provider = holds_personal_details(provider, names)
        if hit_service or hit_provider:
            withheld.append(activity_id)
        services.append(f"Activity {activity_id} ({WITHHELD})" if hit_service else service)
        providers.append(f"({WITHHELD})" if hit_provider else provider)
    return activities.assign(service=services, provider=providers), tuple(withheld)


def withheld_lines(activity_ids: tuple[str, ...]) -> list[str]:
    """What a run says of the names it withheld (ids only), for the database to be corrected."""
    if not activity_ids:
        return []
    shown = ", ".join(activity_ids[:10]) + (f" and {len(activity_ids) - 10} more"
                                            if len(activity_ids) > 10 else "")
    return [f"{len(activity_ids)} activity name(s) withheld from every workbook: they held a "
            f"name, postcode, number or date of a person (activity id {shown}); correct them in "
            "the centre database"]
