"""Worksheet-function arguments as analysts really give them: numbers typed as 27700.0, blank
cells for optional arguments, TRUE/FALSE, text, headers at the top of whole columns, limits out
of order. Each gives the right answer or a short message naming the argument, what is allowed
and what was received (udfs.arguments)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

import udfs
from xl_profile.demo.inputs import write_demo_inputs

#: Raw Python messages that must never reach a cell.
RAW = ("not supported between", "is not a valid", "invalid literal", "os.PathLike",
       "internal error", "must be real number", "argument must be", "could not convert",
       "unsupported operand", "Traceback")


def message(result) -> str:
    assert isinstance(result, str) and result.startswith("#XLP: "), result
    assert not any(raw in result for raw in RAW), result
    assert len(result) <= 210
    return result


@pytest.fixture(scope="module")
def square(tmp_path_factory) -> str:
    """A GeoJSON file of one target area T1 on the British National Grid."""
    ring = [[530000, 180000], [540000, 180000], [540000, 190000], [530000, 190000],
            [530000, 180000]]
    feature = {"type": "Feature", "properties": {"code": "T1", "name": "Target"},
               "geometry": {"type": "Polygon", "coordinates": [ring]}}
    path = tmp_path_factory.mktemp("square") / "targets.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    return str(path)


@pytest.fixture(scope="module")
def build(tmp_path_factory) -> str:
    return str(write_demo_inputs(tmp_path_factory.mktemp("udf-args") / "data"))


CODES, XS, YS = ["A", "B", "C"], [535000.0, 536000.0, 600000.0], [185000.0, 186000.0, 185000.0]
ATTENDANCES = [["child_id", "date", "centre", "lsoa"],
               ["c1", dt.datetime(2008, 1, 10), "CC01", "L1"],
               ["c2", dt.datetime(2008, 2, 10), "CC01", "L1"]] + [[None] * 4] * 20
AREAS = [["lsoa", "centre", "share"], ["L1", "CC01", 1.0]]
AS_OF = dt.datetime(2008, 3, 31)
SCORES = [[6.0] * 13, [2.0] * 13, [9.0] * 13, [7.0] * 7 + [5.0] * 6, [1.0] * 13]


# D1 ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("crs", [27700.0, 27700, "27700", "EPSG:27700", None, ""])
def test_bestfit_crs_as_a_number_from_a_cell(square, crs):
    assert udfs.CC_BESTFIT(CODES, XS, YS, square, None, crs) == ["T1", "T1", "(outside every area)"]


@pytest.mark.parametrize("crs", [27700.5, True, -1.0])
def test_bestfit_crs_not_an_epsg_code(square, crs):
    assert message(udfs.CC_BESTFIT(CODES, XS, YS, square, None, crs)).startswith(
        "#XLP: crs must be an EPSG code such as 27700 or 4326")


# D2 ------------------------------------------------------------------------------------------

def test_bestfit_ranges_of_different_lengths_are_an_error(square):
    result = message(udfs.CC_BESTFIT(CODES, XS[:2], YS, square))
    assert "codes, x and y must be the same length" in result and "3, 2 and 3" in result
    # equal but for blank cells at their ends: fine
    assert udfs.CC_BESTFIT(CODES + [None] * 5, XS, YS + [None], square)[:2] == ["T1", "T1"]


def test_deprived_gap_ranges_of_different_lengths_are_an_error():
    result = message(udfs.CC_DEPRIVED_GAP([30.0, 10.0], [100.0], [100.0, 20000.0]))
    assert "numerators, denominators and imd_ranks must be the same length" in result


# D3 ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, lower, upper", [(30.0, 35.0, 25.0), (50.0, 25.0, 35.0),
                                                 (10.0, 25.0, 35.0), (None, 35.0, 25.0)])
def test_compare_limits_that_make_no_sense(value, lower, upper):
    result = message(udfs.CC_COMPARE(value, lower, upper, 30.0))
    assert "lower95 and upper95" in result
    assert f"lower95={lower:g}" in result and f"upper95={upper:g}" in result


def test_compare_blank_figure_is_not_compared_and_docstring_says_so():
    assert udfs.CC_COMPARE(30.0, None, 35.0, 20.0) == "Not compared"
    assert "Not compared" in udfs.CC_COMPARE.__doc__


# D4 ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("call, name", [
    (lambda: udfs.CC_RATE(5.0, 100.0, 0.0), "multiplier must be a number above 0; got 0"),
    (lambda: udfs.CC_RATE(5.0, 100.0, -1000.0), "multiplier must be a number above 0; got -1000"),
    (lambda: udfs.CC_RATE_CI(5.0, 100.0, -1.0), "multiplier must be"),
    (lambda: udfs.CC_REACH(ATTENDANCES, AREAS, AS_OF, 12.0, "CC01", "all", -5.0),
     "population must be a number of 0 or more; got -5"),
    (lambda: udfs.CC_DEPRIVED_GAP([300.0, 10.0], [100.0, 50.0], [100.0, 20000.0]),
     "numerators: row 1: a numerator must be at most its denominator; got 300 of 100"),
    (lambda: udfs.CC_PROPORTION(11.0, 10.0), "numerator must be at most the denominator (10)"),
])
def test_impossible_numbers_are_errors_naming_the_argument(call, name):
    assert name in message(call())


# D5 ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("call, name", [
    (lambda: udfs.CC_PROPORTION(True, 100.0), "numerator"),
    (lambda: udfs.CC_WILSON(5.0, True), "denominator"),
    (lambda: udfs.CC_RATE(True, 100.0), "events"),
    (lambda: udfs.CC_RATE(5.0, 100.0, True), "multiplier"),
    (lambda: udfs.CC_BYAR(False), "count"),
    (lambda: udfs.CC_BYAR(65.0, True), "confidence"),
    (lambda: udfs.CC_COMPARE(True, 25.0, 35.0, 20.0), "value"),
    (lambda: udfs.CC_QUINTILE(True, [1.0, 2.0, 3.0, 4.0, 5.0]), "value"),
    (lambda: udfs.CC_QUINTILE(1.0, [1.0, 2.0, True, 4.0, 5.0, 6.0]), "values: row 3"),
    (lambda: udfs.CC_RANK(True, [1.0, 2.0]), "value"),
    (lambda: udfs.CC_NI72([[True] + [6.0] * 12, [6.0] * 13]), "scores: row 1, column 1"),
    (lambda: udfs.CC_NI92([[6.0] * 12 + [False]]), "scores: row 1, column 13"),
    (lambda: udfs.CC_REACH(ATTENDANCES, AREAS, AS_OF, 12.0, "CC01", "all", True), "population"),
    (lambda: udfs.CC_REACH(ATTENDANCES, AREAS, AS_OF, 12.0, None, "all",
                           [["centre", "population"], ["CC01", True]]), "population: row 2"),
    (lambda: udfs.CC_DEPRIVED_GAP([True], [100.0], [100.0]), "numerators: row 1"),
    (lambda: udfs.CC_SUPPRESS([[3.0, 10.0]], True), "threshold"),
    (lambda: udfs.CC_REACH(ATTENDANCES, AREAS, AS_OF, True, "CC01"), "months"),
])
def test_true_and_false_are_not_numbers(call, name):
    result = message(call())
    assert result.startswith(f"#XLP: {name}") and ("TRUE" in result or "FALSE" in result)


@pytest.mark.parametrize("order, expected", [
    (None, 1), ("", 1), (0.0, 1), ("descending", 1), ("Descending", 1), (" DESCENDING ", 1),
    (1.0, 3), ("ascending", 3), ("Ascending", 3)])
def test_rank_order_takes_the_documented_values_in_any_case(order, expected):
    assert udfs.CC_RANK(30.0, [10.0, 30.0, 5.0], order) == expected


@pytest.mark.parametrize("order", ["desc", "sideways", 2.0, -1.0, 0.5, True])
def test_rank_order_anything_else_is_an_error_listing_the_values(order):
    result = message(udfs.CC_RANK(30.0, [10.0, 30.0, 5.0], order))
    assert result.startswith("#XLP: order must be one of 0, 1, descending or ascending; got ")


# D6 ------------------------------------------------------------------------------------------

def whole_column(header, values, blanks=200):
    return [header, *values] + [None] * blanks


def test_quintile_and_rank_skip_a_header_row():
    values = [1.0, 2.0, 4.0, 8.0, 9.0]
    assert udfs.CC_QUINTILE(9.0, whole_column("population", values)) == \
        udfs.CC_QUINTILE(9.0, values)
    assert udfs.CC_RANK(4.0, whole_column("population", values)) == 3
    assert "values: row 4" in message(udfs.CC_QUINTILE(9.0, [1.0, 2.0, 4.0, "n/a", 9.0, 3.0]))


def test_deprived_gap_skips_a_header_row():
    numerators, denominators, ranks = [30.0, 10.0, 45.0], [100.0, 50.0, 100.0], \
        [100.0, 9853.0, 9854.0]
    expected = udfs.CC_DEPRIVED_GAP(numerators, denominators, ranks)
    assert udfs.CC_DEPRIVED_GAP(whole_column("n", numerators), whole_column("d", denominators),
                                whole_column("rank", ranks)) == expected
    # a row's number is its place in the range, the header being row 1
    assert "row 3" in message(udfs.CC_DEPRIVED_GAP(["n", 1.0, 2.0], ["d", 10.0, None],
                                                   ["rank", 1.0, 2.0]))


def test_bestfit_skips_a_header_row_keeping_the_rows_level(square):
    got = udfs.CC_BESTFIT(whole_column("code", CODES), whole_column("x", XS),
                          whole_column("y", YS), square)
    assert got == [""] + udfs.CC_BESTFIT(CODES, XS, YS, square)


@pytest.mark.parametrize("name", ["CC_NI72", "CC_NI92"])
def test_ni72_ni92_skip_a_header_row_and_blank_rows_at_the_end(name):
    func = getattr(udfs, name)
    header = ["Dispositions and Attitudes"] + [f"scale {i}" for i in range(2, 14)]
    assert func([header] + SCORES + [[None] * 13] * 100) == pytest.approx(func(SCORES))


# D7 ------------------------------------------------------------------------------------------

BLANK_IS_DEFAULT = [
    ("CC_PROPORTION", (65.0, 100.0), 1), ("CC_WILSON", (65.0, 100.0), 1),
    ("CC_RATE", (5.0, 100.0), 2), ("CC_RATE_CI", (5.0, 100.0), 2), ("CC_BYAR", (65.0,), 1),
    ("CC_COMPARE", (30.0, 25.0, 35.0, 20.0), 1),
    ("CC_QUINTILE", (9.0, [1.0, 2.0, 4.0, 8.0, 9.0]), 1),
    ("CC_RANK", (9.0, [1.0, 2.0, 4.0, 8.0, 9.0]), 1),
    ("CC_DEPRIVED_GAP", ([30.0, 10.0], [100.0, 50.0], [100.0, 20000.0]), 2),
    ("CC_SUPPRESS", ([[3.0, 10.0, 13.0], [6.0, 7.0, 13.0]],), 1),
    ("CC_REACH", (ATTENDANCES, AREAS, AS_OF), 4),
]


@pytest.mark.parametrize("name, given, optional", BLANK_IS_DEFAULT,
                         ids=[c[0] for c in BLANK_IS_DEFAULT])
@pytest.mark.parametrize("blank", [None, "", "  "])
def test_a_blank_optional_argument_means_its_default(name, given, optional, blank):
    func = getattr(udfs, name)
    expected = func(*given)
    assert not (isinstance(expected, str) and expected.startswith("#XLP"))
    for i in range(optional):
        args = list(given) + [blank] * (i + 1)
        assert func(*args) == expected, (name, args)


@pytest.mark.parametrize("blank", [None, ""])
def test_blank_optional_arguments_of_build_lookups(build, blank):
    assert udfs.CC_VALUE("NI116", "X05000004", build, blank) == \
        udfs.CC_VALUE("NI116", "X05000004", build)
    assert udfs.CC_REACH_BUILD(build, "CC01", blank, blank) == udfs.CC_REACH_BUILD(build, "CC01")


def test_blank_code_field_and_crs_of_bestfit(square):
    assert udfs.CC_BESTFIT(CODES, XS, YS, square, None, None) == \
        udfs.CC_BESTFIT(CODES, XS, YS, square, "", "") == udfs.CC_BESTFIT(CODES, XS, YS, square)


def test_docs_say_once_that_blank_means_the_default():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "docs" / "udfs.md").read_text()
    assert text.count("A blank optional argument means its default") == 1


# D8 ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("call, expected", [
    (lambda: udfs.CC_PROPORTION("65", 100.0), "numerator must be a number of 0 or more; got '65'"),
    (lambda: udfs.CC_COMPARE(30.0, 25.0, 35.0, "#N/A"),
     "benchmark must be a number, or a blank (Not compared); got '#N/A'"),
    (lambda: udfs.CC_COMPARE(30.0, 25.0, 35.0, 20.0, "sideways"),
     "polarity must be one of high is good, low is good or no judgement; got 'sideways'"),
    (lambda: udfs.CC_QUINTILE(9.0, [1.0, 2.0, 4.0, 8.0, 9.0], 3.0), "polarity must be one of"),
    (lambda: udfs.CC_RATE(5.0, 100.0, "abc"), "multiplier must be a number above 0; got 'abc'"),
    (lambda: udfs.CC_PROPORTION(65.0, 100.0, 95.0),
     "confidence must be a number above 0 and below 1, e.g. 0.95 or 0.998; got 95"),
    (lambda: udfs.CC_NI72([["7"] + [6.0] * 12]),
     "scores: row 1, column 1: expected whole points 0-9 or a blank; got '7'"),
    (lambda: udfs.CC_NI92([[dt.datetime(2020, 1, 1)] + [6.0] * 12]),
     "got the date 2020-01-01"),
    (lambda: udfs.CC_NI72([[6.0, 6.0]]), "scores must be 13 columns"),
    (lambda: udfs.CC_SUPPRESS([[3.0, 10.0]], "x"),
     "threshold must be a whole number of 1 or more; got 'x'"),
    (lambda: udfs.CC_DEPRIVED_GAP([1.0], [2.0], [3.0], None, 100.5),
     "national_count must be a whole number of 1 or more; got 100.5"),
    (lambda: udfs.CC_REACH(ATTENDANCES, AREAS, AS_OF, 12.0, None, "all", 5000.0),
     "population must be a (centre, population) range when centre is blank"),
    (lambda: udfs.CC_REACH(ATTENDANCES, AREAS, AS_OF, 12.0, "CC01", "Grandparents"),
     "group must be one of all,"),
    (lambda: udfs.CC_VALUE("NI116", "X05000004", None),
     "build_file must be the full path of a build file (build.yaml); got a blank"),
    (lambda: udfs.CC_COVERAGE("X05000004", 12.0), "build_file must be the full path"),
])
def test_messages_name_the_argument_what_is_allowed_and_what_came(call, expected):
    assert expected in message(call())


def test_build_file_messages(build, tmp_path):
    folder = message(udfs.CC_VALUE("NI116", "X05000004", str(tmp_path)))
    assert "build_file must be the full path" in folder and "(a folder)" in folder
    assert "(no such file)" in message(udfs.CC_REACH_BUILD(str(tmp_path / "no.yaml"), "CC01"))
    assert message(udfs.CC_REACH_BUILD(build, "CC01", "x")).endswith(
        "months must be 12 or 24; got 'x'")
    assert "field must be one of value," in message(udfs.CC_VALUE("NI116", "X05000004", build,
                                                                  "colour"))
    assert udfs.CC_VALUE("NI116", "X05000004", build, "Value") == \
        udfs.CC_VALUE("NI116", "X05000004", build)


@pytest.mark.parametrize("text", ["High is good", "HIGH IS GOOD", " high  is good "])
def test_polarity_in_any_case(text):
    assert udfs.CC_COMPARE(30.0, 25.0, 35.0, 20.0, text) == "Better"
    assert udfs.CC_QUINTILE(9.0, [1.0, 2.0, 4.0, 8.0, 9.0], text) == \
        udfs.CC_QUINTILE(9.0, [1.0, 2.0, 4.0, 8.0, 9.0])


# D9 ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("small", ["3", " 3 ", "3.0", 3.0])
def test_suppress_hides_a_small_count_stored_as_text(small):
    result = udfs.CC_SUPPRESS([[small, 10.0, 13.0], [6.0, 7.0, 13.0]])
    assert result[0][0] == "*" and result[0][1] == "*"
    assert not any(str(v).strip() in ("3", "3.0") for row in result for v in row)


def test_suppress_keeps_other_text():
    assert udfs.CC_SUPPRESS([["centre", "n"], ["CC01", 20.0]]) == [["centre", "n"],
                                                                     ["CC01", 20.0]]


@pytest.mark.parametrize("threshold", [0.0, -3.0, 2.5, "x", True])
def test_suppress_threshold_must_be_a_whole_number_of_1_or_more(threshold):
    assert message(udfs.CC_SUPPRESS([[3.0, 10.0]], threshold)).startswith(
        "#XLP: threshold must be a whole number of 1 or more; got ")


def test_suppress_threshold_blank_is_5_and_1_hides_nothing():
    assert udfs.CC_SUPPRESS([[3.0, 10.0]], None) == udfs.CC_SUPPRESS([[3.0, 10.0]], 5.0)
    assert udfs.CC_SUPPRESS([[3.0, 10.0]], 1.0) == [[3.0, 10.0]]


# Minor: as_of ---------------------------------------------------------------------------------

@pytest.mark.parametrize("as_of", [12.0, 0.0, True, "2008-03-31xyz", "31/03/2008", "soon", None,
                                   dt.datetime(1989, 12, 31), dt.datetime(2101, 1, 1), 80000.0])
def test_reach_as_of_must_be_a_date_from_1990_to_2100(as_of):
    assert message(udfs.CC_REACH(ATTENDANCES, AREAS, as_of, 12.0, "CC01")).startswith(
        "#XLP: as_of must be a date from 1990 to 2100")


@pytest.mark.parametrize("as_of", [AS_OF, dt.date(2008, 3, 31), "2008-03-31", " 2008-03-31 ",
                                   39538.0])
def test_reach_as_of_as_a_date_cell_text_or_serial(as_of):
    assert udfs.CC_REACH(ATTENDANCES, AREAS, as_of, 12.0, "CC01") == 2.0


# The shared helpers ---------------------------------------------------------------------------

def test_number_helper():
    from udfs import arguments

    assert arguments.number(None, "n", default=7) == 7
    assert arguments.number(3.0, "n", whole=True) == 3 and isinstance(
        arguments.number(3.0, "n", whole=True), int)
    with pytest.raises(arguments.ArgumentError, match=r"^n must be a number of 0 or more; got -1$"):
        arguments.number(-1.0, "n", low=0)
    with pytest.raises(arguments.ArgumentError, match="got a blank"):
        arguments.number(None, "n")


def test_column_helper_rejects_a_two_column_range():
    from udfs import arguments

    with pytest.raises(arguments.ArgumentError, match="codes must be one column"):
        arguments.column([["a", "b"], ["c", "d"]], "codes")
    assert arguments.column([["a", "b", "c"]], "codes") == ["a", "b", "c"]  # one row
    assert arguments.column(4.0, "codes") == [4.0]  # one cell
