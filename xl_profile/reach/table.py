"""Reach from an attendance table held in memory (a worksheet range), by the reach reports' rules.

The table has a header row and one row per attendance, with the columns of
``docs/extract-format.md`` flattened into one table:

- required: ``child_id`` (or ``person_id``), ``date``, ``centre`` (the centre whose activity was
  attended) and ``lsoa`` (or ``small_area``: the small area of the person's home);
- optional: ``family_id`` (default: the person's own id), ``person`` (``child`` or ``carer``,
  default ``child``), ``ethnicity``, ``disability``, and for carers ``relationship``,
  ``lone_parent``, ``teenage_parent``, ``disabled_parent``, ``employment_status``;
- on a child's row, ``workless`` and ``disabled_parent`` (flags) describe the household as the
  centre's database knows it, carers who never attended included (the reports' rules: every
  carer's employment recorded and none employed; any carer disabled). Without them a household
  is judged from the carers' own rows in the range;
- ``date_of_birth``: attendances are then left out and counted as the extract loader does.

A person's details are taken from their first row. Reach areas are given as (small area, centre,
share) rows. The table becomes an :class:`~xl_profile.reach.extract.Extract` and a small
:class:`~xl_profile.models.Geography`, and the measures are those of
:func:`~xl_profile.reach.measures.measures_for_period`: one definition of reach everywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import ConfigError
from ..models import Area, Geography, Level, Membership
from .checks import NO, YES, iso_day
from .extract import WHITE_BRITISH, Extract, _exclusion_reasons
from .measures import GROUPS, _screened, measures_for_period, reach_percent, window
from .quality import AT_LOAD, BAD_DATE, RecordCounts

REQUIRED = {"child_id": ("child_id", "person_id"), "date": ("date",), "centre": ("centre",),
            "lsoa": ("lsoa", "small_area")}
OPTIONAL = ("family_id", "person", "ethnicity", "disability", "relationship", "lone_parent",
            "teenage_parent", "disabled_parent", "employment_status", "workless",
            "date_of_birth")
#: Columns read for every row (the rest describe a person and are read at their first row).
KEYS = ("child_id", "centre", "lsoa", "family_id", "person")
#: Day 0 of spreadsheet date serial numbers (1900 date system, after 28 February 1900).
SERIAL_EPOCH = pd.Timestamp("1899-12-30")


@dataclass(frozen=True)
class TableReach:
    """Members of every target group reached per centre in one period, and what became of the
    rows; :meth:`centre_table` adds the % for given populations."""

    start: dt.date
    end: dt.date
    reached: pd.DataFrame  # index centre, one column per group of GROUPS
    rows_read: int
    left_out: dict[str, int]  # reason -> attendance rows left out of every figure
    not_in_reach: dict[str, int] = field(default_factory=dict)  # used, but in no reach area

    def centre_table(self, group: str = "all",
                     populations: Mapping[str, float | None] | None = None) -> pd.DataFrame:
        """centre, reached, population, reach_pct, lower95, upper95, note for ``group``: the %
        withheld without a population and flagged above it, as in the reach reports."""
        if group not in GROUPS:
            raise ConfigError(f"group must be one of {', '.join(GROUPS)}; got {group!r}")
        rows = []
        for centre, reached in self.reached[group].items():
            population = (populations or {}).get(centre)
            rows.append({"centre": centre, "reached": float(reached), "population": population,
                         **reach_percent(float(reached), population)})
        return pd.DataFrame(rows, columns=["centre", "reached", "population", "reach_pct",
                                           "lower95", "upper95", "note"])


def _name(text: object) -> str:
    return str(text or "").strip().lower().replace(" ", "_")


def _by_value(values: Sequence[object], clean) -> np.ndarray:
    """``clean`` applied once per distinct value (a range repeats the same few values); blank
    cells (None) are cleaned as None."""
    codes, uniques = pd.factorize(np.asarray(values, dtype=object))
    cleaned = np.empty(len(uniques) + 1, dtype=object)
    cleaned[:] = [clean(u) for u in uniques] + [clean(None)]
    return cleaned[codes]


def _categorical(values: Sequence[object]) -> pd.Categorical:
    """Cleaned text (:func:`_cell_text`) as a categorical: each distinct cell cleaned once, and
    the codes kept so the measures never hash the strings again."""
    codes, uniques = pd.factorize(np.asarray(values, dtype=object))
    cleaned = [cell_text(u) for u in uniques] + [""]
    label_codes, labels = pd.factorize(np.asarray(cleaned, dtype=object))
    return pd.Categorical.from_codes(label_codes[codes], categories=pd.Index(labels))


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an id typed as a number arrives as 123.0
    return str(value).strip()


def _columns(header_row: Sequence[object]) -> dict[str, int]:
    """Standard column name -> position, from the header row."""
    header = [_name(h) for h in header_row]
    columns = {}
    for standard, aliases in REQUIRED.items():
        found = next((header.index(a) for a in aliases if a in header), None)
        if found is None:
            raise ConfigError(f"attendances: no column {' or '.join(aliases)} in the header row; "
                              f"expected {', '.join(a[0] for a in REQUIRED.values())}; found "
                              f"{', '.join(h for h in header if h) or 'no header'}")
        columns[standard] = found
    columns.update({name: header.index(name) for name in OPTIONAL if name in header})
    return columns


def table_frame(rows: Sequence[Sequence[object]]) -> tuple[pd.DataFrame, dict[str, int]]:
    """The columns read for every row (ids, centre, small area as categoricals, ``date`` as
    given), indexed by the row number the worksheet shows, blank rows dropped (a whole-column
    reference ends in them); and the positions of the columns describing a person, which are
    read at each person's first row only (:func:`person_details`)."""
    if not rows or len(rows) < 2:
        raise ConfigError("attendances: expected a header row and at least one attendance row; "
                          f"found {len(rows or [])} row(s)")
    columns = _columns(rows[0])
    body = rows[1:]
    out = {name: _categorical([row[i] for row in body]) for name, i in columns.items()
           if name in KEYS}
    out["date"] = pd.Series([row[columns["date"]] for row in body], dtype=object,
                            index=pd.RangeIndex(2, len(rows) + 1))
    frame = pd.DataFrame(out, index=pd.RangeIndex(2, len(rows) + 1))
    blank = np.logical_and.reduce([(frame[c] == "").to_numpy() for c in KEYS if c in frame]
                                  + [frame["date"].isna().to_numpy()])
    details = {name: i for name, i in columns.items() if name not in KEYS and name != "date"}
    return (frame[~blank] if blank.any() else frame), details


def person_details(first: pd.DataFrame, rows: Sequence[Sequence[object]],
                   details: dict[str, int]) -> pd.DataFrame:
    """``first`` (one row per person) with the person's detail columns, as given."""
    extra = {name: pd.Series([rows[n - 1][i] for n in first.index], index=first.index,
                             dtype=object) for name, i in details.items()}
    return first.assign(**extra)


def as_date(value: object, name: str = "as_of") -> dt.date:
    """A date from a datetime, an ISO text or a spreadsheet serial number."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        return (SERIAL_EPOCH + pd.Timedelta(days=int(value))).date()
    try:
        return dt.date.fromisoformat(iso_day(str(value)))
    except ValueError:
        raise ConfigError(f"{name}: expected a date (a date cell or YYYY-MM-DD); found "
                          f"{value!r}") from None


def _date_of(value: object) -> pd.Timestamp | None:
    """A date cell, ISO text or serial number as a day; None when it is none of them."""
    if isinstance(value, (dt.datetime, dt.date)):
        return pd.Timestamp(value).normalize()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return SERIAL_EPOCH + pd.Timedelta(days=int(value)) if value > 0 else None
    try:
        return pd.Timestamp(dt.date.fromisoformat(iso_day(str(value))))
    except ValueError:
        return None


def _dates(column: pd.Series) -> np.ndarray:
    """Days of the attendances; a row whose date cannot be read is named."""
    codes, uniques = pd.factorize(column.to_numpy())
    days = pd.DatetimeIndex([_date_of(u) for u in uniques] + [None]).to_numpy()
    dates = days[codes]
    bad = np.isnat(dates)
    if bad.any():
        row = column.index[bad.argmax()]
        raise ConfigError(f"attendances: row {row}, column date: not a date (expected a date "
                          f"cell or YYYY-MM-DD; found {column[row]!r}); {int(bad.sum())} such "
                          f"row(s)")
    return dates


def _flag(values: pd.Series) -> pd.Series:
    """Y/N, yes/no, true/false, 1/0 (text, logical or number) as True/False; else None."""
    def flag(text: object) -> bool | None:
        text = str(text).lower()
        return True if text in YES else False if text in NO else None
    return pd.Series(_by_value(values.to_numpy(), flag), index=values.index, dtype=object)


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    """A cleaned text column, or blanks when the range does not have it."""
    if column not in frame:
        return pd.Series("", index=frame.index, dtype=object)
    if column in KEYS:
        return frame[column]
    return pd.Series(_by_value(frame[column].to_numpy(), cell_text), index=frame.index)


def _none_if_blank(texts: pd.Series) -> pd.Series:
    return texts.astype(object).where(texts != "", None)


def _people(first: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Children, carers and families from each person's first row."""
    lsoa = _none_if_blank(first["lsoa"])
    kind = first["person"]
    kids = first[kind == "child"]
    ethnicity = _none_if_blank(_text(kids, "ethnicity"))
    children = pd.DataFrame({
        "pid": kids["pid"], "family": kids["family"], "age": None, "sex": "",
        "ethnicity": ethnicity,
        "bme": pd.Series(_by_value(ethnicity.to_numpy(), lambda e: None if e is None else
                                   e.lower() not in WHITE_BRITISH), index=kids.index),
        "disabled": _flag(_text(kids, "disability")),
        "sen": None, "lsoa": lsoa[kind == "child"]})
    adults = first[kind == "carer"]
    relationship = _text(adults, "relationship").str.lower()
    employment = _text(adults, "employment_status").str.lower()
    carers = pd.DataFrame({
        "pid": adults["pid"], "family": adults["family"], "father": relationship == "father",
        "relationship_known": relationship != "",
        **{name: _flag(_text(adults, name))
           for name in ("lone_parent", "teenage_parent", "disabled_parent")},
        "employed": pd.Series(_by_value(employment.to_numpy(), lambda e: None if not e else
                                        e == "employed"), index=adults.index)})
    carers = pd.concat([carers, _households(kids)], ignore_index=True)
    carers["teenage_parent"] = carers["teenage_parent"].fillna(False)
    families = pd.DataFrame({"family": first["family"], "lsoa": lsoa, "centre": first["centre"],
                             "registered_on": None}).drop_duplicates("family")
    return children, carers, families


def _households(kids: pd.DataFrame) -> pd.DataFrame:
    """One stand-in carer per family whose child's row gives ``workless`` or
    ``disabled_parent``: never seen at a centre, it only carries the household's flags."""
    if "workless" not in kids and "disabled_parent" not in kids:
        return pd.DataFrame()
    workless, disabled = _flag(_text(kids, "workless")), _flag(_text(kids, "disabled_parent"))
    given = (workless.notna() | disabled.notna()).to_numpy()
    families = kids["family"].astype(str)[given]
    return pd.DataFrame({
        "pid": "household:" + families, "family": families, "father": False,
        "relationship_known": False, "lone_parent": None, "teenage_parent": False,
        "disabled_parent": disabled[given],
        "employed": workless[given].map({True: False, False: True})}).drop_duplicates("family")


def _family(frame: pd.DataFrame, ids: pd.Series) -> pd.Series:
    """Family ids; a person with none is a family of their own."""
    if "family_id" not in frame:
        return ids
    family = frame["family_id"]
    if not (family == "").any():
        return family
    texts = np.where((family == "").to_numpy(), ids.astype(str), family.astype(str))
    return pd.Series(_categorical(texts), index=frame.index)


def _person_kinds(frame: pd.DataFrame) -> pd.Categorical:
    """child or carer for every row (a blank is a child); anything else is named."""
    if "person" not in frame:
        return pd.Categorical.from_codes(np.zeros(len(frame), dtype=np.int64), ["child"])
    labels = [(p or "child").lower() for p in frame["person"].cat.categories]
    wrong = [p for p, label in zip(frame["person"].cat.categories, labels)
             if label not in ("child", "carer")]
    if wrong:
        row = int((frame["person"] == wrong[0]).idxmax())
        raise ConfigError(f"attendances: row {row}, column person: expected child or carer; "
                          f"found {wrong[0]!r}")
    kinds = ["child", "carer"]
    lookup = np.array([kinds.index(label) for label in labels], dtype=np.int64)
    return pd.Categorical.from_codes(lookup[frame["person"].cat.codes.to_numpy()], kinds)


def table_extract(rows: Sequence[Sequence[object]], as_of: dt.date) -> Extract:
    """The attendance range as a privacy-reduced extract (ids kept as given: they are the
    analyst's own)."""
    frame, details = table_frame(rows)
    ids = frame["child_id"]
    if (ids == "").any():
        row = int((ids == "").idxmax())
        raise ConfigError(f"attendances: row {row}, column child_id: blank (expected the id of "
                          f"the person who attended)")
    person = _person_kinds(frame)
    coded = frame.assign(pid=ids, person=person, family=_family(frame, ids))
    first = person_details(coded.drop_duplicates("pid"), rows, details)
    children, carers, families = _people(first)
    centres = coded["centre"].cat.remove_unused_categories()
    activities = pd.DataFrame({"activity_id": centres.cat.categories.astype(str)})
    activities = activities.assign(centre=activities["activity_id"], service="", category="",
                                   provider="", kind="unmapped")
    attendances = pd.DataFrame({
        "date": _dates(frame["date"]), "activity_id": centres.array,
        "pid": coded["pid"].cat.remove_unused_categories().array,
        "family": coded["family"].cat.remove_unused_categories().array,
        "person": coded["person"].array})
    used, excluded = _age_checked(attendances, first, as_of)
    return Extract(children, carers, families, activities, used, [],
                   int(families["lsoa"].isna().sum()), [], as_of,
                   RecordCounts(len(attendances), excluded))


def _age_checked(attendances: pd.DataFrame, first: pd.DataFrame, as_of: dt.date
                 ) -> tuple[pd.DataFrame, dict[str, int]]:
    """The attendances the extract loader keeps, given the people's dates of birth where the
    range has them (none in the future, over 100 years before ``as_of`` or after the
    attendance, no child aged 5 or over), and how many were left out for each reason."""
    if "date_of_birth" not in first:
        return attendances, {}
    given = first["date_of_birth"].map(lambda v: v not in (None, ""))
    births = pd.Series(pd.to_datetime(_by_value(first["date_of_birth"].to_numpy(), _date_of)),
                       index=first["pid"].astype(str).to_numpy())
    unreadable = given.to_numpy() & births.isna().to_numpy()
    if unreadable.any():
        row = first.index[unreadable.argmax()]
        raise ConfigError(f"attendances: row {row}, column date_of_birth: not a date (expected a "
                          f"date cell or YYYY-MM-DD; found {first.loc[row, 'date_of_birth']!r})")
    pid = attendances["pid"].array
    born = pd.Series(births.reindex(pid.categories.astype(str)).to_numpy()[pid.codes])
    reason = _exclusion_reasons(attendances, born, as_of)
    counts = {label: int((reason == label).sum()) for label in AT_LOAD
              if label != BAD_DATE}
    return attendances[(reason == "").to_numpy()].reset_index(drop=True), \
        {label: n for label, n in counts.items() if n}


def reach_geography(areas: Sequence[Sequence[object]]) -> Geography:
    """A geography of reach areas from (small area, centre[, share]) rows, header row first."""
    if not areas or len(areas) < 2:
        raise ConfigError("areas: expected a header row and (small area, centre, share) rows")
    memberships: dict[tuple[str, str], float] = {}
    for number, row in enumerate(areas[1:], start=2):
        cells = list(row) + [None] * 3
        if all(c in (None, "") for c in cells[:3]):
            continue
        lsoa, centre, share = str(cells[0] or "").strip(), str(cells[1] or "").strip(), cells[2]
        share = 1.0 if share in (None, "") else share
        if not lsoa or not centre or not isinstance(share, (int, float)) or not 0 < share <= 1:
            raise ConfigError(f"areas: row {number}: expected small area, centre and a share "
                              f"above 0 and at most 1; found {cells[:3]!r}")
        memberships[(lsoa, centre)] = float(share)
    centres = sorted({c for _l, c in memberships})
    lsoas = sorted({lsoa for lsoa, _c in memberships})
    built = [Area(code="_LA", name="Authority", level=Level.AUTHORITY),
             Area(code="_CLUSTER", name="All centres", level=Level.CLUSTER, parent="_LA"),
             *(Area(code=c, name=c, level=Level.CENTRE, parent="_CLUSTER") for c in centres),
             *(Area(code=s, name=s, level=Level.LSOA) for s in lsoas if s not in centres)]
    return Geography(areas=tuple(built), memberships=tuple(
        Membership(child=lsoa, parent=centre, share=share, method="lookup")
        for (lsoa, centre), share in memberships.items()))


def table_reach(rows: Sequence[Sequence[object]], areas: Sequence[Sequence[object]],
                as_of: object, months: int = 12) -> TableReach:
    """Children and group members reached per centre in the ``months`` to ``as_of``.

    Args:
        rows: the attendance range, header row first (see the module docstring).
        areas: reach areas as (small area, centre, share) rows, header row first.
    Raises:
        ConfigError: a missing column, an unreadable date or bad months.
    """
    if months not in (12, 24):
        raise ConfigError(f"months must be 12 or 24; got {months!r}")
    months = int(months)  # Excel passes 12.0
    end = as_date(as_of)
    geography = reach_geography(areas)
    extract = table_extract(rows, end)
    start, _end = window(end, months)
    centres = [a.code for a in geography.at_level(Level.CENTRE)]
    period = measures_for_period(extract, geography, {}, start.date(), end)
    groups = period.target_groups
    reached = groups[groups["centre"].isin(centres)].pivot(
        index="centre", columns="group", values="reached").reindex(index=centres,
                                                                    columns=list(GROUPS))
    # The account of rows as the reach reports give it (left out; used but in no reach area).
    records = _screened(extract, geography)[1]
    return TableReach(start.date(), end, reached.fillna(0.0), records.read,
                      dict(records.excluded), dict(records.not_placed))
