"""Case references: a short name a team can say aloud or write in an email, e.g. NF-7K3Q.

Six characters from `secrets`, drawn from an alphabet with none of the look-alikes
0/O, 1/I/L, shown as two and four. A reference is random: it says nothing about the
student, the report or when it came, and it is not a receipt (a receipt is twenty
characters and opens a report; a reference opens nothing). Unique within a school.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 6
SPLIT = 2  # NF-7K3Q
_SHAPE = re.compile(f"[{ALPHABET}]{{{LENGTH}}}")


def new_reference() -> str:
    """A fresh reference in display form, e.g. NF-7K3Q."""
    return display("".join(secrets.choice(ALPHABET) for _ in range(LENGTH)))


def display(compact: str) -> str:
    """The display form of six reference characters."""
    return f"{compact[:SPLIT]}-{compact[SPLIT:]}"


def normalise(text: str) -> str | None:
    """The display form of what someone typed (any case, spaces or dash), or None."""
    compact = "".join(ch for ch in text.upper() if ch not in " -\t")
    return display(compact) if _SHAPE.fullmatch(compact) else None
