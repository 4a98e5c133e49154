"""Build the demo once per test session, through the same files a user would supply."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

from xl_profile.config import load_config
from xl_profile.demo.inputs import write_demo_inputs
from xl_profile.pipeline import load_profile, quiet
from xl_profile.profile import ProfileData

BUILT_ON = dt.date(2008, 6, 30)


@lru_cache(maxsize=None)
def demo_profile(data_dir: Path) -> ProfileData:
    """The computed demo profile from inputs written under ``data_dir``."""
    return load_profile(load_config(write_demo_inputs(data_dir)), progress=quiet)
