"""The worksheet functions through xlwings itself, without Excel.

1. Every function under xlwings' Windows decorators, each argument read and each result written
   by xlwings' own converters (a fake engine stands in for Excel's COM values), compared with
   the direct call.
2. The VBA module and MacroOptions that "Import Functions" makes, produced with pywin32 stubbed:
   every function is there, its names are valid VBA and no cell reference, and its descriptions
   are within Excel's limits.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from excel_shapes import demo_inputs, reach_ranges
from xlwings_fakes import (MISSING, FakeWorkbook, call_like_excel, com_value,
                           decorated_as_on_windows, plain_again, register_fake_excel, unregister)

#: Excel's limits: a function's and each argument's description in the Insert Function dialog.
DESCRIPTION_LIMIT = 255
VBA_LINE_LIMIT = 1023
VBA_RESERVED = {
    "and", "as", "boolean", "byref", "byte", "byval", "call", "case", "close", "const",
    "currency", "date", "decimal", "declare", "dim", "do", "double", "each", "else", "elseif",
    "end", "enum", "erase", "error", "event", "exit", "false", "for", "friend", "function", "get",
    "global", "gosub", "goto", "if", "implements", "in", "input", "integer", "is", "let", "like",
    "line", "long", "loop", "lset", "me", "mod", "name", "new", "next", "not", "nothing", "null",
    "on", "open", "option", "optional", "or", "paramarray", "preserve", "print", "private",
    "public", "put", "raiseevent", "redim", "rem", "resume", "return", "rset", "seek", "select",
    "set", "single", "static", "step", "stop", "string", "sub", "then", "to", "true", "type",
    "typeof", "until", "variant", "wend", "while", "with", "withevents", "write", "xor",
}
VBA_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,254}$")
# A1 (up to column XFD) and R1C1 references: Excel would read such a name as a cell.
A1_CELL = re.compile(r"^[A-Za-z]{1,3}[0-9]+$")
R1C1_CELL = re.compile(r"^[Rr][0-9]*[Cc][0-9]*$|^[RrCc][0-9]*$")


@pytest.fixture(scope="module")
def xl():
    """(xlwings.udfs, our udfs package) as on Windows, with the fake Excel engine."""
    patch = pytest.MonkeyPatch()
    xl_udfs, package = decorated_as_on_windows(patch)
    engine = register_fake_excel()
    yield xl_udfs, package
    unregister(engine)
    patch.undo()
    plain_again()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return demo_inputs(tmp_path_factory.mktemp("udf-xlwings") / "data")


def functions(package) -> list:
    return [getattr(package, name) for name in package.__all__]


def test_every_function_is_registered_documented_and_categorised(xl):
    _xl_udfs, package = xl
    assert len(package.__all__) >= 17
    for func in functions(package):
        info = func.__xlfunc__
        assert info["category"] == "Children's centres", func.__name__
        assert len(info["ret"]["doc"]) <= DESCRIPTION_LIMIT
        for arg in info["args"]:
            assert not arg["doc"].startswith("Positional argument"), (func.__name__, arg["name"])
            assert len(arg["doc"]) <= DESCRIPTION_LIMIT


def as_written(value):
    """A direct call's result as xlwings writes it to cells: 2-D, blanks as ''."""
    rows = value if isinstance(value, list) and value and isinstance(value[0], list) else \
        [value] if isinstance(value, list) else [[value]]
    return [["" if v is None else v for v in row] for row in rows]


SCALAR_CASES = [
    ("CC_PROPORTION", (65.0, 100.0, MISSING), (65, 100)),
    ("CC_PROPORTION", (65.0, 100.0, 0.998), (65, 100, 0.998)),
    ("CC_WILSON", (65.0, 100.0, MISSING), (65, 100)),
    ("CC_RATE", (5.0, 100.0, MISSING, MISSING), (5, 100)),
    ("CC_RATE", (25.0, 1000.0, 1000.0, MISSING), (25, 1000, 1000)),
    ("CC_RATE_CI", (5.0, 100.0, MISSING, MISSING), (5, 100)),
    ("CC_BYAR", (65.0, MISSING), (65,)),
    ("CC_COMPARE", (30.0, 25.0, 35.0, 20.0, MISSING), (30, 25, 35, 20)),
    ("CC_RANK", (30.0, [10.0, 30.0, 30.0, None, 5.0], MISSING), (30, [10, 30, 30, None, 5])),
    ("CC_RANK", (30.0, [10.0, 30.0, 30.0, None, 5.0], 1.0), (30, [10, 30, 30, None, 5], 1)),
    ("CC_QUINTILE", (9.0, [1.0, 2.0, 4.0, 8.0, 9.0, None], MISSING), (9, [1, 2, 4, 8, 9])),
    ("CC_NI72", ([[6.0] * 13, [2.0] * 13, [9.0] * 13, [None] * 13],), ([[6] * 13, [2] * 13,
                                                                       [9] * 13],)),
    ("CC_NI92", ([[6.0] * 13, [2.0] * 13, [9.0] * 13, [None] * 13],), ([[6] * 13, [2] * 13,
                                                                       [9] * 13],)),
    ("CC_SUPPRESS", ([[3.0, 10.0, 20.0], [12.0, 15.0, 30.0]], MISSING),
     ([[3, 10, 20], [12, 15, 30]],)),
    ("CC_SUPPRESS", ([[6.0, 7.0]], 8.0), ([[6, 7]], 8)),
    ("CC_DEPRIVED_GAP", ([30.0, 10.0, 45.0, None], [100.0, 50.0, 100.0, None],
                         [100.0, 9853.0, 9854.0, None], MISSING, MISSING),
     ([30, 10, 45], [100, 50, 100], [100, 9853, 9854])),
    ("CC_WILSON", (11.0, 10.0, MISSING), (11.0, 10.0)),  # an error: a short cell message
]


@pytest.mark.parametrize("name, com_args, direct_args", SCALAR_CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(SCALAR_CASES)])
def test_converted_call_equals_direct_call(xl, name, com_args, direct_args):
    _xl_udfs, package = xl
    func = getattr(package, name)
    got = call_like_excel(func, *(com_value(a) for a in com_args))
    assert got == as_written(func(*direct_args))
    assert "Traceback" not in str(got)


def test_error_comes_back_as_one_cell_of_text(xl):
    got = call_like_excel(xl[1].CC_WILSON, 11.0, 10.0, MISSING)
    assert len(got) == 1 and len(got[0]) == 1 and got[0][0].startswith("#XLP: ")


def test_reach_through_xlwings_from_a_whole_column_range(xl, demo):
    _xl_udfs, package = xl
    attendances, areas, populations = reach_ranges(demo[1], trailing_blank_rows=2000)
    as_of = dt.datetime.combine(demo[1].reach.extract.as_of, dt.time())
    report = demo[1].reach.results.by_centre[12].loc["CC02"]
    one = call_like_excel(package.CC_REACH, com_value(attendances), com_value(areas), as_of,
                          12.0, "CC02", MISSING, float(populations["CC02"]))
    assert one[0][:3] == pytest.approx([report["reach_pct"], report["lower95"],
                                        report["upper95"]])
    table = call_like_excel(package.CC_REACH, com_value(attendances), com_value(areas), as_of,
                            MISSING, MISSING, MISSING, MISSING)
    assert table[0][0] == "centre" and len({len(row) for row in table}) == 1
    count = call_like_excel(package.CC_REACH, com_value(attendances), com_value(areas), as_of,
                            24.0, "CC02", "bme", MISSING)
    groups = demo[1].reach.results.periods[24].target_groups
    assert count[0][0] == groups[(groups.centre == "CC02") & (groups.group == "bme")][
        "reached"].item()


def test_bestfit_coverage_and_build_values_through_xlwings(xl, demo):
    _xl_udfs, package = xl
    build, inputs = demo
    geography = build.parent / "geography"
    centroids = [line.split(",") for line in
                 (geography / "lsoa_centroids.csv").read_text().splitlines()[1:]]
    codes = [c for c, _x, _y in centroids] + [None] * 50
    xs = [float(x) for _c, x, _y in centroids] + [None] * 50
    ys = [float(y) for _c, _x, y in centroids] + [None] * 50
    boundaries = str(geography / "boundaries" / "centre.geojson")
    got = call_like_excel(package.CC_BESTFIT, com_value(codes), com_value(xs), com_value(ys),
                          boundaries, MISSING, MISSING)
    # A list comes back as a column (transpose=True), as long as the codes without the blanks.
    assert got == [[t] for t in package.CC_BESTFIT(codes, xs, ys, boundaries)]
    assert len(got) == len(centroids)
    lookup = inputs.spatial.fit.lookup()
    assert [row[0] for row in got][:5] == [lookup[c] for c in codes[:5]]
    ward = inputs.spatial.coverage[0]
    coverage = call_like_excel(package.CC_COVERAGE, ward.code, str(build))
    assert coverage[0][0] == ward.coverage.value
    shown = next(w for w in inputs.profile.results["NI116"].wards if w.value is not None)
    value = call_like_excel(package.CC_VALUE, "NI116", shown.code, str(build), MISSING)
    assert value[0][0] == pytest.approx(shown.value)
    reach = call_like_excel(package.CC_REACH_BUILD, str(build), "CC01", 24.0, "attendances")
    assert reach[0][0] == inputs.reach.results.by_centre[24].loc["CC01", "attendances"]


def signatures(vba: str) -> dict[str, list[str]]:
    found = re.findall(r"^Function (\w+)\(([^)]*)\)$", vba, flags=re.MULTILINE)
    return {name: [a.replace("Optional ", "").strip() for a in args.split(",") if a.strip()]
            for name, args in found}


def test_import_functions_writes_vba_for_every_function(xl):
    xl_udfs, package = xl
    workbook = FakeWorkbook()
    xl_udfs.import_udfs("udfs", workbook)
    found = signatures(workbook.vba)
    assert sorted(found) == sorted(package.__all__)
    for name, args in found.items():
        assert args == [a["name"] for a in getattr(package, name).__xlfunc__["args"]]
        for identifier in [name, *args]:
            assert VBA_NAME.match(identifier), identifier
            assert identifier.lower() not in VBA_RESERVED, identifier
            assert not A1_CELL.match(identifier) and not R1C1_CELL.match(identifier), identifier
        assert f'XLPy.CallUDF("udfs", "{name}", Array({", ".join(args)})' in workbook.vba
    assert max(len(line) for line in workbook.vba.splitlines()) <= VBA_LINE_LIMIT


def test_import_functions_sets_descriptions_within_excels_limits(xl):
    xl_udfs, package = xl
    workbook = FakeWorkbook()
    xl_udfs.import_udfs("udfs", workbook)
    options = {args[0].split("!")[1]: kwargs for args, kwargs in workbook.macro_options}
    assert sorted(options) == sorted(package.__all__)
    for name, kwargs in options.items():
        func = getattr(package, name)
        assert kwargs["Description"] == func.__doc__.strip()  # nothing cut at 255
        assert kwargs["Category"] == "Children's centres"
        described = kwargs["ArgumentDescriptions"]
        assert len(described) == len(func.__xlfunc__["args"])
        assert all(0 < len(text) <= DESCRIPTION_LIMIT for text in described)


# Ranges of two columns where one is expected, and numbers as Excel passes them (D1, D10) ------

TWO_BY_TWO = [[1.0, 2.0], [5.0, 10.0]]


@pytest.mark.parametrize("name, com_args, expected", [
    ("CC_RANK", (10.0, TWO_BY_TWO, MISSING), 1),
    ("CC_RANK", (10.0, [["value", None], [1.0, 2.0], [5.0, 10.0]], "Ascending"), 4),
    ("CC_QUINTILE", (10.0, [[1.0, 2.0], [3.0, 4.0], [5.0, 10.0]], MISSING), 1),
    ("CC_RANK", (10.0, [[1.0, 2.0, 5.0, 10.0]], MISSING), 1),  # one row
])
def test_values_may_be_a_block_of_cells(xl, name, com_args, expected):
    got = call_like_excel(getattr(xl[1], name), *(com_value(a) for a in com_args))
    assert got == [[expected]]


def test_a_two_column_range_for_one_column_is_a_cell_message(xl, demo):
    _xl_udfs, package = xl
    boundaries = str(demo[0].parent / "geography" / "boundaries" / "centre.geojson")
    got = call_like_excel(package.CC_BESTFIT, com_value([["A", "B"], ["C", "D"]]),
                          com_value([1.0, 2.0]), com_value([1.0, 2.0]), boundaries, MISSING,
                          MISSING)
    assert got[0][0].startswith("#XLP: codes must be one column (or one row); got a range of 2")
    got = call_like_excel(package.CC_DEPRIVED_GAP, com_value(TWO_BY_TWO), com_value([1.0, 2.0]),
                          com_value([1.0, 2.0]), MISSING, MISSING)
    assert got[0][0].startswith("#XLP: numerators must be one column")


def test_numbers_from_cells_and_blank_cells_through_xlwings(xl, demo):
    _xl_udfs, package = xl
    geography = demo[0].parent / "geography"
    centroids = [line.split(",") for line in
                 (geography / "lsoa_centroids.csv").read_text().splitlines()[1:4]]
    codes, xs, ys = ([c[i] if i == 0 else float(c[i]) for c in centroids] for i in range(3))
    boundaries = str(geography / "boundaries" / "centre.geojson")
    by_crs = call_like_excel(package.CC_BESTFIT, com_value(codes), com_value(xs), com_value(ys),
                             boundaries, None, 27700.0)
    assert by_crs == call_like_excel(package.CC_BESTFIT, com_value(codes), com_value(xs),
                                     com_value(ys), boundaries, MISSING, MISSING)
    assert not str(by_crs).startswith("[['#XLP")
    blank = call_like_excel(package.CC_PROPORTION, 65.0, 100.0, None)
    assert blank == call_like_excel(package.CC_PROPORTION, 65.0, 100.0, MISSING)
    assert call_like_excel(package.CC_SUPPRESS, com_value([[3.0, 10.0]]), 2.5)[0][0] == \
        "#XLP: threshold must be a whole number of 1 or more; got 2.5"  # never cut to 2
