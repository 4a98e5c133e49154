"""The shipped indicator catalogue and its loader: content, order, local files, precise errors."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml

from xl_profile.catalogue import Catalogue, load_catalogue
from xl_profile.errors import ConfigError, UnknownNameError
from xl_profile.models import CIMethod, IndicatorDefinition, Level, Section, Unit

SHARED = Path(__file__).resolve().parents[2] / "shared"
METHODS = SHARED / "reference" / "methods.md"

#: National indicators the published methods name, by catalogue id.
METHOD_INDICATORS = {"NI72": "NI 72", "NI92": "NI 92", "NI53": "NI 53", "NI55": "NI 55",
                     "NI116": "NI 116", "NI118": "NI 118", "NI70": "NI 70"}
#: Access for excluded groups: a word each target group's title must contain.
ACCESS_GROUPS = ("teenage", "lone parent", "workless", "bme", "disabled children",
                 "disabled parents", "fathers")
DEMOGRAPHIC_AND_VULNERABLE = ("POP_0_4", "POP_0_4_PROJ", "BME_0_4", "BIRTHS", "GFR",
                              "LONE_PARENTS", "DLA_0_4", "TEEN_MOTHERS", "U18_CONC", "CIN", "CPP",
                              "IMD30", "IDACI30")

LOCAL_ENTRY = {"id": "SPEECH_REF", "title": "Referrals to speech and language therapy, 0-4",
               "section": "Enjoy and achieve", "unit": "rate", "polarity": "no judgement",
               "numerator": "Children aged 0-4 referred", "denominator": "Children aged 0-4",
               "ci_method": "rate", "multiplier": 1000, "source": "PCT (speech therapy service)",
               "native_level": "ward", "period_type": "financial year"}


def write_local(path: Path, *entries: object) -> Path:
    path.write_text(yaml.safe_dump({"indicators": list(entries)}, sort_keys=False),
                    encoding="utf-8")
    return path


def load_error(tmp_path: Path, *entries: object) -> str:
    local = write_local(tmp_path / "local.yaml", *entries)
    with pytest.raises(ConfigError) as err:
        load_catalogue(extra_paths=[local])
    return str(err.value)


# --- content ------------------------------------------------------------------------------------

def test_shipped_catalogue_loads_with_30_to_40_unique_indicators(catalogue):
    assert 30 <= len(catalogue) <= 40
    assert len(set(catalogue.ids)) == len(catalogue)
    assert all(not d.local for d in catalogue)


def test_every_indicator_of_the_published_methods_is_present(catalogue):
    for indicator_id, ni in METHOD_INDICATORS.items():
        assert catalogue.get(indicator_id).national_indicator == ni
    assert catalogue.get("NI116").title.find("0-4") >= 0  # the seed's local variant
    assert catalogue.get("NI70").multiplier == 10000
    assert catalogue.get("SAT").section is Section.POSITIVE_CONTRIBUTION


def test_methods_reference_names_no_indicator_missing_from_the_catalogue(catalogue):
    if not METHODS.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{METHODS} is needed in CI")
        pytest.skip("shared methods reference not available")
    named = set(re.findall(r"^- (NI \d+):", METHODS.read_text(encoding="utf-8"), re.M))
    assert named == set(METHOD_INDICATORS.values())
    assert named <= {d.national_indicator for d in catalogue}


def test_access_for_each_excluded_group_is_under_access_reach(catalogue):
    access = catalogue.by_section()[Section.ACCESS_REACH]
    titles = [d.title.lower() for d in access]
    for group in ACCESS_GROUPS:
        assert any(group in title for title in titles), group
    assert all(d.native_level is Level.CENTRE and d.unit is Unit.PERCENTAGE for d in access)


def test_demographic_and_vulnerable_group_set_is_present(catalogue):
    for indicator_id in DEMOGRAPHIC_AND_VULNERABLE:
        assert indicator_id in catalogue
    assert catalogue.get("POP_0_4").unit is Unit.COUNT
    assert catalogue.get("CIN").multiplier == catalogue.get("CPP").multiplier == 10000
    deprived = catalogue.get("IDACI30")
    assert deprived.numerator.startswith("LSOAs") and deprived.denominator == "LSOAs"
    assert not deprived.disclosure_control  # counts small areas, not people


def test_units_multipliers_and_interval_methods_fit_together(catalogue):
    for d in catalogue:
        assert d.source and d.definition, d.id
        if d.unit is Unit.PERCENTAGE:
            assert d.multiplier == 100
            assert d.ci_method in (CIMethod.WILSON, CIMethod.NONE), d.id
        if d.unit is Unit.RATE:
            assert d.multiplier in (1000, 10000, 100000) and d.ci_method is CIMethod.RATE, d.id
        if d.unit is Unit.SCORE:
            assert d.ci_method is CIMethod.NONE, d.id


def test_every_section_and_the_main_native_levels_are_used(catalogue):
    assert list(catalogue.by_section()) == list(Section)
    levels = {d.native_level for d in catalogue}
    assert {Level.LSOA, Level.WARD, Level.CENTRE, Level.AUTHORITY} <= levels


# --- access -------------------------------------------------------------------------------------

def test_iteration_keeps_file_order_and_by_section_keeps_section_order(catalogue):
    text = (Path(__file__).resolve().parents[1] / "templates" / "catalogue.yaml").read_text()
    assert catalogue.ids == [e["id"] for e in yaml.safe_load(text)["indicators"]]
    grouped = catalogue.by_section()
    flat = [d.id for defs in grouped.values() for d in defs]
    assert sorted(flat) == sorted(catalogue.ids)
    for defs in grouped.values():
        positions = [catalogue.ids.index(d.id) for d in defs]
        assert positions == sorted(positions)


def test_unknown_id_suggests_close_matches(catalogue):
    with pytest.raises(UnknownNameError) as err:
        catalogue.get("NI7")
    assert "'NI7' is not in the catalogue" in str(err.value)
    assert "NI72" in str(err.value) and "NI70" in str(err.value)
    with pytest.raises(UnknownNameError) as err:
        catalogue.get("ZZZZZZZZ")
    assert "did you mean" not in str(err.value)
    assert "NI72" in catalogue and "NI7" not in catalogue


def test_catalogue_is_frozen_and_rejects_duplicate_ids(catalogue):
    with pytest.raises(Exception):
        catalogue.indicators = ()  # type: ignore[misc]
    one = catalogue.get("NI72")
    with pytest.raises(ValueError, match="more than once"):
        Catalogue(indicators=(one, one))


# --- local indicators ---------------------------------------------------------------------------

def test_local_indicator_file_merges_after_the_shipped_ones(catalogue, tmp_path):
    local = write_local(tmp_path / "local.yaml", LOCAL_ENTRY)
    merged = load_catalogue(extra_paths=[local])
    assert merged.ids == catalogue.ids + ["SPEECH_REF"]
    added = merged.get("SPEECH_REF")
    assert added.local and added.multiplier == 1000
    assert added in merged.by_section()[Section.ENJOY_AND_ACHIEVE]


def test_local_flag_defaults_to_true_but_may_be_set(tmp_path):
    local = write_local(tmp_path / "l.yaml", LOCAL_ENTRY,
                        {**LOCAL_ENTRY, "id": "B", "local": False})
    merged = load_catalogue(extra_paths=[local])
    assert merged.get("SPEECH_REF").local and not merged.get("B").local


def test_path_replaces_the_shipped_catalogue(tmp_path):
    own = write_local(tmp_path / "own.yaml", {**LOCAL_ENTRY, "local": False})
    assert load_catalogue(own).ids == ["SPEECH_REF"]
    empty = tmp_path / "empty.yaml"
    empty.write_text("indicators:\n", encoding="utf-8")
    assert len(load_catalogue(own, extra_paths=[empty])) == 1


def test_duplicate_id_across_files_names_both(tmp_path):
    message = load_error(tmp_path, {**LOCAL_ENTRY, "id": "NI72"})
    assert "'NI72'" in message
    assert "templates/catalogue.yaml" in message and str(tmp_path / "local.yaml") in message


def test_duplicate_id_within_one_file_names_the_second_entry(tmp_path):
    message = load_error(tmp_path, LOCAL_ENTRY, LOCAL_ENTRY)
    assert "'SPEECH_REF'" in message and "twice" in message and "indicator 2" in message


# --- precise errors -----------------------------------------------------------------------------

def test_bad_enum_value_names_file_entry_line_id_field_allowed_and_found(tmp_path):
    message = load_error(tmp_path, LOCAL_ENTRY, {**LOCAL_ENTRY, "id": "B", "section": "Healthy"})
    line = next(i for i, text in enumerate((tmp_path / "local.yaml").read_text().splitlines(), 1)
                if text == "- id: B")
    assert message.startswith(f"{tmp_path / 'local.yaml'}: indicator 2, line {line}, id 'B'")
    assert "field 'section'" in message and "found 'Healthy'" in message
    assert all(repr(s.value) in message for s in Section)


@pytest.mark.parametrize(("change", "expected"), [
    ({"native_level": "county"}, ["field 'native_level'", "'lsoa'", "'centre'", "found 'county'"]),
    ({"ci_method": "exact"}, ["field 'ci_method'", "'wilson'", "'byar'", "found 'exact'"]),
    ({"multiplier": "lots"}, ["field 'multiplier'", "a valid number", "found 'lots'"]),
    ({"colour": "red"}, ["unknown field 'colour'", "'red'", "native_level", "period_type"]),
    ({"id": "1st"}, ["field 'id'", "pattern", "found '1st'"]),
    ({"unit": "percentage", "multiplier": 10}, ["id 'SPEECH_REF'", "multiplier 100", "10"]),
])
def test_field_errors_say_what_is_allowed_and_what_was_found(tmp_path, change, expected):
    message = load_error(tmp_path, {**LOCAL_ENTRY, **change})
    assert message.startswith(f"{tmp_path / 'local.yaml'}: indicator 1, line 2")
    for part in expected:
        assert part in message, (part, message)


def test_missing_field_is_named(tmp_path):
    entry = {k: v for k, v in LOCAL_ENTRY.items() if k != "source"}
    assert "field 'source' is required but missing" in load_error(tmp_path, entry)


def test_every_bad_entry_is_reported_at_once(tmp_path):
    message = load_error(tmp_path, {**LOCAL_ENTRY, "unit": "lots"}, LOCAL_ENTRY,
                         {**LOCAL_ENTRY, "id": "C", "polarity": "up"})
    assert "indicator 1" in message and "found 'lots'" in message
    assert "indicator 3" in message and "found 'up'" in message


@pytest.mark.parametrize(("text", "expected"), [
    ("indicators: [\n", "not valid YAML"),
    ("- id: A\n", "expected a mapping with an 'indicators:' list"),
    ("", "an empty file"),
    ("indicators: {id: A}\n", "must be a list"),
    ("indicators: []\nextras: 1\n", "unknown top-level key(s) extras"),
    ("indicators:\n- just text\n", "indicator 1, line 2, no id: expected a mapping of fields"),
])
def test_malformed_files_are_reported_with_their_name(tmp_path, text, expected):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_catalogue(extra_paths=[path])
    assert str(err.value).startswith(str(path)) and expected in str(err.value)


def test_missing_or_unreadable_files_are_config_errors(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_catalogue(extra_paths=[tmp_path / "nope.yaml"])
    with pytest.raises(ConfigError, match="found a folder"):
        load_catalogue(tmp_path)
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("indicators:\n- title: Caf\xe9\n".encode("cp1252"))
    with pytest.raises(ConfigError, match="UTF-8"):
        load_catalogue(extra_paths=[latin])


def test_shipped_entries_validate_one_by_one_as_models():
    text = (Path(__file__).resolve().parents[1] / "templates" / "catalogue.yaml").read_text()
    for entry in yaml.safe_load(text)["indicators"]:
        assert set(entry) <= set(IndicatorDefinition.model_fields)
        IndicatorDefinition(**entry)
