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
