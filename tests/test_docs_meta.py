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
UDF_SOURCE = ROOT / "udfs" / "functions.py"


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
    tree = ast.parse(UDF_SOURCE.read_text(encoding="utf-8"))
    return [node for node in tree.body if isinstance(node, ast.FunctionDef)
            and node.name.startswith("CC_")]


def test_there_are_worksheet_functions():
    assert len(udf_definitions()) >= 5


@pytest.mark.parametrize("func", udf_definitions(), ids=lambda f: f.name)
def test_udf_is_decorated_documented_and_short(func):
    decorators = [ast.unparse(d) for d in func.decorator_list]
    assert "xw.func" in decorators and "cell_errors" in decorators
    doc = ast.get_docstring(func)
    assert doc and len(doc) <= 255, "Excel's function wizard shows at most 255 characters"
    assert len(re.findall(r"[.!?](\s|$)", doc)) <= 1, "one sentence"
    body = [n for n in func.body if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]
    assert 1 <= len(body) <= 5, "a UDF body calls the core in 1-5 lines"
    assert f"`={func.name}(" in UDF_DOC
