"""Audit appends from many connections at once: no error, one unbroken chain."""

from __future__ import annotations

import threading

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reporting.models import AuditEntry
from reporting.services import audit

THREADS, APPENDS = 8, 25


def _race(engine, chain: str) -> list[Exception]:
    """THREADS threads, each with its own session and connection, append APPENDS entries."""
    errors: list[Exception] = []
    start = threading.Barrier(THREADS)

    def append(worker: int) -> None:
        start.wait()
        for n in range(APPENDS):
            with Session(engine) as own:
                try:
                    audit.record(own, chain, f"worker:{worker}", "thing.done", f"t:{n}")
                    own.commit()
                except Exception as error:  # noqa: BLE001 - every failure is what is counted
                    errors.append(error)

    workers = [threading.Thread(target=append, args=(w,)) for w in range(THREADS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    return errors


def _summary(errors: list[Exception]) -> str:
    return f"{len(errors)} of {THREADS * APPENDS} appends failed, first: {errors[0]!r}"


def test_simultaneous_appends_never_fail_and_keep_one_chain(engine, session, school):
    """Do 8 connections appending 25 entries each at once all succeed, in one intact chain?"""
    chain = audit.school_chain(school.id)
    errors = _race(engine, chain)
    assert not errors, _summary(errors)
    count = session.scalar(select(func.count()).where(AuditEntry.chain == chain,
                                                      AuditEntry.actor.like("worker:%")))
    assert count == THREADS * APPENDS
    assert audit.verify(session) == []


def test_the_first_entries_of_a_new_chain_race_safely(engine, session):
    """When a chain has no entry yet, do simultaneous first appends still make one chain?"""
    errors = _race(engine, audit.INSTALLATION)
    assert not errors, _summary(errors)
    assert audit.verify(session) == []
