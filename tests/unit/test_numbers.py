"""Ids and page numbers from a URL or a form: ASCII digits, within the column."""

from __future__ import annotations

import pytest

from reporting.domain.numbers import ID_MAX, whole_number


@pytest.mark.parametrize("text,number", [("1", 1), ("007", 7), (str(ID_MAX), ID_MAX), (42, 42),
                                         ("0", 0)])
def test_whole_numbers_are_read(text, number):
    """Are plain ASCII digits (and ints) read as the number they spell?"""
    assert whole_number(text) == number


@pytest.mark.parametrize("text", [str(ID_MAX + 1), "99999999999999999999", "-1", "²", "٣",
                                  "1_0", " 1", "1 ", "+1", "1e3", "0x10", "", None, "a\x00",
                                  True, -5, "1" * 400])
def test_anything_else_is_no_number(text):
    """Are overflowing, signed, spaced, non-ASCII and exotic spellings refused (None)?"""
    assert whole_number(text) is None


def test_a_smaller_maximum_is_kept():
    """Is a number above a given maximum refused?"""
    assert whole_number("101", maximum=100) is None and whole_number("100", maximum=100) == 100
