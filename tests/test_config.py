"""Build files: paths relative to the file, precise errors."""

from __future__ import annotations

import datetime as dt

import pytest

from xl_profile.config import config_text, load_config
from xl_profile.errors import ConfigError


def test_written_config_reads_back_with_resolved_paths(tmp_path):
    path = tmp_path / "build.yaml"
    path.write_text(config_text(geography="geo", indicators=["a.csv", "b.xlsx"], extract="ex",
                                reach_as_of=dt.date(2008, 3, 31)))
    config = load_config(path)
    assert config.geography == tmp_path / "geo"
    assert config.indicators == [tmp_path / "a.csv", tmp_path / "b.xlsx"]
    assert config.extract == tmp_path / "ex"
    assert config.reach_as_of == dt.date(2008, 3, 31)
    assert config.suppression_threshold == 5


def test_unknown_setting_names_file_field_and_allowed(tmp_path):
    path = tmp_path / "build.yaml"
    path.write_text("geography: g\nindicators: [a.csv]\nindicator: [b.csv]\n")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    text = str(err.value)
    assert "build.yaml" in text and "'indicator'" in text and "indicators" in text


def test_bad_threshold_and_missing_file(tmp_path):
    path = tmp_path / "build.yaml"
    path.write_text("geography: g\nindicators: [a.csv]\nsuppression_threshold: 0\n")
    with pytest.raises(ConfigError, match="suppression_threshold"):
        load_config(path)
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "missing.yaml")


def test_built_on_setting_is_a_checked_date(tmp_path):
    path = tmp_path / "build.yaml"
    path.write_text("geography: g\nindicators: [a.csv]\nbuilt_on: 2008-06-30\n")
    assert load_config(path).built_on == dt.date(2008, 6, 30)
    path.write_text("geography: g\nindicators: [a.csv]\nbuilt_on: 30/06/2008\n")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert "built_on" in str(err.value) and "'30/06/2008'" in str(err.value)


def test_built_on_comes_from_the_setting_then_source_date_epoch_then_today(monkeypatch):
    from xl_profile.config import resolve_built_on

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1214784000")  # 2008-06-30 00:00 UTC
    assert resolve_built_on(None) == dt.date(2008, 6, 30)
    assert resolve_built_on(dt.date(2009, 1, 2)) == dt.date(2009, 1, 2)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(ConfigError, match="SOURCE_DATE_EPOCH.*'yesterday'"):
        resolve_built_on(None)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert resolve_built_on(None) == dt.date.today()


def test_the_cli_says_a_bad_source_date_epoch_before_any_library_reads_it(tmp_path):
    """numpy reads SOURCE_DATE_EPOCH too, on import, and fails on its own terms: the command
    checks it first (in a fresh process, as a user runs it)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "SOURCE_DATE_EPOCH": "yesterday"}
    env.pop("XL_PROFILE_DEBUG", None)
    done = subprocess.run([sys.executable, "-m", "xl_profile", "demo", "--out",
                           str(tmp_path / "out")], env=env, capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "Error: environment variable SOURCE_DATE_EPOCH: expected a whole number of seconds since "
        "1970-01-01 UTC, e.g. 1214784000; found 'yesterday'"]
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
