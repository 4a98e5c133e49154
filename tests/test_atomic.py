"""Outputs are complete or absent: never partially written."""

from __future__ import annotations

import pytest

from xl_profile.atomic import atomic_output, write_text_atomic
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
