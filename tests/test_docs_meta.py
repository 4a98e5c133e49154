"""Every command and every worksheet function is documented, and the docs match the code."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from xl_profile.cli import COMMAND_MODULES, build_parser

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
UDF_DOC = (ROOT / "docs" / "udfs.md").read_text(encoding="utf-8")
UDF_SOURCES = [ROOT / "udfs" / "functions.py", ROOT / "udfs" / "tables.py"]


def registered_commands() -> list[str]:
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return sorted(action.choices)


def test_every_command_module_is_registered():
    assert registered_commands() == sorted(COMMAND_MODULES)


@pytest.mark.parametrize("command", COMMAND_MODULES)
def test_command_is_in_readme_and_has_help(command):
    assert f"`xl-profile {command}" in README
    action = next(a for a in build_parser()._actions if a.dest == "command")
    assert action.choices[command].description


def udf_definitions() -> list[ast.FunctionDef]:
    found = []
    for source in UDF_SOURCES:
        tree = ast.parse(source.read_text(encoding="utf-8"))
        found += [node for node in tree.body if isinstance(node, ast.FunctionDef)
                  and node.name.startswith("CC_")]
    return found


def udf_table_rows() -> list[str]:
    """The rows of the functions table in docs/udfs.md, which must be one unbroken table."""
    lines = UDF_DOC.splitlines()
    start = lines.index("| function | what it returns |")
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        rows.append(line)
    return rows


def test_there_are_worksheet_functions():
    assert len(udf_definitions()) >= 17


def test_every_function_is_exported_and_in_one_docs_table_once():
    import udfs

    defined = sorted(f.name for f in udf_definitions())
    assert sorted(udfs.__all__) == defined
    documented = [re.match(r"\| `=(CC_\w+)\(", row).group(1) for row in udf_table_rows()]
    assert sorted(documented) == defined, "every function has one row; no blank line splits it"
    assert len(documented) == len(set(documented))


@pytest.mark.parametrize("func", udf_definitions(), ids=lambda f: f.name)
def test_docs_signature_matches_the_arguments(func):
    row = next(r for r in udf_table_rows() if r.startswith(f"| `={func.name}("))
    shown = re.match(r"\| `=\w+\(([^)]*)\)`", row).group(1)
    names = [a.strip() for a in shown.split(",")]
    required = len(func.args.args) - len(func.args.defaults)
    expected = [a.arg if i < required else f"[{a.arg}]" for i, a in enumerate(func.args.args)]
    assert names == expected


@pytest.mark.parametrize("func", udf_definitions(), ids=lambda f: f.name)
def test_every_argument_is_described(func):
    described = {ast.literal_eval(d.args[0]) for d in func.decorator_list
                 if isinstance(d, ast.Call) and ast.unparse(d.func) == "xw.arg"
                 and any(k.arg == "doc" for k in d.keywords)}
    assert described == {a.arg for a in func.args.args}


@pytest.mark.parametrize("func", udf_definitions(), ids=lambda f: f.name)
def test_udf_is_decorated_documented_and_short(func):
    decorators = [ast.unparse(d) for d in func.decorator_list]
    assert "xw.func(category=CATEGORY)" in decorators and decorators[-1] == "cell_errors"
    doc = ast.get_docstring(func)
    assert doc and len(doc) <= 255, "Excel's function wizard shows at most 255 characters"
    assert len(re.findall(r"[.!?](\s|$)", doc)) <= 1, "one sentence"
    body = [n for n in func.body if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]
    assert 1 <= len(body) <= 5, "a UDF body calls the core in 1-5 lines"
    assert f"`={func.name}(" in UDF_DOC
