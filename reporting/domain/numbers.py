"""Whole numbers taken from a URL or a form, such as ids and page numbers.

Python's int() takes "٣", "1_0" and " 7", and str.isdigit() says yes to "²", which int()
then refuses; and a number past what the database column holds overflows SQLite and
PostgreSQL alike. So an id is read here: ASCII digits only, and no larger than the column.
"""

from __future__ import annotations

ID_MAX = 2**31 - 1  # an INTEGER column on PostgreSQL (SQLite's hold more)


def whole_number(text: object, maximum: int = ID_MAX) -> int | None:
    """The number `text` spells in ASCII digits, if it is at most `maximum`; else None."""
    if isinstance(text, int) and not isinstance(text, bool):
        value = text
    else:
        digits = str(text if text is not None else "")
        if not (0 < len(digits) <= len(str(maximum)) and digits.isascii() and digits.isdigit()):
            return None
        value = int(digits)
    return value if 0 <= value <= maximum else None
