"""Centres an extract names as a centre database writes them: matched to the geography's codes
by code, name, name ignoring case and punctuation, or name without "Children's Centre"; never
guessed; the reach figures are those of the same extract written with codes."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from xl_profile.config import load_config
from xl_profile.demo.inputs import write_demo_inputs
from xl_profile.geography_io import load_geography
from xl_profile.models import Area, Geography, Level
from xl_profile.reach.centres import align_centres, short_key
from xl_profile.reach.extract import Extract, load_extract
from xl_profile.reach.measures import compute_reach
from xl_profile.reach.populations import lsoa_populations


def _geography() -> Geography:
    areas = [Area(code="A", name="Authority", level=Level.AUTHORITY),
             Area(code="K", name="North", level=Level.CLUSTER, parent="A")]
    areas += [Area(code=code, name=name, level=Level.CENTRE, parent="K") for code, name in (
        ("CC01", "Bluebell Children's Centre"), ("CC02", "St. Mary's Children's Centre"),
        ("CC03", "Oak Centre"), ("CC04", "Oak Children's Centre"), ("CC05", "Elm CC"))]
    return Geography(areas=tuple(areas))


def _extract(activity_centres: list[str], family_centres: list[str]) -> Extract:
    empty = pd.DataFrame()
    return Extract(children=empty, carers=empty,
                   families=pd.DataFrame({"family": [f"f{i}" for i in range(len(family_centres))],
                                          "centre": family_centres}),
                   activities=pd.DataFrame({"activity_id": [f"a{i}" for i in
                                                            range(len(activity_centres))],
                                            "centre": activity_centres}),
                   attendances=empty, duplicates=[], unplaced_families=0,
                   unmapped_categories=[], as_of=dt.date(2008, 3, 31))


def test_written_centres_are_matched_by_code_name_or_name_without_centre_words():
    written = ["CC01", "Bluebell Children's Centre", "st marys childrens centre", "Bluebell CC",
               "ELM", "Oak CC", "Neighbour Centre", "NB01", ""]
    extract, names = align_centres(_extract(written, ["Bluebell", "CC02"]), _geography())
    assert extract.activities["centre"].tolist() == [
        "CC01", "CC01", "CC02", "CC01", "CC05", "Oak CC", "Neighbour Centre", "NB01", ""]
    assert extract.families["centre"].tolist() == ["CC01", "CC02"]
    assert names.matched == (
        ("Bluebell", "CC01", "name without the words saying it is a centre"),
        ("Bluebell CC", "CC01", "name without the words saying it is a centre"),
        ("Bluebell Children's Centre", "CC01", "name"),
        ("ELM", "CC05", "name without the words saying it is a centre"),
        ("st marys childrens centre", "CC02", "name ignoring case and punctuation"))
    # "Oak CC" could be Oak Centre or Oak Children's Centre: not guessed.
    assert [w for w, _why in names.unmatched] == ["NB01", "Neighbour Centre", "Oak CC"]
    assert names.lines()[0] == ("extract centre 'Bluebell' taken as CC01 (name without the words "
                                "saying it is a centre)")
    assert names.lines()[-1].startswith("extract centre 'Oak CC' is not in the geography: no "
                                        "centre has this name or code")
    assert short_key("Oak Children’s Centre") == short_key("OAK CC") == "oak"


def test_an_extract_naming_centres_gives_the_figures_of_the_same_extract_with_codes(tmp_path):
    config = load_config(write_demo_inputs(tmp_path / "data"))
    geography = load_geography(config.geography)
    extract = load_extract(config.extract, config.reach_as_of, config.pseudonym_key.encode())
    name_of = {c.code: c.name for c in geography.at_level(Level.CENTRE)}
    forms = [lambda n: n, str.upper, lambda n: n.replace(" Children's Centre", " CC"),
             lambda n: n.replace("Children's Centre", "Childrens Centre")]
    renamed = {code: forms[i % len(forms)](name) for i, (code, name) in
               enumerate(sorted(name_of.items()))}
    written = Extract(**{**extract.__dict__,
                         "activities": extract.activities.assign(
                             centre=extract.activities["centre"].replace(renamed)),
                         "families": extract.families.assign(
                             centre=extract.families["centre"].replace(renamed))})
    assert set(written.activities["centre"]) & set(name_of) == set()  # no code left
    aligned, names = align_centres(written, geography)
    assert {w: c for w, c, _how in names.matched} == {v: k for k, v in renamed.items()}
    populations = lsoa_populations(geography, {a.code: 100.0 for a in
                                               geography.at_level(Level.LSOA)})
    ours, by_code = compute_reach(aligned, geography, *populations), \
        compute_reach(extract, geography, *populations)
    for months in (12, 24):
        pd.testing.assert_frame_equal(ours.by_centre[months], by_code.by_centre[months])
    assert ours.records == by_code.records
    unaligned = compute_reach(written, geography, *populations).records  # all left out
    assert unaligned.used == 0 and by_code.records.used > 0
    assert by_code.by_centre[12]["reach_children"].sum() > 0


@pytest.mark.parametrize("written", ["", "   "])
def test_blank_centres_are_left_as_they_are_and_not_reported(written):
    extract, names = align_centres(_extract([written], [written]), _geography())
    assert extract.activities["centre"].tolist() == [written] and names.lines() == []


def test_the_build_says_how_it_matched_the_centres_an_extract_names(tmp_path):
    import csv

    from xl_profile.pipeline import load_inputs

    config = load_config(write_demo_inputs(tmp_path / "data"))
    geography = load_geography(config.geography)
    name_of = {c.code: c.name for c in geography.at_level(Level.CENTRE)}
    for table in ("activities", "families"):  # as a centre database writes them: names
        path = config.extract / f"{table}.csv"
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        for row in rows:
            row["centre"] = name_of.get(row["centre"], row["centre"]).upper()
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    said: list[str] = []
    inputs = load_inputs(config, said.append)
    bluebell = next(code for code, name in name_of.items() if name.startswith("Bluebell"))
    assert (f"extract centre \"BLUEBELL CHILDREN'S CENTRE\" taken as {bluebell} (name ignoring "
            "case and punctuation)") in said
    assert sum(line.startswith("extract centre") and "taken as" in line for line in said) == 12
    assert any(line.startswith("extract centre 'NB01' is not in the geography") for line in said)
    assert inputs.reach is not None and inputs.reach.results.records.used > 60_000
