"""Stand-ins for Excel and pywin32 so xlwings' own UDF machinery runs on Linux.

- :class:`FakeExcelEngine` is registered as xlwings' ``excel`` engine: it cleans values the way
  a COM range delivers them (blank cells, dates, numbers as floats), so :func:`call_like_excel`
  sends every argument and result through ``xlwings.conversion.read``/``write`` with the options
  the decorators recorded (``ndim``, ``numbers``, ``expand``, ...).
- :func:`xlwings_udfs_module` imports ``xlwings.udfs`` (the code behind "Import Functions")
  with pywin32 replaced by empty modules, and :class:`FakeWorkbook` records what it does to a
  workbook: the VBA module it imports and the MacroOptions it sets.
"""

from __future__ import annotations

import datetime as dt
import importlib
import math
import sys
import types
from pathlib import Path
from typing import Any

import xlwings
from xlwings import conversion
from xlwings.main import Engine

#: What a COM call passes for an optional argument left out (DISP_E_PARAMNOTFOUND).
MISSING = -2147352572


class FakeExcelEngine:
    """The engine impl xlwings uses to clean values read from and written to Excel."""

    name = "excel"
    type = "desktop"

    @staticmethod
    def clean_value_data(data, datetime_builder, empty_as, number_builder, err_to_str):
        def clean(cell):
            if cell in ("", None):
                return empty_as
            if isinstance(cell, dt.datetime):  # COM dates are rebuilt by xlwings' builder
                return datetime_builder(year=cell.year, month=cell.month, day=cell.day,
                                        hour=cell.hour, minute=cell.minute, second=cell.second)
            if number_builder is not None and isinstance(cell, float):
                return number_builder(cell)
            return cell
        return [[clean(cell) for cell in row] for row in data]

    @staticmethod
    def prepare_xl_data_element(x, options):
        if x is None or (isinstance(x, float) and math.isnan(x)):
            return ""
        return x


def register_fake_excel() -> Engine:
    """Make the fake the ``excel`` engine (xlwings has none on Linux); returns it."""
    engine = Engine(impl=FakeExcelEngine())
    xlwings.engines.add(engine)
    return engine


def unregister(engine: Engine) -> None:
    xlwings.engines.engines.remove(engine)
    xlwings.engines.engines_by_name.pop("excel", None)


def com_value(value: Any) -> Any:
    """A Python value as COM passes it to xlwings: a range as a tuple of row tuples."""
    if isinstance(value, list):
        rows = value if value and isinstance(value[0], list) else [[v] for v in value]
        return tuple(tuple(row) for row in rows)
    return value


def call_like_excel(func, *com_args) -> Any:
    """Call a UDF as xlwings' ``call_udf`` does: each argument through ``conversion.read`` with
    the options its decorators recorded (left-out ones get their default), the result through
    ``conversion.write``."""
    info = func.__xlfunc__
    args = []
    for i, value in enumerate(com_args):
        arg = info["args"][i]
        if value == MISSING:
            args.append(arg.get("optional"))
        else:
            args.append(conversion.read(None, value, arg["options"]))
    return conversion.write(func(*args), None, info["ret"]["options"])


class _Recorder:
    def __init__(self):
        self.calls: list[tuple[str, tuple, dict]] = []

    def __getattr__(self, name):
        def record(*args, **kwargs):
            self.calls.append((name, args, kwargs))
        return record


class _Components(_Recorder):
    def __init__(self):
        super().__init__()
        self.imported: list[str] = []

    def __call__(self, name):
        return name

    def Import(self, path):  # noqa: N802 - the COM method's name
        self.imported.append(Path(path).read_text())


class FakeWorkbook:
    """The workbook object "Import Functions" works on: records the VBA and MacroOptions."""

    def __init__(self, name: str = "analyst-workbook.xlsm"):
        self.Name = name
        self.VBProject = types.SimpleNamespace(VBComponents=_Components())
        self.Application = _Recorder()
        self.Application.Version = "16.0"

    @property
    def vba(self) -> str:
        return "".join(self.VBProject.VBComponents.imported)

    @property
    def macro_options(self) -> list[tuple[tuple, dict]]:
        return [(a, k) for name, a, k in self.Application.calls if name == "MacroOptions"]


def xlwings_udfs_module(monkeypatch):
    """``xlwings.udfs`` imported with pywin32 stubbed (restored by ``monkeypatch``)."""
    stubs = {
        "pythoncom": types.SimpleNamespace(IID_IDispatch=None, CoInitialize=lambda: None),
        "pywintypes": types.SimpleNamespace(com_error=type("com_error", (Exception,), {}),
                                            TimeType=dt.datetime),
        "win32com": types.ModuleType("win32com"),
        "win32com.client": types.SimpleNamespace(Dispatch=lambda x, **k: x),
    }
    for name, module in stubs.items():
        monkeypatch.setitem(sys.modules, name, module)
    monkeypatch.delitem(sys.modules, "xlwings.udfs", raising=False)
    return importlib.import_module("xlwings.udfs")


UDF_MODULES = ("udfs.functions", "udfs.tables", "udfs")


def decorated_as_on_windows(monkeypatch):
    """(``xlwings.udfs``, our ``udfs`` package) with xlwings' Windows decorators applied.

    Off Windows ``xw.func``, ``xw.arg`` and ``xw.ret`` do nothing; here they are the ones Excel's
    add-in uses, and our modules are imported again under them. Call :func:`plain_again` after.
    """
    xl_udfs = xlwings_udfs_module(monkeypatch)
    monkeypatch.setattr(xlwings, "func", xl_udfs.xlfunc)
    monkeypatch.setattr(xlwings, "arg", xl_udfs.xlarg)
    monkeypatch.setattr(xlwings, "ret", xl_udfs.xlret)
    for name in UDF_MODULES:
        importlib.reload(importlib.import_module(name))
    package = sys.modules["udfs"]
    xl_udfs.udf_modules["udfs"] = {"module": package, "filetime": None,
                                   "filename": package.__file__}
    return xl_udfs, package


def plain_again() -> None:
    """Our modules imported again under the decorators of this platform."""
    for name in UDF_MODULES:
        importlib.reload(sys.modules[name])
