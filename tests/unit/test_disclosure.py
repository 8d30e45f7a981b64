"""Disclosure control: small counts hidden, small bases withheld, no cell recoverable."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reporting.domain.disclosure import (
    FEWER,
    PROTECTED,
    WITHHELD,
    breakdown,
    count_text,
    rate_text,
)


def test_counts_under_five_are_hidden_but_zero_is_not():
    """Are 1–4 'fewer than 5', while 0 and 5 show as they are?"""
    assert [count_text(n) for n in (0, 1, 4, 5, 12)] == ["0", FEWER, FEWER, "5", "12"]


def test_rates_on_fewer_than_eight_cases_are_withheld():
    """Is a percentage on 7 cases withheld and on 8 shown?"""
    assert rate_text(3, 7) == (None, WITHHELD)
    assert rate_text(4, 8)[1] == "50%"


def test_a_single_hidden_cell_gets_a_partner():
    """With one small cell in a table, is a second one hidden so the total cannot give it?"""
    cells = breakdown([("a", "A", 20, 0, 0), ("b", "B", 2, 0, 0), ("c", "C", 7, 0, 0),
                       ("d", "D", 9, 0, 0)])
    shown = {c.key: c.shown for c in cells}
    assert shown == {"a": "20", "b": FEWER, "c": PROTECTED, "d": "9"}


def test_rates_of_hidden_cells_are_never_shown():
    """Could a percentage betray a hidden count? Its rate is withheld too."""
    cells = breakdown([("a", "A", 30, 15, 30), ("b", "B", 3, 3, 3), ("c", "C", 9, 9, 9)])
    assert all(c.rate is None for c in cells if c.hidden)


@given(st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=12))
def test_no_table_leaves_a_recoverable_cell(counts):
    """For any table: no 1–4 count visible, and never exactly one hidden non-zero cell."""
    cells = breakdown([(str(i), str(i), n, 0, 0) for i, n in enumerate(counts)])
    assert not any(c.shown in {"1", "2", "3", "4"} for c in cells)
    hidden = [c for c in cells if c.hidden]
    nonzero_shown = [c for c in cells if not c.hidden and c.count > 0]
    assert len(hidden) != 1 or not nonzero_shown  # one hidden cell only if nothing to pair
