"""Reach measures: XLSX extracts, any period, LSOA populations, and a cross-check against pandas."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xlsxwriter

from test_reach import AS_OF, KEY, POPULATIONS, tiny_geography, tiny_tables, write_tables
from xl_profile.errors import ConfigError, InputError
from xl_profile.models import Area, Geography, Level, Membership
from xl_profile.reach import (compute_reach, load_extract, measures_for_period,
                              populations_from_lsoa, run_reach)
from xl_profile.reach.extract import FILES, Extract


def write_workbook(path: Path, tables, as_dates: bool = False) -> Path:
    """One workbook, a sheet per extract table; dates optionally as real date cells."""
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    for name, columns in FILES.items():
        sheet = book.add_worksheet(name)
        for c, column in enumerate(columns):
            sheet.write_string(0, c, column)
        for r, row in enumerate(tables[name], start=1):
            for c, column in enumerate(columns):
                text = row[column]
                if as_dates and column in ("date", "date_of_birth", "registered_on"):
                    try:
                        day = dt.datetime.fromisoformat(text)
                    except ValueError:
                        sheet.write_string(r, c, text)
                        continue
                    sheet.write_datetime(r, c, day, date_format)
                else:
                    sheet.write_string(r, c, text)
    book.close()
    return path


def test_xlsx_workbook_gives_the_same_measures_as_csv(tmp_path):
    from_csv = load_extract(write_tables(tmp_path / "csv", tiny_tables()), AS_OF, KEY)
    book = write_workbook(tmp_path / "extract.xlsx", tiny_tables(), as_dates=True)
    from_xlsx = load_extract(book, AS_OF, KEY)
    a = compute_reach(from_csv, tiny_geography(), POPULATIONS)
    b = compute_reach(from_xlsx, tiny_geography(), POPULATIONS)
    for months in (12, 24):
        pd.testing.assert_frame_equal(a.by_centre[months], b.by_centre[months])
    assert from_xlsx.unplaced_families == 1


def test_folder_of_xlsx_files_is_read(tmp_path):
    folder = write_tables(tmp_path / "ex", tiny_tables())
    (folder / "attendances.csv").unlink()
    single = write_workbook(tmp_path / "all.xlsx", tiny_tables())
    import openpyxl

    book = openpyxl.load_workbook(single)
    for name in list(book.sheetnames):
        if name != "attendances":
            del book[name]
    book.save(folder / "attendances.xlsx")
    extract = load_extract(folder, AS_OF, KEY)
    assert len(extract.attendances) == 8


def test_xlsx_problem_names_the_sheet_and_row(tmp_path):
    tables = tiny_tables()
    tables["families"][2]["registered_on"] = "31/03/2008"
    with pytest.raises(InputError) as err:
        load_extract(write_workbook(tmp_path / "bad.xlsx", tables), AS_OF, KEY)
    problem = err.value.problems[0]
    assert (problem.sheet, problem.row, problem.column) == ("families", 4, "registered_on")
    assert (problem.expected, problem.found) == ("YYYY-MM-DD", "31/03/2008")
    assert "sheet families" in str(err.value) and "row 4" in str(err.value)


def test_missing_sheet_and_missing_extract_are_named(tmp_path):
    tables = tiny_tables()
    book = write_workbook(tmp_path / "ex.xlsx", tables)
    import openpyxl

    wb = openpyxl.load_workbook(book)
    del wb["carers"]
    wb.save(book)
    with pytest.raises(InputError, match="no sheet named 'carers'"):
        load_extract(book, AS_OF, KEY)
    with pytest.raises(InputError, match="extract not found"):
        load_extract(tmp_path / "nowhere", AS_OF, KEY)


def test_any_period_includes_both_edges(tmp_path):
    extract = load_extract(write_tables(tmp_path / "ex", tiny_tables()), AS_OF, KEY)
    geography = tiny_geography()
    # 31 March 2007 (K2) to 1 April 2007 (K1): both attendances are on an edge.
    edges = measures_for_period(extract, geography, POPULATIONS, dt.date(2007, 3, 31),
                                dt.date(2007, 4, 1))
    assert edges.by_centre.loc["C1", "attendances"] == 2
    assert edges.by_centre.loc["C1", "children_seen"] == 2
    inner = measures_for_period(extract, geography, POPULATIONS, dt.date(2007, 4, 2),
                                dt.date(2008, 3, 30))
    assert inner.by_centre.loc["C1", "attendances"] == 2  # K1 and P1 in October
    assert inner.by_centre.loc["C2", "attendances"] == 2  # P2 in November, K4 in December
    assert list(inner.new_families.index) == [f"{y}-{m:02d}" for y, m in
                                               [(2007, m) for m in range(4, 13)]
                                               + [(2008, m) for m in range(1, 4)]]
    one_day = measures_for_period(extract, geography, POPULATIONS, AS_OF, AS_OF)
    assert one_day.by_centre.loc["C2", "attendances"] == 1  # K3 on the last day
    with pytest.raises(ConfigError, match="start 2008-04-01 is after end 2008-03-31"):
        measures_for_period(extract, geography, POPULATIONS, dt.date(2008, 4, 1), AS_OF)


def test_populations_from_lsoa_sum_share_times_population():
    areas = [Area(code="A", name="A", level=Level.AUTHORITY),
             Area(code="K", name="K", level=Level.CLUSTER, parent="A"),
             Area(code="C1", name="C1", level=Level.CENTRE, parent="K"),
             Area(code="C2", name="C2", level=Level.CENTRE, parent="K"),
             Area(code="W", name="W", level=Level.WARD, parent="A")]
    areas += [Area(code=c, name=c, level=Level.LSOA, parent="W") for c in ("L1", "L2")]
    members = [Membership(child="L1", parent="C1", share=1),
               Membership(child="L2", parent="C1", share=0.25),
               Membership(child="L2", parent="C2", share=0.75)]
    geography = Geography(areas=tuple(areas), memberships=tuple(members))
    pops = populations_from_lsoa(geography, {"L1": 100, "L2": 80},
                                 {"bme": {"L1": 40, "L2": 20}, "lone_parents": {"L2": 8}})
    assert pops["C1"] == {"all": 120.0, "bme": 45.0, "lone_parents": None}  # L1 missing
    assert pops["C2"] == {"all": 60.0, "bme": 15.0, "lone_parents": 6.0}


def test_run_reach_from_files(tmp_path):
    folder = write_tables(tmp_path / "ex", tiny_tables())
    run = run_reach(folder, tiny_geography(), {"L1": 10, "L2": 20}, AS_OF, KEY,
                    {"lone_parents": {"L1": 4, "L2": 1}})
    assert run.results.by_centre[12].loc["C1", "reach_pct"] == pytest.approx(10.0)
    assert run.results.populations["C1"]["lone_parents"] == 4
    assert run.results.periods[24].by_centre.loc["C1", "children_seen"] == 2


def random_extract(seed: int = 3, children: int = 400, attendances: int = 6000):
    """A privacy-reduced extract with random people and attendances, for cross-checks."""
    rng = np.random.default_rng(seed)
    lsoas = [f"L{i}" for i in (1, 2)]
    families = [f"f{i}" for i in range(children // 2)]
    fam_lsoa = dict(zip(families, rng.choice(lsoas + [None], len(families))))
    kids = pd.DataFrame({"pid": [f"c{i}" for i in range(children)],
                         "family": rng.choice(families, children)})
    kids = kids.assign(age=2, sex="F", ethnicity=rng.choice(["White British", "Indian", None],
                                                           children),
                       disabled=rng.random(children) < 0.1, sen=False,
                       lsoa=kids["family"].map(fam_lsoa))
    kids["bme"] = kids["ethnicity"].map({"White British": False, "Indian": True})
    carers = pd.DataFrame({"pid": [f"p{i}" for i in range(len(families))], "family": families,
                           "father": rng.random(len(families)) < 0.3, "relationship_known": True,
                           "lone_parent": rng.random(len(families)) < 0.3,
                           "teenage_parent": False, "disabled_parent": False, "employed": True})
    fams = pd.DataFrame({"family": families, "lsoa": [fam_lsoa[f] for f in families],
                         "centre": "C1", "registered_on": dt.date(2006, 1, 1)})
    acts = pd.DataFrame({"activity_id": ["A1", "A2", "A3"], "centre": ["C1", "C2", "C2"],
                         "service": ["S1", "S2", "S3"], "category": "", "provider": "P",
                         "kind": ["on-site", "outreach", "unmapped"]})
    people = pd.concat([kids[["pid", "family"]].assign(person="child"),
                        carers[["pid", "family"]].assign(person="carer")], ignore_index=True)
    who = people.iloc[rng.integers(0, len(people), attendances)].reset_index(drop=True)
    att = who.assign(date=pd.Timestamp(AS_OF) - pd.to_timedelta(rng.integers(0, 800, attendances),
                                                                unit="D"),
                     activity_id=rng.choice(acts["activity_id"], attendances))
    return Extract(kids, carers, fams, acts, att, [], 0, [], AS_OF)


def test_measures_agree_with_plain_pandas_group_bys():
    extract = random_extract()
    results = compute_reach(extract, tiny_geography(), POPULATIONS)
    att = extract.attendances.merge(extract.activities, on="activity_id")
    year = att[att["date"] >= pd.Timestamp("2007-04-01")]
    kids = year[year["person"] == "child"]
    table = results.by_centre[12]
    for centre, part in year.groupby("centre"):
        mine = kids[kids["centre"] == centre]
        assert table.loc[centre, "attendances"] == len(part)
        assert table.loc[centre, "families_seen"] == part["family"].nunique()
        assert table.loc[centre, "children_seen"] == mine["pid"].nunique()
        assert table.loc[centre, "repeat_children"] == (mine["pid"].value_counts() >= 2).sum()
        assert table.loc[centre, "outreach_attendances"] == (part["kind"] == "outreach").sum()
    seen = set(kids["pid"])
    for centre, lsoa in (("C1", "L1"), ("C2", "L2")):
        living = extract.children[extract.children["lsoa"] == lsoa]
        assert table.loc[centre, "reach_children"] == living["pid"].isin(seen).sum()
    services = results.by_service.set_index("service")
    assert services.loc["S2", "children"] == kids[kids["service"] == "S2"]["pid"].nunique()
    first = att.sort_values("date").drop_duplicates("family")
    first = first[first["date"] >= pd.Timestamp("2007-04-01")]
    assert results.new_families.values.sum() == len(first)


def cli_inputs(tmp_path):
    from xl_profile.geography_io import write_geography

    write_geography(tmp_path / "geo", tiny_geography())
    (tmp_path / "pops.csv").write_text("lsoa,population_0_4,lone_parents\nL1,10,4\nL2,20,\n")
    (tmp_path / "key").write_bytes(b"a secret of our own\n")
    return write_tables(tmp_path / "ex", tiny_tables())


def test_cli_writes_reports_from_an_extract_folder(tmp_path, capsys):
    from xl_profile.cli import main

    extract = cli_inputs(tmp_path)
    status = main(["reach", "--extract", str(extract), "--geography", str(tmp_path / "geo"),
                   "--populations", str(tmp_path / "pops.csv"), "--as-of", "2008-03-31",
                   "--key-file", str(tmp_path / "key"), "--out", str(tmp_path / "out")])
    assert status == 0
    captured = capsys.readouterr()
    written = [Path(line).name for line in captured.out.split()]
    assert written == ["reach-report-north.xlsx", "reach-quality.xlsx"]
    # The summary accounts for every attendance row read.
    # Attendance 4 is dated 2008-04-01, the day after the as-of date: left out and counted.
    assert "attendance rows read: 8\n" in captured.err and "  used: 7\n" in captured.err
    assert "  excluded, attendance dated after the as-of date: 1\n" in captured.err
    assert "of which in volume but not reach (family's postcode not in the postcode lookup (or " \
           "no address)): 1" in captured.err
    import openpyxl

    sheet = openpyxl.load_workbook(tmp_path / "out" / "reach-report-north.xlsx")["Demographics"]
    assert [c.value for c in sheet[5][:3]] == ["Centre One", 10, None]  # 0-4; no teenage parents


def test_cli_bad_input_fails_cleanly_and_writes_nothing(tmp_path, capsys, monkeypatch):
    from xl_profile.cli import main

    extract = cli_inputs(tmp_path)
    tables = tiny_tables()
    tables["attendances"][0]["activity_id"] = "A99"
    write_tables(extract, tables)
    args = ["reach", "--extract", str(extract), "--geography", str(tmp_path / "geo"),
            "--as-of", "2008-03-31", "--out", str(tmp_path / "out")]
    monkeypatch.delenv("XL_PROFILE_PSEUDONYM_KEY", raising=False)
    assert main(args) == 1
    assert "no pseudonym key" in capsys.readouterr().err
    monkeypatch.setenv("XL_PROFILE_PSEUDONYM_KEY", "secret")
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "attendances.csv, row 2, column activity_id" in err and "A99" in err
    assert list((tmp_path / "out").iterdir()) == []
    (tmp_path / "bad.csv").write_text("lsoa,population_0_4,lone_parent\nL1,ten,\n")
    assert main(args + ["--populations", str(tmp_path / "bad.csv")]) == 1
    err = capsys.readouterr().err
    assert "unknown column 'lone_parent'" in err
