"""Keeping each case's anonymous statistics up to date (the dashboards read only these)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from reporting.domain import sla
from reporting.domain.clock import measure
from reporting.domain.report import ground_bits
from reporting.models import Case, CaseStat, CaseStatGround
from reporting.services.sla_policy import clock_events, policy_for


def academic_year(local: datetime) -> str:
    """The UK academic year (August to July) a date falls in, e.g. '2026/27'."""
    start = local.year if local.month >= 8 else local.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def refresh(session: Session, case: Case, policy: sla.Policy | None = None,
            new: bool = False) -> CaseStat:
    """Recompute a case's statistics row from its events (creating it the first time;
    `new` says it cannot exist yet, `policy` saves looking the school's policy up again)."""
    row = None if new else session.scalar(select(CaseStat).where(CaseStat.case_id == case.id))
    report = case.report
    if row is None:
        grounds = report.chosen("ground")
        row = CaseStat(case_id=case.id, school_id=case.school_id, kind=case.kind,
                       setting=report.setting,
                       identity="anonymous" if report.anonymous else "named",
                       overrode=report.chosen_channel != report.recommended_channel,
                       grounds=[CaseStatGround(ground=g) for g in grounds],
                       ground_bits=ground_bits(grounds), repeat=case.repeats is not None,
                       provider_id=report.provider_id)
        session.add(row)
    # From the case every time, so a case dated back (the demo's) keeps its real month.
    local = case.created_at.astimezone(ZoneInfo(case.channel.school.timezone))
    # The day only: an exact time could be matched to the audit log.
    row.created_at = case.created_at.replace(hour=0, minute=0, second=0, microsecond=0)
    row.month, row.academic_year = local.strftime("%Y-%m"), academic_year(local)
    events = clock_events(case.events)
    m = measure(case.created_at, events, case.status)
    row.channel, row.status, row.urgent = case.channel.kind, case.status, case.urgent
    row.kind = case.kind
    row.ack_hours, row.first_response_hours = m.ack_hours, m.first_response_hours
    row.resolution_hours = m.resolution_hours
    policy = policy or policy_for(case.channel)
    due = sla.acknowledge_by(case.created_at, policy, case.urgent)
    row.ack_within_target = None if m.acknowledged_at is None else m.acknowledged_at <= due
    row.feedback_within_target = (
        None if m.acknowledged_at is None or m.first_response_at is None
        else m.first_response_at <= sla.feedback_by(m.acknowledged_at, policy, events,
                                                    until=m.first_response_at))
    return row
