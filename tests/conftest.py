"""Shared fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from xl_profile.catalogue import load_catalogue
from xl_profile.demo.borough import generate_demo_borough

#: Public reference data kept beside the repository (not shipped with it).
SHARED = Path(__file__).resolve().parents[2] / "shared"
WESTMINSTER = SHARED / "data" / "westminster"


@pytest.fixture(scope="session")
def westminster() -> Path:
    """The real Westminster reference data; skipped only where absent outside CI."""
    if not WESTMINSTER.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"reference data missing under CI: {WESTMINSTER}")
        pytest.skip("Westminster reference data not available")
    return WESTMINSTER


@pytest.fixture(scope="module")
def demo():
    """The fictional demo borough (a module may define its own ``demo``, which wins there)."""
    return generate_demo_borough()


@pytest.fixture(scope="module")
def catalogue():
    """The shipped indicator catalogue."""
    return load_catalogue()
