"""``xl-profile demo --out DIR``: build everything from the fictional demo borough."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "demo", help="build every workbook from the embedded fictional demo borough",
        description="Generate the fictional demo borough, write the inputs it uses under "
                    "DIR/data/ (tidy indicators, geography, centre extract, build file) as a user "
                    "would supply them, then build every workbook from those files into DIR, and "
                    "each centre's self-evaluation form into DIR/sef/ (filled forms are kept).")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder")
    parser.add_argument("--pdf", action="store_true",
                        help="also write a PDF of each workbook (needs LibreOffice)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from workbooks.analyst_workbook import analyst_step
    from workbooks.build import build_all

    from ..atomic import make_output_folder
    from ..config import load_config
    from ..demo.inputs import write_demo_inputs
    from ..demo.region import borough_figures, write_demo_region
    from ..pipeline import stderr_progress
    from .region import build_region

    make_output_folder(args.out)
    stderr_progress("generating the fictional demo borough")
    config_path = write_demo_inputs(args.out / "data")
    config = load_config(config_path)
    result = build_all(config, args.out, pdf=args.pdf,
                       extra_steps=[("analyst workbook", analyst_step(config_path))])
    for path in result.files:
        print(path)
    forms = _sef_forms(config, args.out / "sef", result)
    # The borough's row of the region is its own build's figures, so the two agree.
    borough = borough_figures(result.profile, result.values)
    region = build_region(write_demo_region(args.out / "data" / "region", borough=borough),
                          args.out)
    print(region)
    print(f"{len(result.files) + 1} workbook(s) and {forms} self-evaluation form(s) written to "
          f"{args.out}; inputs in {args.out / 'data'}", file=sys.stderr)
    return 0


def _sef_forms(config, sef_dir: Path, build) -> int:
    """Each centre's self-evaluation form; a form filled in since an earlier run is kept."""
    from workbooks.sef_generate import default_year, generate_forms

    from .sef import report_generated

    result = generate_forms(config, sef_dir, default_year(config), profile=build.profile,
                            reach=build.reach)
    report_generated(result)
    return len(result.written)
