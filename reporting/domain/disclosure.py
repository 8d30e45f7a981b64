"""Statistical disclosure control for every figure a dashboard shows.

After the rules UK higher-education and NHS statistics use: a count from 1 to 4 shows as
"fewer than 5"; a percentage, median or other rate based on fewer than 8 cases is not
shown; and secondary suppression hides a second cell wherever a single hidden cell could
be recovered by subtracting the shown cells from a shown total.
"""

from __future__ import annotations

from dataclasses import dataclass

from reporting.domain.words import N_

MIN_COUNT = 5
MIN_BASE = 8
FEWER = N_("fewer than 5")
PROTECTED = N_("not shown (protects a smaller number)")
HIDDEN_SHARE = N_("not shown (its count is hidden)")
# The words in place of a share or a time, by the base that was too small.
WITHHELD = {
    "cases": N_("not shown (based on fewer than %(base)s cases)"),
    "cases acknowledged": N_("not shown (based on fewer than %(base)s cases acknowledged)"),
    "cases answered": N_("not shown (based on fewer than %(base)s cases answered)"),
    "cases resolved": N_("not shown (based on fewer than %(base)s cases resolved)"),
    "responses": N_("not shown (based on fewer than %(base)s responses)"),
}
UNITS = {"hours": N_("%(value)s hours")}


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


def withheld(basis: str = "cases") -> str:
    """Which base was too small: the words shown in place of a share or a time."""
    words = WITHHELD.get(basis)
    if words is None:
        return f"not shown (based on fewer than {MIN_BASE} {basis})"
    return words % {"base": MIN_BASE}


def count_text(count: int) -> str:
    """A count as it may be shown on its own."""
    return FEWER if 0 < count < MIN_COUNT else str(count)


def rate_text(numerator: int, base: int, basis: str = "cases") -> tuple[float | None, str]:
    """A percentage, unless its base (`base` of `basis`) is too small to show."""
    if base < MIN_BASE:
        return None, withheld(basis)
    value = 100.0 * numerator / base
    return value, f"{value:.0f}%"


def share_text(numerator: int, base: int) -> str:
    """A share of all cases that is itself a count of reporters (such as those who chose
    another team): withheld with the count, since the total would give the count back."""
    if count_text(numerator) == FEWER:
        return HIDDEN_SHARE
    return rate_text(numerator, base)[1]


def value_text(value: float | None, base: int, unit: str = "hours",
               basis: str = "cases") -> str:
    """A median or percentile, unless it rests on too few cases."""
    if base < MIN_BASE or value is None:
        return withheld(basis)
    words = UNITS.get(unit)
    return f"{value:.1f} {unit}" if words is None else words % {"value": f"{value:.1f}"}


def suppress(counts: dict, lines: list[list]) -> dict:
    """What each count may show, given the lines of figures that add up to a shown or
    hidden total (a line holds its total too). Counts 1–4 are hidden; then, wherever a line
    has exactly one hidden figure, which subtraction would give back, its smallest shown
    non-zero figure is hidden as well, until no line has one."""
    hidden = {key: FEWER for key, count in counts.items() if 0 < count < MIN_COUNT}
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(key in hidden for key in line) != 1:
                continue
            candidates = sorted((counts[key], key) for key in line
                                if key not in hidden and counts[key] > 0)
            if candidates:
                hidden[candidates[0][1]] = PROTECTED
                changed = True
    return {key: hidden.get(key, str(count)) for key, count in counts.items()}


def crossed(counts: dict[tuple[str, str], int], rows: list[str],
            columns: list[str]) -> dict[tuple[str, str], str]:
    """What a two-way table (say channel by month) may show, with its margins: (row, "")
    is a row's total, ("", column) a column's, ("", "") the grand total. Every row and
    every column is a line, so no view of one row can be subtracted from the margins."""
    table = {(r, c): counts.get((r, c), 0) for r in rows for c in columns}
    for r in rows:
        table[(r, "")] = sum(table[(r, c)] for c in columns)
    for c in columns:
        table[("", c)] = sum(table[(r, c)] for r in rows)
    table[("", "")] = sum(table[(r, "")] for r in rows)
    lines = [[(r, c) for c in [*columns, ""]] for r in [*rows, ""]]
    lines += [[(r, c) for r in [*rows, ""]] for c in columns + [""]]
    return suppress(table, lines)


def breakdown(rows: list[tuple[str, str, int, int, int]], shown: dict[str, str] | None = None,
              basis: str = "cases acknowledged") -> list[Cell]:
    """Cells for (key, label, count, within-target, with-a-target) rows, their counts as
    `shown` says or, by default, with primary and secondary suppression across the table.
    A rate is withheld where its count is hidden, so it cannot reveal it."""
    if shown is None:
        shown = suppress({key: count for key, _, count, _, _ in rows}, [[row[0] for row in rows]])
    cells = []
    for key, label, count, within, base in rows:
        rate, rate_shown = ((None, HIDDEN_SHARE) if shown[key] in (FEWER, PROTECTED)
                            else rate_text(within, base, basis))
        cells.append(Cell(key, label, count, shown[key], rate, rate_shown))
    return cells
