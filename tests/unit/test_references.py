"""Case references: short, random, from an alphabet with no look-alikes."""

from __future__ import annotations

import re

from reporting.domain import references


def test_a_reference_is_six_unambiguous_characters_shown_as_two_and_four():
    """Is every reference like NF-7K3Q, with none of 0, O, 1, I or L?"""
    drawn = {references.new_reference() for _ in range(2000)}
    assert all(re.fullmatch(r"[2-9A-Z]{2}-[2-9A-Z]{4}", r) for r in drawn)
    assert not set("0O1IL") & set("".join(drawn))
    assert len(set(references.ALPHABET)) == len(references.ALPHABET) == 31
    assert len(drawn) > 1990  # random: 31**6 (about 887 million) of them


def test_typed_references_are_read_forgivingly_and_nothing_else_passes():
    """Does a reference typed in lower case, with spaces or without its dash, read as
    itself, while a receipt, a case id or a look-alike does not?"""
    for typed in ("nf-7k3q", " NF 7K3Q ", "nf7k3q", "NF-7K3Q"):
        assert references.normalise(typed) == "NF-7K3Q"
    for typed in ("", "NF-7K3", "NF-7K3QQ", "N0-7K3Q", "NI-7K3Q",
                  "K7QF-9XM2-P4TD-W8HN-3RCV", "3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b"):
        assert references.normalise(typed) is None
