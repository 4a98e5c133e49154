"""Write the demo borough's inputs exactly as a user would supply them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..atomic import write_text_atomic
from ..config import config_text
from ..geography_io import write_geography
from ..tidy import write_tidy_csv
from .borough import DEMO_NOTICE, generate_demo_borough

#: Last day of the demo's 12 and 24 month reach windows.
DEMO_AS_OF = dt.date(2008, 3, 31)


def write_demo_inputs(data_dir: Path, seed: int = 2008) -> Path:
    """Write geography, tidy indicators, the centre extract and a build file; return its path."""
    data_dir.mkdir(parents=True, exist_ok=True)
    demo = generate_demo_borough(seed)
    write_geography(data_dir / "geography", demo.geography, boundaries=demo.boundaries,
                    centroids=demo.centroids)
    write_tidy_csv(data_dir / "indicators.csv", demo.tidy_rows)
    extract = _write_extract(demo, data_dir / "extract", seed)
    write_text_atomic(data_dir / "README.txt", DEMO_NOTICE + "\n")
    config_path = data_dir / "build.yaml"
    write_text_atomic(config_path, config_text(
        geography="geography", indicators=["indicators.csv"],
        extract="extract" if extract else None, reach_as_of=DEMO_AS_OF if extract else None))
    return config_path


def _write_extract(demo, directory: Path, seed: int) -> bool:
    """Write the synthetic centre database extract, when the reach module is available."""
    try:
        from .extract import generate_demo_extract, write_extract
    except ImportError:
        return False
    write_extract(generate_demo_extract(demo, seed=seed), directory)
    return True
