"""The periodic deadline check: flag open cases near or past their deadline, and escalate.

Stages (domain.sla.stages_reached): 'approaching' within 24 hours of the deadline and
'overdue' once past it go to the channel's lead(s); 'admin', more than 2 days past it, goes
to the school's admins. Each (case, deadline, stage) is recorded once in `escalations`
(unique), checked before inserting and inserted in a savepoint, so re-running the job, or
two runs at once, never notify twice. Notifications are outbox rows of kind 'escalation':
delivery says only that a case, named by its reference, is near or past its deadline.

Scheduling: a timer runs `flask --app wsgi sla-check` (hourly is plenty). With
REDIS_URL set, it may instead run `flask --app wsgi sla-check --enqueue`, which puts one
`jobs.check_deadlines` on the "belong" queue for the worker (`flask worker`) to run.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from reporting.domain import sla
from reporting.domain.roles import Role
from reporting.models import Case, ChannelMembership, Escalation, OutboxMessage, StaffUser
from reporting.services import audit
from reporting.services.notifications import next_digest
from reporting.services.queries import FINISHED

LEAD_STAGES = (sla.APPROACHING, sla.OVERDUE)


@dataclass
class CheckResult:
    """What one run did: stages newly reached, and notifications queued."""

    stages: Counter[str] = field(default_factory=Counter)
    notified: int = 0


def _channel_leads(session: Session, channel_id: int) -> list[StaffUser]:
    return list(session.scalars(
        select(StaffUser).join(ChannelMembership, ChannelMembership.staff_id == StaffUser.id)
        .where(ChannelMembership.channel_id == channel_id, ChannelMembership.is_lead.is_(True),
               StaffUser.active.is_(True)).order_by(StaffUser.id)))


def _school_admins(session: Session, school_id: int) -> list[StaffUser]:
    return list(session.scalars(select(StaffUser).where(
        StaffUser.school_id == school_id, StaffUser.role == Role.ADMIN.value,
        StaffUser.active.is_(True)).order_by(StaffUser.id)))


def _record(session: Session, case: Case, deadline: str, stage: str, now: datetime) -> bool:
    """Insert one escalation row; False if it exists (another run got there first)."""
    try:
        with session.begin_nested():
            session.add(Escalation(case_id=case.id, deadline=deadline, stage=stage,
                                   created_at=now))
    except IntegrityError:
        return False
    return True


def _notify(session: Session, case: Case, recipients: list[StaffUser], now: datetime) -> int:
    """Queue one content-free 'escalation' email per recipient (digest users: at digest time)."""
    session.add_all(
        OutboxMessage(kind="escalation", staff_id=user.id, school_id=case.school_id,
                      case_id=case.id,
                      created_at=now, deliver_after=now if user.notify_mode == "immediate"
                      else next_digest(now))
        for user in recipients)
    return len(recipients)


def check_deadlines(session: Session, now: datetime) -> CheckResult:
    """Escalate every open case whose deadline is within a day, or past; commit is the
    caller's. A channel without an active lead escalates straight to the admins."""
    result = CheckResult()
    cases = list(session.scalars(
        select(Case).where(Case.status.not_in(FINISHED), Case.due_at.is_not(None),
                           Case.due_at <= now + sla.WARN_BEFORE)
        .order_by(Case.due_at, Case.id)))
    done = set(session.execute(select(Escalation.case_id, Escalation.deadline, Escalation.stage)
                               .where(Escalation.case_id.in_([c.id for c in cases]))).all())
    leads: dict[int, list[StaffUser]] = {}
    admins: dict[int, list[StaffUser]] = {}
    for case in cases:
        deadline = sla.deadline_kind(case.case_status)
        if deadline is None:
            continue
        new = [stage for stage in sla.stages_reached(case.due_at, now)
               if (case.id, deadline, stage) not in done
               and _record(session, case, deadline, stage, now)]
        if not new:
            continue
        if case.channel_id not in leads:
            leads[case.channel_id] = _channel_leads(session, case.channel_id)
        if case.school_id not in admins:
            admins[case.school_id] = _school_admins(session, case.school_id)
        sent: dict[str, int] = {}  # one email per person per case per run
        if lead_stages := [stage for stage in new if stage in LEAD_STAGES]:
            to_leads = leads[case.channel_id] or (
                [] if sla.ADMIN in new else admins[case.school_id])
            sent[lead_stages[-1]] = _notify(session, case, to_leads, now)
        if sla.ADMIN in new:
            sent[sla.ADMIN] = _notify(session, case, admins[case.school_id], now)
        for stage in new:
            audit.record(session, audit.school_chain(case.school_id), "system:sla-check",
                         "case.escalate", f"case:{case.id}", deadline=deadline, stage=stage,
                         recipients=sent.get(stage, 0))
            result.stages[stage] += 1
        result.notified += sum(sent.values())
    return result
