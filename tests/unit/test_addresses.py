"""An email address is exactly one plain address."""

from __future__ import annotations

import pytest

from reporting.domain.addresses import one_address


@pytest.mark.parametrize("text", [
    "ada@example.org", " ada@example.org ", "ada.lovelace+belong@students.example.ac.uk",
    "o'brien@example.ie", "x@a-b.example", "a" * 64 + "@example.org",
])
def test_one_plain_address_is_accepted(text):
    """Is an ordinary address (with plus, dots, apostrophe, hyphen) taken, trimmed?"""
    assert one_address(text) == text.strip()


@pytest.mark.parametrize("text", [
    "a@b.example,postmaster", "a@b.example, c@d.example", "a@b.example;c@d.example",
    "Ada <a@b.example>", "a@b.example <c@d.example>", "friends: a@b.example, c@d.example;",
    "a@b.example\nBcc: c@d.example", "a b@example.org", "postmaster",
    "a@localhost", "a@@b.example", ".a@b.example", "a..b@example.org", "a@-b.example",
    "a@b.example.", "a" * 65 + "@example.org", "a@" + "b" * 250 + ".example", "",
    None, "a@b\u2024example", "ädä@example.org", "a@b.example\x00",
])
def test_anything_else_is_refused(text):
    """Are lists, groups, display names, line breaks and malformed addresses refused?"""
    assert one_address(text) is None
