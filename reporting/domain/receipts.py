"""Receipts: the only thing that links an anonymous student to their report.

20 Crockford base32 characters (100 bits from `secrets`), shown in five groups
of four. Reading is forgiving: case, spaces, dashes and the look-alikes
I/L -> 1 and O -> 0 are accepted.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 20
GROUP = 4
_LOOKALIKES = str.maketrans({"I": "1", "L": "1", "O": "0"})


def new_receipt() -> str:
    """A fresh receipt in display form, e.g. K7QF-9XM2-P4TD-W8HN-3RCV."""
    return display("".join(secrets.choice(ALPHABET) for _ in range(LENGTH)))


def display(compact: str) -> str:
    """Split a compact receipt into dash-separated groups."""
    return "-".join(compact[i : i + GROUP] for i in range(0, len(compact), GROUP))


def normalise(text: str) -> str | None:
    """The canonical compact form of what a student typed, or None if it cannot be a receipt."""
    compact = "".join(ch for ch in text.upper() if ch not in " -\t").translate(_LOOKALIKES)
    if len(compact) != LENGTH or any(ch not in ALPHABET for ch in compact):
        return None
    return compact
