"""Statistical disclosure control for every figure a dashboard shows.

After the rules UK higher-education and NHS statistics use: a count from 1 to 4 shows as
"fewer than 5"; a percentage, median or other rate based on fewer than 8 cases is not
shown; and secondary suppression hides a second cell wherever a single hidden cell could
be recovered by subtracting the shown cells from a shown total.
"""

from __future__ import annotations

from dataclasses import dataclass

MIN_COUNT = 5
MIN_BASE = 8
FEWER = "fewer than 5"
PROTECTED = "not shown (protects a smaller number)"
WITHHELD = "not shown (fewer than 8 cases)"


@dataclass(frozen=True)
class Cell:
    """One row of a breakdown: its label, the true count (never displayed as such) and
    what may be shown."""

    key: str
    label: str
    count: int
    shown: str
    rate: float | None = None  # e.g. share within target, only when the base allows
    rate_shown: str = ""

    @property
    def hidden(self) -> bool:
        """Is the count suppressed (as small, or to protect another small one)?"""
        return self.shown in (FEWER, PROTECTED)


def count_text(count: int) -> str:
    """A count as it may be shown on its own."""
    return FEWER if 0 < count < MIN_COUNT else str(count)


def rate_text(numerator: int, base: int) -> tuple[float | None, str]:
    """A percentage, unless its base is too small to show."""
    if base < MIN_BASE:
        return None, WITHHELD
    value = 100.0 * numerator / base
    return value, f"{value:.0f}%"


def value_text(value: float | None, base: int, unit: str = "hours") -> str:
    """A median or percentile, unless it rests on too few cases."""
    if base < MIN_BASE or value is None:
        return WITHHELD
    return f"{value:.1f} {unit}"


def breakdown(rows: list[tuple[str, str, int, int, int]]) -> list[Cell]:
    """Cells for (key, label, count, within-target, with-a-target) rows, with primary and
    secondary suppression applied across the whole table."""
    cells = []
    for key, label, count, within, base in rows:
        rate, rate_shown = rate_text(within, base)
        cells.append(Cell(key, label, count, count_text(count), rate, rate_shown))
    hidden = [c for c in cells if c.hidden]
    if len(hidden) == 1:
        # One hidden cell could be recovered from the total: hide the next smallest too.
        candidates = sorted((c for c in cells if not c.hidden and c.count > 0),
                            key=lambda c: (c.count, c.key))
        if candidates:
            second = candidates[0]
            cells = [Cell(c.key, c.label, c.count, PROTECTED if c is second else c.shown,
                          None if c is second else c.rate,
                          WITHHELD if c is second else c.rate_shown) for c in cells]
    # A rate must not reveal a hidden count either.
    return [Cell(c.key, c.label, c.count, c.shown, None, WITHHELD) if c.hidden else c
            for c in cells]
