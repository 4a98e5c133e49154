"""Allow ``python -m xl_profile``."""

import sys

from .cli import main

sys.exit(main())
