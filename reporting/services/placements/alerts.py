"""Rising patterns: when this term's reports about one provider, setting or ground reach the
school's threshold, its admins get a content-free email, once per pattern per term."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from reporting.domain.directory import zone
from reporting.domain.placements import pattern_kind, risen
from reporting.domain.report import grounds_of
from reporting.domain.roles import Role
from reporting.domain.terms import Term, term_at
from reporting.models import CaseStat, OutboxMessage, PatternAlert, School, StaffUser
from reporting.services import audit
from reporting.services.notifications import next_digest
from reporting.services.placements import threshold_of


def term_counts(session: Session, school: School, term: Term) -> dict[str, int]:
    """A term's reports by pattern: provider:<id>, setting:<value>, ground:<value>."""
    starts, ends = term.bounds(zone(school.timezone))
    rows = session.execute(select(
        CaseStat.provider_id, CaseStat.setting, CaseStat.ground_bits, func.count()).where(
        CaseStat.school_id == school.id, CaseStat.kind == "report",
        CaseStat.repeat.is_(False), CaseStat.created_at >= starts,
        CaseStat.created_at < ends).group_by(
        CaseStat.provider_id, CaseStat.setting, CaseStat.ground_bits)).all()
    counts: dict[str, int] = {}
    for provider_id, setting, bits, count in rows:
        keys = [f"setting:{setting}", *(f"ground:{g.value}" for g in grounds_of(bits))]
        if provider_id is not None:
            keys.append(f"provider:{provider_id}")
        for key in keys:
            counts[key] = counts.get(key, 0) + count
    return counts


def _record_once(session: Session, school_id: int, pattern: str, term: Term,
                 now: datetime) -> PatternAlert | None:
    """The alert's row, or None when this pattern was alerted this term already (even by a
    check running at the same moment: the unique row decides)."""
    if session.scalar(select(PatternAlert.id).where(
            PatternAlert.school_id == school_id, PatternAlert.pattern == pattern,
            PatternAlert.term == term.key)) is not None:
        return None
    try:
        with session.begin_nested():
            alert = PatternAlert(school_id=school_id, pattern=pattern, term=term.key,
                                 sent_at=now)
            session.add(alert)
    except IntegrityError:
        return None
    return alert


def check_patterns(session: Session, school: School, now: datetime) -> list[PatternAlert]:
    """Queue the school's alerts for every pattern risen past its threshold this term and
    not alerted yet; return them. The emails wait for the next digest hour, so their time
    says nothing about when a report came in."""
    threshold = threshold_of(session, school.id)
    if threshold is None:
        return []
    term = term_at(now, zone(school.timezone))
    admins = session.scalars(select(StaffUser.id).where(
        StaffUser.school_id == school.id, StaffUser.role == Role.ADMIN.value,
        StaffUser.active.is_(True))).all()
    sent = []
    for pattern in risen(term_counts(session, school, term), threshold):
        alert = _record_once(session, school.id, pattern, term, now)
        if alert is None:
            continue
        session.add_all(OutboxMessage(kind="pattern_alert", staff_id=admin,
                                      school_id=school.id, pattern_alert_id=alert.id,
                                      deliver_after=next_digest(now)) for admin in admins)
        # The audit says which kind of pattern, as the email does: never which one.
        audit.record(session, audit.school_chain(school.id), "system", "placement.alert",
                     f"term:{term.key}", kind=pattern_kind(pattern), admins=len(admins))
        sent.append(alert)
    return sent


def check_all(session: Session, now: datetime) -> int:
    """The periodic check over every school; how many alerts were queued."""
    return sum(len(check_patterns(session, school, now))
               for school in session.scalars(select(School)).all())
