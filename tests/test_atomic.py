"""Outputs are complete or absent: never partially written."""

from __future__ import annotations

import os
import stat

import pytest

from xl_profile.atomic import atomic_output, current_umask, write_text_atomic
from xl_profile.errors import OutputError


def test_failure_leaves_existing_file_untouched_and_no_temp(tmp_path):
    target = tmp_path / "book.xlsx"
    target.write_text("original")
    with pytest.raises(RuntimeError):
        with atomic_output(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("boom")
    assert target.read_text() == "original"
    assert [p.name for p in tmp_path.iterdir()] == ["book.xlsx"]


def test_success_replaces(tmp_path):
    target = tmp_path / "a.csv"
    write_text_atomic(target, "x,y\r\n")
    assert target.read_bytes() == b"x,y\r\n"


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(OutputError, match="does not exist"):
        with atomic_output(tmp_path / "no" / "a.csv"):
            pass


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_outputs_honour_the_umask(tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        write_text_atomic(tmp_path / "a.csv", "x\r\n")
        with atomic_output(tmp_path / "b.xlsx") as tmp:
            tmp.write_bytes(b"PK")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.csv").stat().st_mode) == mode
    assert stat.S_IMODE((tmp_path / "b.xlsx").stat().st_mode) == mode
    assert current_umask() == old  # reading the umask leaves it as it was


def test_workbook_build_files_honour_the_umask(tmp_path):
    from workbooks.common import saved_workbook

    old = os.umask(0o022)
    try:
        with saved_workbook(tmp_path / "book.xlsx", "Title") as workbook:
            workbook.add_worksheet("Sheet").write_string(0, 0, "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "book.xlsx").stat().st_mode) == 0o644


def test_target_that_is_a_folder_or_under_a_file(tmp_path):
    (tmp_path / "book.xlsx").mkdir()
    with pytest.raises(OutputError, match="is a folder; expected a file name"):
        write_text_atomic(tmp_path / "book.xlsx", "x")
    (tmp_path / "plain").write_text("x")
    with pytest.raises(OutputError, match="'.*plain' is a file, not a folder"):
        write_text_atomic(tmp_path / "plain" / "a.csv", "x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx", "plain"]
