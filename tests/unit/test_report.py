"""The structured answers of a report: each ground's stored bit."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from reporting.domain.report import GROUND_BITS, Ground, ground_bits, grounds_of

MIGRATION = (Path(__file__).parents[2] / "migrations" / "versions"
             / "d1a7c3e5b9f2_dashboard_in_fewer_passes.py")


def test_every_ground_has_a_bit_of_its_own():
    """Does each ground have one bit, no two the same, and do grounds go in and out again?"""
    assert set(GROUND_BITS) == set(Ground)
    assert sorted(GROUND_BITS.values()) == [1 << n for n in range(len(Ground))]
    assert grounds_of(ground_bits({"race", Ground.SEX})) == [Ground.RACE, Ground.SEX]
    assert ground_bits(set()) == 0 and grounds_of(0) == []


def test_the_migration_backfilled_with_the_same_bits():
    """Did the revision that added the bits give existing rows the bits the app uses?"""
    spec = importlib.util.spec_from_file_location("d1a7c3e5b9f2", MIGRATION)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    assert migration.GROUND_BITS == {ground.value: bit for ground, bit in GROUND_BITS.items()}
