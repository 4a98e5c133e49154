"""Reach and volume from children's centre database extracts, with privacy at the door."""

from .extract import Extract, load_extract, pseudonym
from .measures import GROUPS, ReachResults, compute_reach, populations_from_profile, window

__all__ = ["Extract", "load_extract", "pseudonym", "GROUPS", "ReachResults", "compute_reach",
           "populations_from_profile", "window"]
