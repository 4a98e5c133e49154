"""A synthetic centre database extract for the demo borough: fictional people, real mess.

Deterministic for a seed. Includes what real extracts have: misspelt duplicate registrations,
missing fields (worse at a new centre), unknown activity categories, out-of-area postcodes,
free text starting with ``=``, ``+``, ``-`` or ``@`` (which must never become a formula), rows
exported twice, mistyped dates and dates of birth, an older sibling at sessions and sessions at
a centre outside the geography (each left out of the figures and counted).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..atomic import write_text_atomic
from ..models import Level
from ..reach.extract import FILES

FIRST = ("Amara", "Bilal", "Chloe", "Dylan", "Esme", "Farah", "Gideon", "Hana", "Idris", "Jade",
         "Kofi", "Lena", "Milo", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Samir", "Tilly")
LAST = ("Abbott", "Begum", "Carver", "Dimitrov", "Eze", "Fairweather", "Gallo", "Hussain",
        "Ingram", "Jaworski", "Kamara", "Lindqvist", "Mensah", "Novak", "Okafor", "Petrakis")
ETHNICITY = ("White British", "White Other", "Bangladeshi", "Black African", "Black Caribbean",
             "Indian", "Pakistani", "Mixed", "Chinese", "Other")
ETHNIC_WEIGHTS = (0.38, 0.12, 0.10, 0.12, 0.06, 0.05, 0.05, 0.07, 0.02, 0.03)
SERVICES = (("Stay and play", "on-site session"), ("Baby massage", "on-site session"),
            ("Health visitor clinic", "on-site session"), ("Home visit", "outreach home visit"),
            ("Park play day", "outreach event"), ("Speech and language", "commissioned service"),
            ("Adult learning", "commissioned service"), ("Messy play??", "drop in (old code)"))
MESSY_TEXT = ("=HYPERLINK(\"http://example.invalid\",\"click\")", "+44 outreach team",
              "-- see notes --", "@Library partners")
NEW_CENTRE = "CC12"  # opened eight months ago: records are thin
BACKLOG_CENTRE = "CC05"  # most registers of the last three months not yet entered
OUT_OF_AREA = ("ZZ99 1ZZ", "ZZ99 2ZZ")
NEIGHBOUR_CENTRE = "NB01"  # a neighbouring authority's centre, not in the demo geography


@dataclass(frozen=True)
class DemoExtract:
    """Rows of each extract file, as strings."""

    tables: dict[str, list[dict[str, str]]]


def _postcodes(lsoas: list[str], rng: np.random.Generator) -> dict[str, list[str]]:
    """Three to five fictional postcodes (area 'DB') per LSOA."""
    codes: dict[str, list[str]] = {}
    n = 0
    for lsoa in lsoas:
        codes[lsoa] = []
        for _ in range(int(rng.integers(3, 6))):
            district, unit = divmod(n, 26 * 9)
            codes[lsoa].append(f"DB{district + 1} {unit // 26 + 1}{chr(65 + unit % 26)}A")
            n += 1
    return codes


def _name(rng: np.random.Generator) -> tuple[str, str]:
    return str(rng.choice(FIRST)), str(rng.choice(LAST))


def _misspell(name: str, rng: np.random.Generator) -> str:
    i = int(rng.integers(1, max(2, len(name) - 1)))
    return name[:i] + name[i + 1:] if rng.random() < 0.5 else name[:i] + name[i] + name[i:]


def generate_demo_extract(demo, seed: int = 2008, families: int = 3000,
                          as_of: dt.date = dt.date(2008, 3, 31)) -> DemoExtract:
    """Generate an extract for the demo borough (about 20 attendances per family over 2 years)."""
    rng = np.random.default_rng(seed + 5)
    geography = demo.geography
    centres = [c.code for c in geography.at_level(Level.CENTRE)]
    lsoa_centre = {m.child: m.parent for m in geography.memberships if m.parent in centres}
    lsoas = [a.code for a in geography.at_level(Level.LSOA)]
    postcodes = _postcodes(lsoas, rng)
    tables: dict[str, list[dict[str, str]]] = {name: [] for name in FILES}
    tables["postcode_lsoa"] = [{"postcode": p, "lsoa": lsoa}
                               for lsoa in lsoas for p in postcodes[lsoa]]
    tables["activities"] = _activities(centres, rng)
    acts_by_centre: dict[str, list[str]] = {}
    for a in tables["activities"]:
        acts_by_centre.setdefault(a["centre"], []).append(a["activity_id"])
    weights = np.array([demo.populations_0_4[l] for l in lsoas], dtype=float)
    for f in range(1, families + 1):
        lsoa = lsoas[int(rng.choice(len(lsoas), p=weights / weights.sum()))]
        centre = lsoa_centre.get(lsoa) or centres[int(rng.integers(len(centres)))]
        _family(tables, f, lsoa, centre, postcodes, acts_by_centre, as_of, rng)
    _duplicates(tables, rng)
    _record_mess(tables, as_of, np.random.default_rng(seed + 6))
    return DemoExtract(tables)


def _activities(centres: list[str], rng: np.random.Generator) -> list[dict[str, str]]:
    rows = []
    for c in centres:
        for s, (service, category) in enumerate(SERVICES):
            provider = "Centre staff" if category != "commissioned service" else "Health trust"
            if rng.random() < 0.08:
                provider = MESSY_TEXT[int(rng.integers(len(MESSY_TEXT)))]
            rows.append({"activity_id": f"{c}-A{s + 1:02d}", "centre": c, "service": service,
                         "category": category, "provider": provider})
    rows[3]["service"] = MESSY_TEXT[0]  # text that looks like a formula
    return rows


def _family(tables, f: int, lsoa: str, centre: str, postcodes, acts_by_centre, as_of,
            rng: np.random.Generator) -> None:
    fid = f"F{f:05d}"
    thin = centre == NEW_CENTRE
    postcode = str(rng.choice(postcodes[lsoa])) if rng.random() > 0.03 else \
        str(rng.choice(OUT_OF_AREA))
    registered = as_of - dt.timedelta(days=int(rng.integers(0, 240 if thin else 900)))
    tables["families"].append({"family_id": fid, "registered_on": registered.isoformat(),
                               "centre": centre})
    tables["addresses"].append({"family_id": fid, "address": f"{int(rng.integers(1, 200))} "
                                f"{rng.choice(LAST)} Road", "postcode": postcode})
    surname = _name(rng)[1]
    people, births = [], {}
    for k in range(int(rng.integers(1, 3))):
        cid = f"C{f:05d}{k}"
        born = as_of - dt.timedelta(days=int(rng.integers(30, 5 * 365)))
        missing = rng.random() < (0.45 if thin else 0.08)
        tables["children"].append({
            "child_id": cid, "family_id": fid, "first_name": _name(rng)[0], "last_name": surname,
            "date_of_birth": born.isoformat(), "sex": str(rng.choice(["F", "M"])),
            "ethnicity": "" if missing else str(rng.choice(ETHNICITY, p=ETHNIC_WEIGHTS)),
            "disability": "" if missing else ("Y" if rng.random() < 0.012 else "N"),
            "special_needs": "Y" if rng.random() < 0.06 else "N"})
        people.append(cid)
        births[cid] = born
    people += _carers(tables, f, fid, surname, thin, as_of, rng)
    _attend(tables, people, births, acts_by_centre[centre], registered, as_of, rng,
            backlog=centre == BACKLOG_CENTRE)


def _carers(tables, f: int, fid: str, surname: str, thin: bool, as_of,
            rng: np.random.Generator) -> list[str]:
    lone = rng.random() < 0.3
    ids = []
    roles = ["mother"] if lone else ["mother", "father"]
    for k, role in enumerate(roles):
        carer = f"P{f:05d}{k}"
        teen = rng.random() < 0.012
        age = int(rng.integers(16, 20)) if teen else int(rng.integers(20, 45))
        employment = "" if rng.random() < (0.5 if thin else 0.15) else str(
            rng.choice(["employed", "unemployed", "not seeking work"], p=[0.55, 0.3, 0.15]))
        tables["carers"].append({
            "carer_id": carer, "family_id": fid, "first_name": _name(rng)[0], "last_name": surname,
            "date_of_birth": (as_of - dt.timedelta(days=age * 365 + 100)).isoformat(),
            "relationship": role if rng.random() > 0.1 else "",
            "lone_parent": "" if thin and rng.random() < 0.5 else ("Y" if lone else "N"),
            "teenage_parent": "Y" if teen else "N",
            "disabled_parent": "Y" if rng.random() < 0.05 else "N",
            "employment_status": employment, "language": str(rng.choice(["English", "Bengali",
                                                                         "Somali", "Arabic"]))})
        ids.append(carer)
    return ids


def _attend(tables, people: list[str], births: dict[str, dt.date], activities: list[str],
            registered: dt.date, as_of: dt.date, rng: np.random.Generator,
            backlog: bool = False) -> None:
    """Sessions of the family since registration; a child comes only once born."""
    visits = int(rng.poisson(10))
    span = max(1, (as_of - registered).days)
    for _ in range(visits):
        day = registered + dt.timedelta(days=int(rng.integers(0, span + 1)))
        activity = str(rng.choice(activities))
        if backlog and (as_of - day).days < 90 and rng.random() < 0.8:
            continue  # the paper register is still waiting to be entered
        for person in people:
            if rng.random() < 0.7 and day >= births.get(person, day):
                n = len(tables["attendances"]) + 1
                tables["attendances"].append({"attendance_id": f"T{n:07d}", "date": day.isoformat(),
                                              "activity_id": activity, "person_id": person})


def _duplicates(tables, rng: np.random.Generator) -> None:
    """Register about 2% of children twice: a second family record at the same address, with
    the first name misspelt, as happens when a family signs up again at another session."""
    families = {f["family_id"]: f for f in tables["families"]}
    addresses = {a["family_id"]: a for a in tables["addresses"]}
    for child in list(tables["children"][::50]):
        family = child["family_id"] + "D"
        if family not in families:
            families[family] = dict(families[child["family_id"]], family_id=family)
            tables["families"].append(families[family])
            tables["addresses"].append(dict(addresses[child["family_id"]], family_id=family))
        tables["children"].append(dict(child, child_id=child["child_id"] + "D", family_id=family,
                                       first_name=_misspell(child["first_name"], rng)))


def _record_mess(tables, as_of: dt.date, rng: np.random.Generator) -> None:
    """Records real databases hold and reach must count, not use: rows exported twice, dates
    typed wrongly, impossible dates of birth, an older sibling at a session and sessions run
    for a neighbouring authority's centre."""
    attendances = tables["attendances"]
    for i in rng.choice(len(attendances), size=len(attendances) // 200, replace=False):
        attendances.append(dict(attendances[int(i)]))  # exported twice
    for i, typed in zip(rng.choice(len(attendances), size=3, replace=False),
                        ("31/04/2007", "", "2007-02-30")):
        attendances[int(i)]["date"] = typed
    children = tables["children"]
    children[7]["date_of_birth"] = "1905" + children[7]["date_of_birth"][4:]  # century typo
    children[11]["date_of_birth"] = "2099" + children[11]["date_of_birth"][4:]
    _older_sibling(tables, as_of, rng)
    tables["activities"].append({"activity_id": "NB01-A01", "centre": NEIGHBOUR_CENTRE,
                                 "service": "Stay and play", "category": "on-site session",
                                 "provider": "Neighbouring authority"})
    for k, child in enumerate(children[20:26]):
        day = as_of - dt.timedelta(days=int(rng.integers(1, 28)))  # every child is born by then
        attendances.append({"attendance_id": f"NB{k:05d}", "date": day.isoformat(),
                            "activity_id": "NB01-A01", "person_id": child["child_id"]})
    _year_typed_wrong(tables)


def _year_typed_wrong(tables) -> None:
    """An attendance whose year was typed one too low: it falls before the child was born."""
    born = {c["child_id"]: c["date_of_birth"] for c in tables["children"]}
    visit = next(a for a in tables["attendances"]
                 if a["person_id"] in born and a["date"][:4].isdigit() and
                 int(a["date"][:4]) - 1 < int(born[a["person_id"]][:4]))
    earlier = str(int(visit["date"][:4]) - 1) + visit["date"][4:]
    tables["attendances"].append(dict(visit, attendance_id="TY00001", date=earlier))


def _older_sibling(tables, as_of: dt.date, rng: np.random.Generator) -> None:
    """A six-year-old brought along to a younger sibling's sessions."""
    first = tables["children"][0]
    sibling = dict(first, child_id=first["child_id"][:-1] + "9", first_name="Rosa",
                   date_of_birth=(as_of - dt.timedelta(days=6 * 365 + 40)).isoformat())
    tables["children"].append(sibling)
    visits = [a for a in tables["attendances"] if a["person_id"] == first["child_id"]]
    for k, visit in enumerate(visits[:4]):
        tables["attendances"].append(dict(visit, attendance_id=f"SB{k:05d}",
                                          person_id=sibling["child_id"]))


def write_extract(extract: DemoExtract, directory: Path) -> list[Path]:
    """Write one CSV per extract table into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, columns in FILES.items():
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(extract.tables[name])
        path = directory / f"{name}.csv"
        write_text_atomic(path, buffer.getvalue())
        written.append(path)
    return written
