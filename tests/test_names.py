"""Names typed by people matched to the codes of a boundary file."""

from __future__ import annotations

import pytest

from xl_profile.names import NameIndex, name_key

WARDS = NameIndex("ward", ["E05000644", "E05000637", "E05000642", "E05000641", "E05000630"],
                  ["St. James's", "Knightsbridge and Belgravia", "Queen's Park",
                   "Marylebone High Street", "Abbey Road"])


@pytest.mark.parametrize(("typed", "written"), [
    ("St James's", "St. James's"),
    ("st james’s", "St. James's"),
    ("Knightsbridge & Belgravia", "Knightsbridge and Belgravia"),
    ("KNIGHTSBRIDGE  BELGRAVIA", "Knightsbridge and Belgravia"),
    ("Queens Park", "Queen's Park"),
    ("Marylebone High St.", None),
    ("Bryanston-and-Dorset Square", "Bryanston and Dorset Square"),
    ("Café Royal", "Cafe Royal"),
])
def test_names_agree_ignoring_case_punctuation_and_and(typed, written):
    if written is None:
        assert name_key(typed) != name_key("Marylebone High Street")  # abbreviations are not
    else:
        assert name_key(typed) == name_key(written)


def test_match_by_code_by_name_and_by_name_ignoring_case():
    assert (WARDS.match("E05000644").code, WARDS.match("E05000644").how) == ("E05000644", "code")
    assert (WARDS.match(" Abbey Road ").code, WARDS.match("Abbey Road").how) == \
        ("E05000630", "name")
    match = WARDS.match("St James's")
    assert (match.code, match.how) == ("E05000644", "name ignoring case and punctuation")


def test_unmatched_names_get_the_closest_name_suggested():
    cases = {"St Jmes": "no ward has this name or code; closest: \"St. James's\" (E05000644)",
             "Marylebone": "no ward has this name or code; closest: 'Marylebone High Street' "
                           "(E05000641)",
             "E05000690": "no ward has this name or code; closest: 'Abbey Road' (E05000630)"}
    for typed, message in cases.items():
        match = WARDS.match(typed)
        assert match.code is None and match.how == "unmatched"
        assert WARDS.problem_text(typed, match) == message


def test_two_areas_of_one_name_are_ambiguous():
    index = NameIndex("small area", ["A1", "A2", "B1"], ["Hill Top", "Hill-Top", "Brook"])
    match = index.match("hill top ")
    assert match.code is None and match.candidates == ("A1", "A2")
    assert index.problem_text("hill top", match) == (
        "more than one small area has this name: 'Hill Top' (A1), 'Hill-Top' (A2); give the code")
    assert index.match("Hill Top").code == "A1"  # written exactly as one of them
