"""Self-evaluation forms (SEF): the form model, reading back and year-on-year comparison.

Pure logic only: the workbooks that carry the form are written and read in ``workbooks/``.
"""
