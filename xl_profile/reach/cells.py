"""Reach ranges as a worksheet holds them: the answer of ``=CC_REACH`` for one centre or every
centre, and an extract or geography turned into the ranges :func:`~.table.table_reach` reads."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import ConfigError
from ..models import Geography, Level
from .extract import Extract
from .measures import GROUPS, reach_percent
from .table import TableReach, cell_text


REACH_HEADER = ["centre", "reached", "population", "reach %", "lower 95%", "upper 95%", "note"]


def centre_populations(population: object) -> dict[str, float]:
    """centre -> population from (centre, population) rows; a first row naming the columns and
    blank rows are skipped."""
    rows = population if isinstance(population, list) else []
    out: dict[str, float] = {}
    for number, row in enumerate(rows, start=1):
        cells = list(row) + [None, None] if isinstance(row, list) else [row, None]
        if cells[0] in (None, "") and cells[1] in (None, ""):
            continue
        if number == 1 and isinstance(cells[1], str):
            continue  # the header
        if not isinstance(cells[1], (int, float)) or cells[1] < 0 or cells[0] in (None, ""):
            raise ConfigError(f"population: row {number}: expected a centre and a population "
                              f"of 0 or more; found {cells[:2]!r}")
        out[cell_text(cells[0])] = float(cells[1])
    return out


def reach_cells(result: TableReach, centre: object = None, group: str = "all",
                population: object = None) -> object:
    """Reach as a worksheet shows it: for one ``centre`` the number reached, or with a
    ``population`` number [reach %, lower, upper, note]; without a centre the whole table
    (header row first, ``population`` a (centre, population) range), then a row for each reason
    attendances were left out, or used but counted in no reach area, as the reports account
    for them."""
    if centre not in (None, ""):
        code = cell_text(centre)
        if code not in result.reached.index:
            raise ConfigError(f"centre {code!r} has no reach area in areas; expected one of "
                              f"{', '.join(result.reached.index)}")
        if group not in GROUPS:
            raise ConfigError(f"group must be one of {', '.join(GROUPS)}; got {group!r}")
        if population in (None, ""):
            return float(result.reached.loc[code, group])
        if isinstance(population, list) or not isinstance(population, (int, float)):
            raise ConfigError(f"population: expected one number for centre {code}; found "
                              f"{population!r}")
        row = reach_percent(float(result.reached.at[code, group]), float(population))
        return [row["reach_pct"], row["lower95"], row["upper95"], row["note"]]
    table = result.centre_table(group, centre_populations(population))
    cells = table.astype(object).where(table.notna(), None).to_numpy().tolist()
    account = [[reason, n, None, None, None, None, label]
               for counts, label in ((result.left_out, "left out"),
                                     (result.not_in_reach, "seen, in no reach area"))
               for reason, n in counts.items() if n]
    return [REACH_HEADER] + cells + account


def area_rows(geography: Geography) -> list[list[object]]:
    """A geography's reach areas as the (small area, centre, share) range :func:`table_reach`
    reads, header first."""
    centres = {a.code for a in geography.at_level(Level.CENTRE)}
    return [["lsoa", "centre", "share"]] + [[m.child, m.parent, m.share]
                                            for m in geography.memberships if m.parent in centres]


def _household_flags(extract: Extract) -> pd.DataFrame:
    """Per family: workless and any carer disabled, by the reach reports' rules."""
    from .people import group_members

    members = group_members(extract)
    families = extract.children["family"].unique()
    return pd.DataFrame({
        "workless": pd.Series(families, index=families).isin(members["workless"]["family"]),
        "disabled_parent": pd.Series(families, index=families).isin(
            members["disabled_parents"]["family"])})


def extract_rows(extract: Extract) -> list[list[object]]:
    """An extract's attendances as the flat range :func:`table_reach` reads, header first (the
    pseudonymous ids, never names, birth dates or postcodes). Like the rows the loader leaves
    out, those dated after the as-of date are not in it: the reports leave them out too."""
    att = extract.attendances
    att = att[(att["date"] <= pd.Timestamp(extract.as_of)).to_numpy()]
    centre = extract.activities.set_index("activity_id")["centre"]
    people = pd.concat([
        extract.children.assign(person="child").rename(columns={"disabled": "disability"}),
        extract.carers.assign(person="carer")]).drop_duplicates("pid").set_index("pid")
    family_lsoa = extract.families.drop_duplicates("family").set_index("family")["lsoa"]
    lsoa = people["lsoa"].where(people["lsoa"].notna(), people["family"].map(family_lsoa))
    households = _household_flags(extract)
    child = people["person"] == "child"
    carer_flags = ("lone_parent", "teenage_parent", "disabled_parent")
    yes_no = {True: "Y", False: "N"}
    details = pd.DataFrame({
        "family_id": people["family"], "person": people["person"], "lsoa": lsoa,
        "ethnicity": people["ethnicity"], "disability": people["disability"].map(yes_no),
        "relationship": np.where(people["father"].fillna(False).astype(bool), "father", ""),
        **{flag: people[flag].map(yes_no) for flag in carer_flags},
        "employment_status": people["employed"].map({True: "employed", False: "unemployed"}),
        "workless": people["family"].map(households["workless"]).where(child).map(yes_no)})
    details.loc[child, "disabled_parent"] = people.loc[child, "family"].map(
        households["disabled_parent"]).map(yes_no)
    joined = details.reindex(att["pid"].astype(str))
    header = ["child_id", "date", "centre", "lsoa", *details.columns.drop("lsoa")]
    table = pd.DataFrame({"child_id": att["pid"].astype(str).to_numpy(),
                          "date": att["date"].dt.strftime("%Y-%m-%d").to_numpy(),
                          "centre": att["activity_id"].astype(str).map(centre).to_numpy(),
                          **{c: joined[c].to_numpy() for c in header[3:]}})
    table = table.astype(object).where(table.notna(), None)
    return [header] + table.to_numpy().tolist()
