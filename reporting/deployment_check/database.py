"""What the database says: reachable, migrated to head, periodic jobs recent, escrow keys."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from reporting.crypto import KdfParams
from reporting.deployment_check.result import Result, fail, ok
from reporting.models import School
from reporting.models.job_run import JobRun
from reporting.services import job_runs

UPGRADE = "belong-flask db upgrade"
PUBLIC_KEY_BYTES = 32


def check_database(engine: Engine) -> Result:
    """The database answers a query."""
    name = "Database"
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # any driver or pool error: unreachable. Its text may hold the URL.
        return fail(name, f"cannot reach the database in DATABASE_URL ({type(exc).__name__}): "
                          "is PostgreSQL running, and are the host, port, user, password and "
                          "database name right?")
    return ok(name, f"reachable ({engine.dialect.name})")


@contextmanager
def quiet(logger: str) -> Iterator[None]:
    """Hold back a library's INFO lines ("Context impl ...") so they do not cut the report."""
    log = logging.getLogger(logger)
    level = log.level
    log.setLevel(max(level, logging.WARNING))
    try:
        yield
    finally:
        log.setLevel(level)


def revisions(script: ScriptDirectory, connection: Connection) -> tuple[set[str], set[str]]:
    """(the code's head revisions, the database's current revisions)."""
    current = MigrationContext.configure(connection).get_current_heads()
    return set(script.get_heads()), set(current)


def check_migrations(script: ScriptDirectory, engine: Engine) -> Result:
    """The database's schema is at the code's head revision."""
    name = "Migrations"
    with engine.connect() as connection:
        heads, current = revisions(script, connection)
    head = ", ".join(sorted(heads))
    if current == heads:
        return ok(name, f"at head ({head})")
    if not current:
        return fail(name, f"the database has no schema (no Alembic revision); the code's head "
                          f"is {head}. Run `{UPGRADE}`")
    at = ", ".join(sorted(current))
    if any(_known(script, revision) is None for revision in current):
        return fail(name, f"the database is at {at}, a revision this code does not have "
                          f"(head {head}): newer code migrated it. Deploy that code again, "
                          "or restore the backup taken before it")
    return fail(name, f"the database is at {at} but the code's head is {head}: run "
                      f"`{UPGRADE}` (after a backup), then restart belong and belong-worker")


def _known(script: ScriptDirectory, revision: str) -> object | None:
    try:
        return script.get_revision(revision)
    except Exception:  # alembic raises for a revision it has never heard of
        return None


def timer(job: str) -> str:
    """The systemd timer that runs a periodic job (deploy/systemd/)."""
    return f"belong-{job}.timer"


def every(interval: timedelta) -> str:
    """A timer's interval in words: "5 minutes", "1 hour", "1 day"."""
    seconds = int(interval.total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return f"{seconds} seconds"


def job_checks(runs: dict[str, JobRun], now: datetime) -> list[Result]:
    """One line per periodic job: recent success, or what is wrong and which timer to look at."""
    problems = job_runs.overdue(runs, now)
    results = []
    for job, interval in job_runs.PERIODIC.items():
        name = f"Job {job}"
        if job in problems:
            results.append(fail(name, f"{problems[job]} (it should run every "
                                      f"{every(interval)}): see `systemctl status "
                                      f"{timer(job)}` and `journalctl -u belong-{job}`"))
        else:
            success = runs[job].last_success_at
            results.append(ok(name, f"last succeeded {success:%Y-%m-%d %H:%M} UTC"))
    return results


def missing_escrow(schools: Iterable[School]) -> list[School]:
    """The schools whose escrow key pair is absent or unusable."""
    return [school for school in schools if not _has_escrow(school)]


def _has_escrow(school: School) -> bool:
    if len(school.escrow_public_key or b"") != PUBLIC_KEY_BYTES:
        return False
    if not school.escrow_private_sealed or not school.escrow_kdf_salt:
        return False
    try:
        KdfParams.decode(school.escrow_kdf_params or "")
    except Exception:  # a malformed parameter string: the passphrase can never unlock it
        return False
    return True


def check_escrow(session: Session) -> Result:
    """Every school has an escrow key pair (recovery, and access for handlers added later)."""
    name = "Escrow keys"
    schools = list(session.scalars(select(School).order_by(School.slug)))
    if not schools:
        return ok(name, "no schools yet (create-school makes each one's escrow key)")
    missing = missing_escrow(schools)
    if missing:
        names = ", ".join(f"{school.name} ({school.slug})" for school in missing)
        return fail(name, f"{len(missing)} of {len(schools)} school(s) have no usable escrow "
                          f"key: {names}. Without it no case can be recovered or granted to "
                          "a handler added later. Restore the schools table from the last good "
                          "backup (docs/operations.md): a new key could not open the cases "
                          "already wrapped for the old one")
    return ok(name, f"all {len(schools)} school(s) have one")
