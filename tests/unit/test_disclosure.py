"""Disclosure control: small counts hidden, small bases withheld, no cell recoverable."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reporting.domain.disclosure import (
    FEWER,
    HIDDEN_SHARE,
    PROTECTED,
    breakdown,
    count_text,
    crossed,
    rate_text,
    share_text,
    withheld,
)


def test_counts_under_five_are_hidden_but_zero_is_not():
    """Are 1–4 'fewer than 5', while 0 and 5 show as they are?"""
    assert [count_text(n) for n in (0, 1, 4, 5, 12)] == ["0", FEWER, FEWER, "5", "12"]


def test_rates_on_fewer_than_eight_cases_are_withheld():
    """Is a percentage on 7 cases withheld and on 8 shown?"""
    assert rate_text(3, 7) == (None, withheld())
    assert rate_text(4, 8)[1] == "50%"


def test_a_withheld_figure_says_which_base_was_too_small():
    """Beside a count of 12, does a withheld share say it rests on fewer than 8 acknowledged
    cases (not 'fewer than 8 cases', which 12 contradicts)?"""
    cell = breakdown([("a", "A", 12, 3, 6), ("b", "B", 30, 20, 30)])[0]
    assert (cell.shown, cell.rate_shown) == (
        "12", "not shown (based on fewer than 8 cases acknowledged)")


def test_a_share_that_counts_reporters_hides_with_its_count():
    """Would '3%' of 31 give back the 1 student behind it? It is withheld; 0 and 5 show."""
    assert share_text(1, 31) == HIDDEN_SHARE
    assert (share_text(0, 31), share_text(5, 31), share_text(5, 7)) == ("0%", "16%",
                                                                       withheld())


def test_a_single_hidden_cell_gets_a_partner():
    """With one small cell in a table, is a second one hidden so the total cannot give it?"""
    cells = breakdown([("a", "A", 20, 0, 0), ("b", "B", 2, 0, 0), ("c", "C", 7, 0, 0),
                       ("d", "D", 9, 0, 0)])
    shown = {c.key: c.shown for c in cells}
    assert shown == {"a": "20", "b": FEWER, "c": PROTECTED, "d": "9"}


def test_rates_of_hidden_cells_are_never_shown():
    """Could a percentage betray a hidden count? Its rate is withheld too."""
    cells = breakdown([("a", "A", 30, 15, 30), ("b", "B", 3, 3, 3), ("c", "C", 9, 9, 9)])
    assert all(c.rate is None and c.rate_shown == HIDDEN_SHARE for c in cells if c.hidden)


def test_a_row_of_a_cross_table_cannot_be_subtracted_from_its_margins():
    """Channel by month: is a hidden cell of one channel's months partnered both in its row
    and in its month's column, margins included?"""
    shown = crossed({("p", "jan"): 20, ("p", "feb"): 9, ("i", "jan"): 2, ("i", "feb"): 10},
                    ["p", "i"], ["jan", "feb"])
    assert shown[("i", "jan")] == FEWER
    # Its row (i: 2 + 10 = 12) and its column (jan: 20 + 2 = 22) each get a second hidden.
    for line in ([("i", "jan"), ("i", "feb"), ("i", "")],
                 [("p", "jan"), ("i", "jan"), ("", "jan")]):
        assert sum(shown[key] in (FEWER, PROTECTED) for key in line) >= 2


@given(st.dictionaries(st.tuples(st.sampled_from("abc"), st.sampled_from("xyz")),
                       st.integers(min_value=0, max_value=30)))
def test_no_line_of_a_cross_table_leaves_a_recoverable_cell(counts):
    """For any channel-by-month table: no 1–4 shown, and no row or column (with its total)
    with exactly one hidden figure beside a shown non-zero one."""
    rows, columns = list("abc"), list("xyz")
    shown = crossed(counts, rows, columns)
    assert not set(shown.values()) & {"1", "2", "3", "4"}
    lines = [[(r, c) for c in [*columns, ""]] for r in [*rows, ""]]
    lines += [[(r, c) for r in [*rows, ""]] for c in [*columns, ""]]
    for line in lines:
        hidden = [key for key in line if shown[key] in (FEWER, PROTECTED)]
        others = [key for key in line if key not in hidden and shown[key] != "0"]
        assert len(hidden) != 1 or not others, line


@given(st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=12))
def test_no_table_leaves_a_recoverable_cell(counts):
    """For any table: no 1–4 count visible, and never exactly one hidden non-zero cell."""
    cells = breakdown([(str(i), str(i), n, 0, 0) for i, n in enumerate(counts)])
    assert not any(c.shown in {"1", "2", "3", "4"} for c in cells)
    hidden = [c for c in cells if c.hidden]
    nonzero_shown = [c for c in cells if not c.hidden and c.count > 0]
    assert len(hidden) != 1 or not nonzero_shown  # one hidden cell only if nothing to pair
