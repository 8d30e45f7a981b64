"""Retention: purging closed cases (crypto-shredding), the student's own deletion, legal holds.

A purge deletes the case and its report; the database cascades to the sealed fields,
wrapped keys, evidence and choices, and to the events, messages, notes, consent requests
and escalations. The case's anonymous statistics row survives with its case id set to
NULL, so the dashboards' trends do not change. The audit log keeps that the case existed
and was purged, never what it said.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import delete, event, func, select, text
from sqlalchemy.orm import Session

from reporting.domain.cases import Action, CaseStatus
from reporting.domain.errors import BelongError
from reporting.domain.words import N_
from reporting.models import Case, CaseEvent, Channel, OutboxMessage, Report, StaffUser
from reporting.services import audit
from reporting.services.casework import transition
from reporting.services.handling import check_may, check_version
from reporting.services.queue_counts import queue_changed

FINAL = (CaseStatus.CLOSED.value, CaseStatus.WITHDRAWN.value)
HOLD_REASON_MAX = 200
SYSTEM = "system"
# Logged once a purge is committed, so a restore from an older backup can be followed by
# purging the same cases again (operations.md, "After a restore"). An id, never content.
SHREDDED = "shredded case %s (%s)"
log = logging.getLogger("belong.retention")


@event.listens_for(Session, "after_commit")
def _log_shredded(session: Session) -> None:
    """Name each case a committed transaction shredded: the log outlives a restored backup."""
    for case_id, reason in session.info.pop("shredded", ()):
        log.info(SHREDDED, case_id, reason)


@event.listens_for(Session, "after_rollback")
def _forget_shredded(session: Session) -> None:
    session.info.pop("shredded", None)


class LegalHold(BelongError):
    """The school has recorded a legal hold on this case: it must be kept."""


def _closed_at():
    """Each case's last move into 'closed' or 'withdrawn' (a subquery: case_id, closed_at)."""
    return (select(CaseEvent.case_id, func.max(CaseEvent.at).label("closed_at"))
            .where(CaseEvent.to_status.in_(FINAL), CaseEvent.from_status != CaseEvent.to_status)
            .group_by(CaseEvent.case_id)
            .subquery())


def expired_cases(session: Session, channel: Channel, now: datetime) -> list[Case]:
    """The channel's finished cases closed longer ago than its retention period, not held."""
    closed = _closed_at()
    cutoff = now - timedelta(days=channel.retention_days)
    return list(session.scalars(
        select(Case).join(closed, closed.c.case_id == Case.id)
        .where(Case.channel_id == channel.id, Case.status.in_(FINAL),
               Case.legal_hold.is_(False), closed.c.closed_at < cutoff)
        .order_by(closed.c.closed_at)))


def _shred_on_sqlite(session: Session) -> None:
    """SQLite leaves deleted rows' bytes in free space unless told to overwrite them."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("PRAGMA secure_delete = ON"))


def settle(session: Session) -> None:
    """After a purge is committed: on SQLite, fold the write-ahead log into the database and
    empty it, so no copy of a shredded page stays in the -wal file."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        session.commit()


def _purge(session: Session, case: Case, actor: str, reason: str, *conditions) -> bool:
    """Delete one case and its report, if it still is as the caller saw it; audit it.

    The delete itself re-checks the hold and the version, so a hold recorded (or a case
    reopened) at the same moment wins over the purge.
    """
    report, channel, target = case.report, case.channel.kind, f"case:{case.id}"
    gone = session.execute(
        delete(Case).where(Case.id == case.id, Case.version == case.version,
                           Case.legal_hold.is_(False), *conditions)
        .execution_options(synchronize_session=False)).rowcount
    if not gone:
        return False
    queue_changed(session, case.school_id)
    session.execute(delete(Report).where(Report.id == report.id)
                    .execution_options(synchronize_session=False))
    if report.notify_email_sealed:  # queued 'a reply is waiting' emails hold a sealed copy
        session.execute(delete(OutboxMessage)
                        .where(OutboxMessage.address_sealed == report.notify_email_sealed)
                        .execution_options(synchronize_session=False))
    for row in (case, report):  # the rows are gone: nothing may flush them again
        if row in session:
            session.expunge(row)
    audit.record(session, audit.school_chain(case.school_id), actor, "case.purged", target,
                 reason=reason, channel=channel)
    session.info.setdefault("shredded", []).append((case.id, reason))
    return True


def purge_expired(session: Session, now: datetime, actor: str = SYSTEM) -> int:
    """Purge every case past its channel's retention period; returns how many.

    Idempotent: a second run finds nothing left to purge and writes nothing. Each purged
    case gets its own audit entry, and each school one summary entry per run that purged.
    """
    _shred_on_sqlite(session)
    purged: Counter[int] = Counter()
    for channel in session.scalars(select(Channel).order_by(Channel.id)).all():
        for case in expired_cases(session, channel, now):
            if _purge(session, case, actor, "retention", Case.status.in_(FINAL)):
                purged[channel.school_id] += 1
    for school_id, count in sorted(purged.items()):
        audit.record(session, audit.school_chain(school_id), actor, "retention.purge",
                     count=count)
    return sum(purged.values())


def purge_again(session: Session, case_ids: Iterable[str], actor: str) -> tuple[int, list[str]]:
    """After a restore: purge the cases the log says were shredded since the backup.

    Returns how many were purged and which are under a legal hold in the restored data
    (kept, for a person to decide). Ids that are not there any more are already gone.
    """
    _shred_on_sqlite(session)
    purged, held = 0, []
    for case in session.scalars(select(Case).where(Case.id.in_(list(case_ids)))
                                .order_by(Case.id)).all():
        if case.legal_hold:
            held.append(case.id)
        elif _purge(session, case, actor, "after_restore"):
            purged += 1
    return purged, held


def delete_on_request(session: Session, case: Case) -> None:
    """The receipt holder asks for their report to be deleted now (unless it is held).

    A report still open is first withdrawn, so its statistics count it as withdrawn
    rather than as a case that was never answered.
    """
    if case.legal_hold:
        raise LegalHold(N_(
            "Your report cannot be deleted at the moment: the school has a legal duty to "
            "keep it for now. It stays private, and you can still read it here. You can ask "
            "again later."))
    if case.status not in FINAL:
        transition(session, case, Action.WITHDRAW, actor_kind="reporter")
        session.flush()  # the version check below then compares with the withdrawn case
    _shred_on_sqlite(session)
    if not _purge(session, case, "reporter", "student_request"):
        raise BelongError(N_("Your report changed while this page was open, so it was not "
                             "deleted. Please look at it again and try once more."))


def set_legal_hold(session: Session, user: StaffUser, case: Case, hold: bool, reason: str,
                   seen: int) -> None:
    """Record (or lift) a legal hold, with a short reason kept in the audit log (only the
    lead team of a shared case may)."""
    check_may(user, case, "legal_hold" if hold else "lift_hold")
    check_version(case, seen)
    reason = reason.strip()
    if not reason or len(reason) > HOLD_REASON_MAX:
        raise BelongError(N_("Give a reason of up to %(max)s characters.")
                          % {"max": HOLD_REASON_MAX})
    if case.legal_hold == hold:
        raise BelongError(N_("This case is already under a legal hold.") if hold
                          else N_("This case is not under a legal hold."))
    case.legal_hold = hold
    audit.record(session, audit.school_chain(case.school_id), f"staff:{user.id}",
                 "case.legal_hold" if hold else "case.legal_hold_lifted", f"case:{case.id}",
                 reason=reason)


MIN_RETENTION, MAX_RETENTION = 30, 3650


def set_retention(session: Session, actor: str, channel: Channel, days: int) -> None:
    """How long a channel keeps closed cases before they are purged (30 to 3650 days)."""
    if not MIN_RETENTION <= days <= MAX_RETENTION:
        raise BelongError(N_("Keep closed cases between %(least)s and %(most)s days.")
                          % {"least": MIN_RETENTION, "most": MAX_RETENTION})
    channel.retention_days = days
    audit.record(session, audit.school_chain(channel.school_id), actor, "retention.changed",
                 f"channel:{channel.kind}", days=days)
