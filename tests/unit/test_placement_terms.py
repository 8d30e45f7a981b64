"""Terms in the school's time zone (domain/terms.py, shared with the pulse), and which
patterns have risen."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from reporting.domain.placements import protect, risen
from reporting.domain.terms import term_at

LONDON = ZoneInfo("Europe/London")


def test_terms_run_september_january_april_in_local_time():
    """Is 31 August 23:30 UTC (1 September in London) autumn, and New Year spring, and do a
    term's bounds follow the school's clock (British Summer Time included)?"""
    assert term_at(datetime(2026, 8, 31, 23, 30, tzinfo=UTC), LONDON).key == "2026-autumn"
    assert term_at(datetime(2026, 8, 31, 22, 30, tzinfo=UTC), LONDON).key == "2026-summer"
    spring = term_at(datetime(2027, 2, 14, tzinfo=UTC), LONDON)
    assert spring.key == "2027-spring" and spring.label == "Spring 2027"
    assert spring.bounds(LONDON) == (datetime(2027, 1, 1, tzinfo=UTC),
                                     datetime(2027, 3, 31, 23, tzinfo=UTC))  # 1 April, BST
    autumn = term_at(datetime(2026, 12, 31, 12, tzinfo=UTC), LONDON)
    assert autumn.bounds(LONDON)[1] == datetime(2027, 1, 1, tzinfo=UTC)


def test_risen_patterns_reach_the_threshold():
    """Does a pattern count at the threshold, and none without one?"""
    counts = {"provider:1": 5, "setting:online": 4, "ground:race": 7}
    assert risen(counts, 5) == ["ground:race", "provider:1"]
    assert risen(counts, None) == []


def test_a_total_hidden_elsewhere_hides_a_second_figure():
    """When another table hides the line's total, is one more figure hidden with it?"""
    shown = protect({"a": 6, "b": 0, "total": 6}, ["a", "b", "total"], {"total"})
    assert shown["a"] != "6"
