"""Periodic jobs record their last success, so an operator can see one that stopped running."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from reporting.models import JobRun
from reporting.models.base import utcnow

log = logging.getLogger("belong.jobs")

# Each periodic job and how often its timer runs it (deploy/systemd/*.timer).
PERIODIC: dict[str, timedelta] = {
    "send-notifications": timedelta(minutes=5),
    "end-stale-sessions": timedelta(minutes=15),
    "sla-check": timedelta(hours=1),
    "purge-expired": timedelta(days=1),
    "audit-verify": timedelta(days=1),
    "backup": timedelta(days=1),
}


def _row(session: Session, name: str) -> JobRun:
    """The job's row, created on its first run (a race on that insert is retried as an update)."""
    row = session.get(JobRun, name)
    if row is not None:
        return row
    try:
        with session.begin_nested():
            row = JobRun(name=name)
            session.add(row)
    except IntegrityError:
        row = session.get(JobRun, name, populate_existing=True)
    return row


@contextmanager
def recorded(session: Session, name: str) -> Iterator[None]:
    """Run a job's work; commit it with the job's success, or record the failure and re-raise."""
    try:
        yield
        _row(session, name).last_success_at = utcnow()
        session.commit()
    except Exception as exc:
        session.rollback()
        try:
            row = _row(session, name)
            row.last_failure_at, row.last_error = utcnow(), type(exc).__name__
            session.commit()
        except Exception:  # the database itself may be what failed: the job's error matters more
            session.rollback()
            log.warning("could not record the failure of %s", name)
        raise


def last_runs(session: Session) -> dict[str, JobRun]:
    """Every job that has run, by name."""
    return {row.name: row for row in session.scalars(select(JobRun))}


def overdue(runs: dict[str, JobRun], now: datetime) -> dict[str, str]:
    """The periodic jobs that have not succeeded within twice their interval, and why."""
    problems = {}
    for name, every in PERIODIC.items():
        row = runs.get(name)
        if row is None or row.last_success_at is None:
            problems[name] = "has never succeeded"
        elif now - row.last_success_at > 2 * every:
            problems[name] = f"last succeeded {row.last_success_at:%Y-%m-%d %H:%M} UTC"
        if row is not None and row.last_failure_at is not None and (
                row.last_success_at is None or row.last_failure_at > row.last_success_at):
            problems[name] = f"failed at {row.last_failure_at:%Y-%m-%d %H:%M} UTC " \
                             f"({row.last_error})"
    return problems
