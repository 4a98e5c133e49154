"""How many lines a wrapped cell needs: text measured with Calibri's character widths.

Spreadsheet applications do not grow rows that a generator has given a height, and a printed
row that is too short hides its last line. Counting characters misjudges narrow columns (a few
long words) and text of narrow letters; measuring each character with the font's advance widths
and wrapping word by word, as the application does, gives the same line count it draws.
Widths are Calibri's (Carlito, its metric-compatible stand-in, has the same), in ems.
"""

from __future__ import annotations

import functools
import math

_WIDTHS = {
    " ": 0.226, "!": 0.326, '"': 0.401, "#": 0.498, "$": 0.507, "%": 0.715, "&": 0.682,
    "'": 0.221, "(": 0.303, ")": 0.303, "*": 0.498, "+": 0.498, ",": 0.250, "-": 0.306,
    ".": 0.252, "/": 0.386, ":": 0.268, ";": 0.268, "<": 0.498, "=": 0.498, ">": 0.498,
    "?": 0.463, "@": 0.894, "[": 0.307, "]": 0.307, "_": 0.498, "|": 0.460,
    "A": 0.579, "B": 0.544, "C": 0.533, "D": 0.615, "E": 0.488, "F": 0.459, "G": 0.631,
    "H": 0.623, "I": 0.252, "J": 0.319, "K": 0.520, "L": 0.420, "M": 0.855, "N": 0.646,
    "O": 0.662, "P": 0.517, "Q": 0.673, "R": 0.543, "S": 0.459, "T": 0.487, "U": 0.642,
    "V": 0.567, "W": 0.890, "X": 0.519, "Y": 0.487, "Z": 0.468,
    "a": 0.479, "b": 0.525, "c": 0.423, "d": 0.525, "e": 0.498, "f": 0.305, "g": 0.471,
    "h": 0.525, "i": 0.229, "j": 0.239, "k": 0.455, "l": 0.229, "m": 0.799, "n": 0.525,
    "o": 0.527, "p": 0.525, "q": 0.525, "r": 0.349, "s": 0.391, "t": 0.335, "u": 0.525,
    "v": 0.452, "w": 0.715, "x": 0.433, "y": 0.453, "z": 0.395,
}
_DIGIT = 0.507
_OTHER = 0.6  # symbols outside the table (arrows, warning signs) are about this wide
_BOLD = 1.05  # bold Calibri is about 5% wider
#: Height of one line of 10 pt Calibri in a row (points).
LINE_POINTS = 12.3
#: Points of a column's width that are padding, not text.
_PADDING = 1.5


def text_points(text: str, size: float = 10.0, bold: bool = False) -> float:
    """Width of ``text`` set in Calibri of ``size`` points, in points."""
    return _ems(text) * size * (_BOLD if bold else 1.0)


@functools.lru_cache(maxsize=8192)
def _ems(text: str) -> float:
    # Cached: a profile measures the same names and words thousands of times.
    return sum(_DIGIT if ch.isdigit() else _WIDTHS.get(ch, _OTHER) for ch in text)


def column_points(width: float) -> float:
    """Points of text a column of ``width`` (Excel's character units) holds on a line."""
    return (int(width * 7 + 0.5) + 5) * 0.75 - _PADDING


def wrapped_lines(text: str, width: float, size: float = 10.0, bold: bool = False) -> int:
    """Lines ``text`` wraps onto in a column (or merged columns) of ``width`` units, breaking
    between words as spreadsheet applications do; each line break in the text starts a line."""
    room = column_points(width)
    space = text_points(" ", size, bold)
    total = 0
    for paragraph in str(text).split("\n"):
        lines, used = 1, 0.0
        for word in paragraph.split():
            need = text_points(word, size, bold)
            if used and used + space + need > room:
                lines, used = lines + 1, need
            else:
                used += (space if used else 0.0) + need
            if need > room:  # a word wider than the column breaks across lines
                extra = math.ceil(need / room) - 1
                lines, used = lines + extra, need - extra * room
        total += lines
    return total


def word_lines(text: str, width: float, per_unit: float = 1.2) -> int:
    """Lines ``text`` wraps onto, word by word, counting characters rather than measuring them
    (``per_unit`` characters a unit of ``width``): the quick estimate for short labels."""
    per_line, count, used = width * per_unit, 1, 0
    for word in text.split():
        need = len(word) + (1 if used else 0)
        if used and used + need > per_line:
            count, used = count + 1, len(word)
        else:
            used += need
    return count
