"""Worksheet functions (``=CC_...``) for analysts, through the xlwings add-in.

Every function is importable from this package, so xlwings' ``UDF Modules`` setting can name
``udfs``. These functions are for the analyst's own workbooks: circulated workbooks never call them.
"""

from .functions import (CC_BYAR, CC_COMPARE, CC_NI72, CC_NI92, CC_PROPORTION, CC_QUINTILE,
                        CC_RANK, CC_RATE, CC_RATE_CI, CC_REACH_BUILD, CC_VALUE, CC_WILSON)
from .tables import CC_BESTFIT, CC_COVERAGE, CC_DEPRIVED_GAP, CC_REACH, CC_SUPPRESS

__all__ = ["CC_BESTFIT", "CC_BYAR", "CC_COMPARE", "CC_COVERAGE", "CC_DEPRIVED_GAP", "CC_NI72",
           "CC_NI92", "CC_PROPORTION", "CC_QUINTILE", "CC_RANK", "CC_RATE", "CC_RATE_CI",
           "CC_REACH", "CC_REACH_BUILD", "CC_SUPPRESS", "CC_VALUE", "CC_WILSON"]
