"""``xl-profile region CONFIG --out DIR``: the regional view of a region's authorities."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "region", help="rank a region's authorities and their change between two periods",
        description="Write DIR/region-profile.xlsx from a region build file (YAML: region, "
                    "authorities with code, name and centres, the authority of interest, a tidy "
                    "indicator file with authority rows for several periods, the indicators, the "
                    "two periods to compare and optionally national IMD ranks per LSOA): each "
                    "indicator ranked for the latest period, the change between the two periods "
                    "ranked and charted with its significance, IMD quintile shares and centres "
                    "per authority. See the demo's data/region/region.yaml.")
    parser.add_argument("config", type=Path, metavar="CONFIG", help="region build file (YAML)")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    print(build_region(args.config, args.out))
    return 0


def build_region(config_path: Path, out_dir: Path) -> Path:
    """Read the region build file and write its workbook; return the workbook's path."""
    import sys

    from workbooks.region_profile import write_region_profile

    from ..atomic import make_output_folder
    from ..config import resolve_built_on
    from ..region import load_region_config, region_view

    view = region_view(load_region_config(config_path))
    make_output_folder(out_dir)
    if view.rows_left_out:
        print(f"  {view.rows_left_out} row(s) of {view.config.indicators_file.name} left out: "
              "another indicator or an area outside the region", file=sys.stderr)
    return write_region_profile(view, out_dir, resolve_built_on())
