"""A channel's response-time policy, read from its school's settings and holiday calendar."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from reporting.domain.clock import Event
from reporting.domain.sla import Policy
from reporting.models import CaseEvent, Channel, SchoolHoliday


def school_holidays(session: Session, school_id: int) -> frozenset[date]:
    """Every day a school has marked as a holiday."""
    with session.no_autoflush:  # called mid-transition: never flush half-made changes here
        return frozenset(session.scalars(
            select(SchoolHoliday.day).where(SchoolHoliday.school_id == school_id)))


def policy_for(channel: Channel, holidays: Iterable[date] | None = None) -> Policy:
    """The policy a channel's cases work to (holidays read from the database if not given)."""
    school = channel.school
    if holidays is None:
        session = object_session(channel)
        holidays = school_holidays(session, school.id) if session is not None else ()
    return Policy(ack_days=channel.ack_days, urgent_ack_days=school.urgent_ack_days,
                  feedback_days=school.feedback_days, working_days=school.working_days,
                  holidays=frozenset(holidays), timezone=school.timezone)


def clock_events(events: Iterable[CaseEvent]) -> list[Event]:
    """What the clock needs of a case's events."""
    return [Event(e.at, e.action, e.to_status) for e in events]
