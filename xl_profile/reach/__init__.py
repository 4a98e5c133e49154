"""Reach and volume from children's centre database extracts, with privacy at the door."""

from .extract import Extract, load_extract, pseudonym
from .measures import GROUPS, PeriodMeasures, ReachResults, compute_reach, measures_for_period, window
from .populations import (lsoa_populations, populations_from_lsoa, populations_from_profile,
                          profile_populations)
from .run import ReachRun, run_reach

__all__ = ["Extract", "load_extract", "pseudonym", "GROUPS", "PeriodMeasures", "ReachResults",
           "ReachRun", "compute_reach", "measures_for_period", "populations_from_lsoa",
           "populations_from_profile", "profile_populations", "lsoa_populations", "run_reach",
           "window"]
