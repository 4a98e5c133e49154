"""The fictional demo borough: deterministic synthetic geography, boundaries and indicator data.

Everything here is invented (see :data:`DEMO_NOTICE`); it exists so a newcomer can run the whole
toolkit without real data, and so tests have a realistic, reproducible borough to work on.
"""

from .borough import DEMO_NOTICE, DemoBorough, generate_demo_borough

__all__ = ["DEMO_NOTICE", "DemoBorough", "generate_demo_borough"]
