"""Receipts: format, entropy and forgiving reading."""

from __future__ import annotations

import math

from reporting.domain import receipts


def test_new_receipt_has_five_groups_of_four():
    """Is a receipt shown as five dash-separated groups of four Crockford characters?"""
    receipt = receipts.new_receipt()
    groups = receipt.split("-")
    assert [len(group) for group in groups] == [4] * 5
    assert set("".join(groups)) <= set(receipts.ALPHABET)


def test_receipt_has_at_least_80_bits():
    """Do 20 characters of a 32-letter alphabet carry at least 80 bits?"""
    assert receipts.LENGTH * math.log2(len(receipts.ALPHABET)) >= 80


def test_receipts_do_not_repeat():
    """Are a thousand receipts all different?"""
    assert len({receipts.new_receipt() for _ in range(1000)}) == 1000


def test_normalise_forgives_case_spaces_dashes_and_lookalikes():
    """Does a receipt typed in lower case, with spaces and O/I/L look-alikes, still read?"""
    assert receipts.normalise("k7qf 9xm2-p4td w8hn 3rcv") == "K7QF9XM2P4TDW8HN3RCV"
    assert receipts.normalise("OOOO-IIII-LLLL-0000-1111") == "00001111111100001111"


def test_normalise_refuses_what_cannot_be_a_receipt():
    """Are wrong lengths and characters outside the alphabet refused?"""
    for bad in ("", "K7QF", "K7QF-9XM2-P4TD-W8HN-3RCVX", "UUUU-UUUU-UUUU-UUUU-UUUU",
                "K7QF-9XM2-P4TD-W8HN-3RC!", "'; DROP TABLE reports; --"):
        assert receipts.normalise(bad) is None
