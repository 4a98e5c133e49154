"""Centre database extracts (eStart-style), loaded with personal data reduced at the door.

An extract (see ``docs/extract-format.md``) is a folder holding one CSV or XLSX file per table, or
one XLSX workbook with a sheet per table: ``families``, ``children``, ``carers``, ``addresses``,
``activities``, ``attendances`` and a ``postcode_lsoa`` lookup. On load,
names, dates of birth, addresses and postcodes are reduced to what the measures need (age at the
period end, LSOA, a keyed pseudonymous id) inside :func:`load_extract`; nothing personal is held in
the :class:`Extract` it returns. Likely duplicate registrations are found inside the same function,
and only pseudonymous ids, a score and the matched fields come out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import InputError, Problem
from ..tabular import Table, read_table
from .checks import (employment, flag, iso_day, postcode_key, repeated_keys,
                     shared_person_ids)
from .quality import (AT_LOAD, BAD_DATE, DOB_AFTER, DOB_FUTURE, DOB_IMPLAUSIBLE, DUPLICATE,
                      OVER_FIVE, DuplicatePair, RecordCounts, likely_duplicates)
from .screen import personal_names, screen_activities

FILES: dict[str, list[str]] = {
    "families": ["family_id", "registered_on", "centre"],
    "children": ["child_id", "family_id", "first_name", "last_name", "date_of_birth", "sex",
                 "ethnicity", "disability", "special_needs"],
    "carers": ["carer_id", "family_id", "first_name", "last_name", "date_of_birth",
               "relationship", "lone_parent", "teenage_parent", "disabled_parent",
               "employment_status", "language"],
    "addresses": ["family_id", "address", "postcode"],
    "activities": ["activity_id", "centre", "service", "category", "provider"],
    "attendances": ["attendance_id", "date", "activity_id", "person_id"],
    "postcode_lsoa": ["postcode", "lsoa"],
}
CATEGORIES = {"outreach home visit": "outreach", "outreach event": "outreach",
              "on-site session": "on-site", "commissioned service": "commissioned"}
WHITE_BRITISH = {"white british", "wbri"}
#: Children aged this or more at an attendance are not under five: the attendance is left out.
UNDER_FIVE_LIMIT = 5
#: A date of birth more than this many years before the as-of date is taken as a typing error.
MAX_AGE_YEARS = 100
#: Above this share of unreadable attendance dates the file is in another date format: an error.
BAD_DATE_SHARE = 0.5


@dataclass(frozen=True)
class Extract:
    """An extract after privacy reduction: pseudonymous ids, ages, LSOAs; no personal data."""

    children: pd.DataFrame  # pid, family, age, sex, ethnicity, bme, disabled, sen, lsoa
    carers: pd.DataFrame  # pid, family, father, lone_parent, teenage_parent, disabled_parent, workless_known, employed
    families: pd.DataFrame  # family, lsoa, centre, registered_on
    activities: pd.DataFrame  # activity_id, centre, service, category, kind
    # date, then categoricals activity_id, pid, family, person ('child' or 'carer')
    attendances: pd.DataFrame
    duplicates: list[DuplicatePair]
    unplaced_families: int
    unmapped_categories: list[str]
    as_of: dt.date
    records: RecordCounts | None = None  # attendance rows read, excluded per reason, used
    #: Activities whose service or provider name held a person's details, withheld
    #: (:mod:`xl_profile.reach.screen`).
    withheld_names: tuple[str, ...] = ()


def pseudonym(key: bytes, kind: str, record_id: str) -> str:
    """Keyed pseudonymous id (HMAC-SHA256): stable for one key, unlinkable without it."""
    return hmac.new(key, f"{kind}:{record_id}".encode(), hashlib.sha256).hexdigest()[:16]


def _read(source: Path, name: str) -> Table:
    """One extract table: ``<name>.csv`` or ``<name>.xlsx`` in a folder, or sheet ``<name>`` of a
    workbook."""
    if source.is_file():
        table = read_table(source, sheet=name)
    else:
        candidates = [source / f"{name}{ext}" for ext in (".csv", ".xlsx")]
        found = [path for path in candidates if path.is_file()]
        if not found:
            raise InputError(Problem(str(source), None, None, f"missing extract file {name}.csv",
                                     expected=f"{name}.csv or {name}.xlsx (tables: "
                                              f"{', '.join(FILES)})",
                                     found="no such file"))
        table = read_table(found[0])
    problems = table.require_columns(FILES[name])
    if problems:
        raise InputError(problems)
    return table


def _date(table: Table, number: int, column: str, text: str, problems: list[Problem],
          required: bool = True) -> dt.date | None:
    if not text:
        if required:
            problems.append(table.problem(number, column, "date missing", "YYYY-MM-DD", "(blank)"))
        return None
    try:
        return dt.date.fromisoformat(iso_day(text))
    except ValueError:
        problems.append(table.problem(number, column, "not a date", "YYYY-MM-DD", text))
        return None


def _age(born: dt.date | None, on: dt.date) -> int | None:
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def load_extract(source: str | Path, as_of: dt.date, key: bytes) -> Extract:
    """Load an extract (folder of CSV/XLSX files, or a workbook), reducing personal data at the
    door.

    Args:
        source: the extract folder or workbook.
        as_of: last day of the reach period; ages are taken on this day.
        key: secret key of the pseudonymous ids (HMAC-SHA256); the same key gives the same ids.

    Attendance rows that cannot be used are left out and counted per reason in
    ``Extract.records`` (see :data:`~xl_profile.reach.quality.EXCLUSIONS`): exact duplicate rows,
    unreadable dates, a date of birth in the future, over 100 years before ``as_of`` or after the
    attendance, and children aged 5 or over at the attendance. Rows dated after ``as_of`` are
    kept (no age check is made of them) for the measures to leave out and count.

    Raises:
        InputError: every problem found (file, row, column, expected, found), among them a key
            repeated in a lookup table and a flag or employment status outside its values.
    """
    source = Path(source)
    if not source.exists():
        raise InputError(Problem(str(source), None, None, "extract not found",
                                 expected="a folder of extract files or an .xlsx workbook",
                                 found="no such file or folder"))
    tables = {name: _read(source, name) for name in FILES}
    problems = _key_problems(tables)
    lookup = {postcode_key(r["postcode"]): r["lsoa"] for _, r in tables["postcode_lsoa"].rows}
    family_lsoa = {r["family_id"]: lookup.get(postcode_key(r["postcode"]))
                   for _, r in tables["addresses"].rows}
    people, births, duplicates_input = {}, {}, []
    children = _children(tables["children"], as_of, key, family_lsoa, problems, people, births,
                         duplicates_input)
    carers = _carers(tables["carers"], as_of, key, problems, people, births)
    families = _families(tables["families"], key, family_lsoa, problems)
    activities, withheld = screen_activities(_activities(tables["activities"]),
                                             personal_names(tables["children"], tables["carers"]))
    attendances, records = _attendances(tables["attendances"], people, births,
                                        set(activities["activity_id"]), as_of, problems)
    if problems:
        raise InputError(problems)
    postcodes = {r["family_id"]: r["postcode"] for _, r in tables["addresses"].rows}
    duplicates = likely_duplicates(duplicates_input, postcodes, key)
    unmapped = sorted(activities.loc[activities["kind"] == "unmapped", "category"].unique())
    unplaced = int(families["lsoa"].isna().sum())
    return Extract(children, carers, families, activities, attendances, duplicates, unplaced,
                   unmapped, as_of, records, withheld)


def _key_problems(tables: dict[str, Table]) -> list[Problem]:
    """Repeated keys in the lookup tables, and carer ids that are also child ids: with either,
    a record would silently take the values of one row of two (or an attendance the wrong
    person)."""
    problems = [p for name in FILES if name != "attendances"
                for p in repeated_keys(name, tables[name], FILES[name])]
    return problems + shared_person_ids(tables["children"], tables["carers"])


def _children(table: Table, as_of, key, family_lsoa, problems, people, births,
              dup_input) -> pd.DataFrame:
    rows = []
    for number, r in table.rows:
        born = _date(table, number, "date_of_birth", r["date_of_birth"], problems, required=False)
        births[r["child_id"]] = born
        pid, family = pseudonym(key, "child", r["child_id"]), pseudonym(key, "family", r["family_id"])
        people[r["child_id"]] = (pid, family, "child")
        ethnicity = r["ethnicity"].strip()
        rows.append({"pid": pid, "family": family, "age": _age(born, as_of), "sex": r["sex"],
                     "ethnicity": ethnicity or None,
                     "bme": None if not ethnicity else ethnicity.lower() not in WHITE_BRITISH,
                     "disabled": flag(table, number, "disability", r["disability"], problems),
                     "sen": flag(table, number, "special_needs", r["special_needs"], problems),
                     "lsoa": family_lsoa.get(r["family_id"])})
        dup_input.append((pid, r["family_id"], f"{r['first_name']} {r['last_name']}", born))
    return pd.DataFrame(rows, columns=["pid", "family", "age", "sex", "ethnicity", "bme",
                                       "disabled", "sen", "lsoa"])


def _carers(table: Table, as_of, key, problems, people, births) -> pd.DataFrame:
    rows = []
    for number, r in table.rows:
        pid, family = pseudonym(key, "carer", r["carer_id"]), pseudonym(key, "family", r["family_id"])
        people[r["carer_id"]] = (pid, family, "carer")
        born = _date(table, number, "date_of_birth", r["date_of_birth"], problems, required=False)
        births[r["carer_id"]] = born
        flags = {c: flag(table, number, c, r[c], problems)
                 for c in ("lone_parent", "teenage_parent", "disabled_parent")}
        rows.append({"pid": pid, "family": family,
                     "father": r["relationship"].strip().lower() == "father",
                     "relationship_known": bool(r["relationship"].strip()),
                     "lone_parent": flags["lone_parent"],
                     "teenage_parent": flags["teenage_parent"] or (
                         _age(born, as_of) is not None and _age(born, as_of) < 20),
                     "disabled_parent": flags["disabled_parent"],
                     "employed": employment(table, number, r["employment_status"], problems)})
    return pd.DataFrame(rows, columns=["pid", "family", "father", "relationship_known",
                                       "lone_parent", "teenage_parent", "disabled_parent",
                                       "employed"])


def _families(table: Table, key, family_lsoa, problems) -> pd.DataFrame:
    rows = []
    for number, r in table.rows:
        rows.append({"family": pseudonym(key, "family", r["family_id"]),
                     "lsoa": family_lsoa.get(r["family_id"]), "centre": r["centre"],
                     "registered_on": _date(table, number, "registered_on", r["registered_on"],
                                            problems)})
    return pd.DataFrame(rows, columns=["family", "lsoa", "centre", "registered_on"])


def _activities(table: Table) -> pd.DataFrame:
    rows = [{"activity_id": r["activity_id"], "centre": r["centre"], "service": r["service"],
             "category": r["category"], "provider": r["provider"],
             "kind": CATEGORIES.get(r["category"].strip().lower(), "unmapped")}
            for _, r in table.rows]
    return pd.DataFrame(rows, columns=["activity_id", "centre", "service", "category", "provider",
                                       "kind"])


def _attendances(table: Table, people, births, activity_ids: set[str], as_of: dt.date,
                 problems) -> tuple[pd.DataFrame, RecordCounts]:
    """Attendances that can be used, and the count of every row left out and why.

    An unknown person or activity is an error in the extract (the tables do not agree); exact
    duplicate rows, unreadable dates and impossible ages are records to count and leave out.
    """
    numbers, dates, acts, persons, duplicates = _distinct_rows(table, people, activity_ids,
                                                               problems)
    pid, family, kind = zip(*persons) if persons else ((), (), ())
    # Categoricals: the measures count integer codes, never hashing these strings again.
    frame = pd.DataFrame({"date": pd.to_datetime(pd.Series(dates, dtype="object"),
                                                 format="%Y-%m-%d", errors="coerce"),
                          "activity_id": pd.Categorical(acts), "pid": pd.Categorical(pid),
                          "family": pd.Categorical(family), "person": pd.Categorical(kind)})
    _check_date_format(table, frame["date"].isna(), numbers, dates, problems)
    reason = _exclusion_reasons(frame, _births_by_row(frame["pid"], people, births), as_of)
    excluded = {DUPLICATE: duplicates}
    excluded.update({label: int((reason == label).sum()) for label in AT_LOAD})
    frame = frame[(reason == "").to_numpy()].reset_index(drop=True)
    if frame.empty and not problems:
        left_out = "; ".join(f"{reason}: {n}" for reason, n in excluded.items() if n)
        problems.append(table.problem(
            None, None, "no attendance can be used" + (f" (left out: {left_out})" if left_out
                                                         else ""),
            "at least one attendance with a real date, by a person of a possible age",
            f"{len(table.rows)} rows, none usable" if table.rows else "a header only"))
    for column in ("activity_id", "pid", "family", "person"):
        frame[column] = frame[column].cat.remove_unused_categories()
    return frame, RecordCounts(len(table.rows), excluded)


def _distinct_rows(table: Table, people, activity_ids: set[str], problems):
    """Row numbers, dates, activities and people of the rows naming a known person and
    activity, each once; and how many exact repeats were skipped."""
    seen: set[tuple[str, ...]] = set()
    numbers, dates, acts, persons, duplicates = [], [], [], [], 0
    for number, r in table.rows:
        person = people.get(r["person_id"])
        if person is None:
            problems.append(table.problem(number, "person_id", "unknown person",
                                          "a child_id or carer_id in the extract", r["person_id"]))
        elif r["activity_id"] not in activity_ids:
            problems.append(table.problem(number, "activity_id", "unknown activity",
                                          "an activity_id in activities.csv", r["activity_id"]))
        elif (key := (r["attendance_id"], r["date"], r["activity_id"], r["person_id"])) in seen:
            duplicates += 1
        else:
            seen.add(key)
            numbers.append(number)
            day = r["date"]  # ten characters: a day, or not a date, as parsing will find
            dates.append(day if len(day) == 10 else iso_day(day) or day)
            acts.append(r["activity_id"])
            persons.append(person)
    return numbers, dates, acts, persons, duplicates


def _births_by_row(pids: pd.Series, people, births) -> pd.Series:
    """Each attendance's person's date of birth (NaT where not recorded): converted once per
    person, then taken by the person's code."""
    by_pid = {people[raw][0]: _within_timestamps(day) for raw, day in births.items()}
    per_person = pd.to_datetime(pd.Series([by_pid.get(p) for p in pids.cat.categories],
                                          dtype="object"))
    return pd.Series(per_person.to_numpy()[pids.cat.codes.to_numpy()] if len(pids) else
                     per_person.to_numpy()[:0])


def _within_timestamps(day: dt.date | None) -> dt.date | None:
    """A date moved inside pandas' range (1677-2262); any date so far out is impossible anyway."""
    if day is None:
        return None
    return min(max(day, dt.date(1700, 1, 1)), dt.date(2200, 1, 1))


def _check_date_format(table: Table, bad: pd.Series, numbers, dates, problems) -> None:
    """Stray bad dates are counted and left out; mostly bad dates are a format problem."""
    if bad.any() and bad.mean() > BAD_DATE_SHARE:
        for i in bad[bad].index[:20]:
            problems.append(table.problem(numbers[i], "date", "not a date", "YYYY-MM-DD",
                                          dates[i]))


def _exclusion_reasons(frame: pd.DataFrame, born: pd.Series, as_of: dt.date) -> pd.Series:
    """The first reason (of :data:`EXCLUSIONS`) each attendance cannot be used, or ''."""
    on = frame["date"]
    born = born.reset_index(drop=True)
    oldest = pd.Timestamp(as_of) - pd.DateOffset(years=MAX_AGE_YEARS)
    # Age in whole years on the day: a birthday not yet reached that year takes one off.
    before_birthday = (on.dt.month * 100 + on.dt.day) < (born.dt.month * 100 + born.dt.day)
    age = on.dt.year - born.dt.year - before_birthday.astype(int)
    checks = [(on.isna(), BAD_DATE), (born > pd.Timestamp(dt.date.today()), DOB_FUTURE),
              (born < oldest, DOB_IMPLAUSIBLE), (born > on, DOB_AFTER),
              ((frame["person"] == "child").to_numpy() & (age >= UNDER_FIVE_LIMIT), OVER_FIVE)]
    # A row dated after the as-of date is kept for the measures, which count it under that
    # reason (the third): with a date typed into the future (2030), every age check is wrong.
    later = (on > pd.Timestamp(as_of)).to_numpy()
    reason = pd.Series("", index=frame.index, dtype=object)
    for mask, label in checks:
        reason[(reason == "") & mask.fillna(False).to_numpy() & ~later] = label
    return reason
