"""Shared fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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
