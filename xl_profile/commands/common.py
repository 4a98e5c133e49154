"""Helpers shared by commands."""

from __future__ import annotations

from pathlib import Path

from ..models import Geography


def load_geography_or_demo(directory: Path | None) -> Geography:
    """The geography in ``directory``, or the demo borough's when none is given."""
    if directory is not None:
        from ..geography_io import load_geography

        return load_geography(directory)
    from ..demo.borough import generate_demo_borough

    return generate_demo_borough().geography
