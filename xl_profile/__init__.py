"""xl-profile: children's centre data profiles, reach reports and SEF workbooks.

The ``xl_profile`` package is the pure core (models, geography, statistics, indicators, reach and SEF
logic). It never imports xlwings or xlsxwriter: workbooks are written by the ``workbooks`` package and
worksheet functions live in ``udfs``.
"""

__version__ = "0.1.0"
