"""Admins' changes to a school's response-time targets and holiday calendar.

Every change is audited (numbers and dates only) and the deadlines of the school's open
cases are recomputed at once, so the queue and the escalation job follow the new rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from reporting.domain import sla, words
from reporting.domain.errors import BelongError, Conflict
from reporting.domain.words import N_
from reporting.models import Case, School, SchoolHoliday, StaffUser
from reporting.services import audit
from reporting.services.casework import refresh_deadline
from reporting.services.queries import FINISHED
from reporting.services.sla_policy import policy_for, school_holidays

FIRST_HOLIDAY, LAST_HOLIDAY = date(2000, 1, 1), date(2099, 12, 31)
HOLIDAY_NAME_MAX = 80


class InvalidTargets(BelongError):
    """A target out of range; `problems` maps each field to what is wrong."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(map(str, problems.values())))
        self.problems = problems


class HolidayNotFound(BelongError):
    """The school has no holiday on that day."""


@dataclass(frozen=True)
class Targets:
    """A school's targets: days to acknowledge per channel kind, urgent, feedback, and
    whether days are working days."""

    ack_days: dict[str, int]
    urgent_ack_days: int
    feedback_days: int
    working_days: bool


def current_targets(school: School) -> Targets:
    """The targets the school works to now."""
    return Targets({channel.kind: channel.ack_days for channel in school.channels},
                   school.urgent_ack_days, school.feedback_days, school.working_days)


def _days_problem(value: object, maximum: int) -> str | None:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= maximum:
        return N_("Enter a whole number of days from 1 to %(max)s.") % {"max": maximum}
    return None


def check_targets(school: School, targets: Targets) -> None:
    """Refuse targets out of range, or for channels the school does not have."""
    problems = {f"ack_{kind}": message for kind, days in targets.ack_days.items()
                if (message := _days_problem(days, sla.DAYS_MAX))}
    if set(targets.ack_days) - {channel.kind for channel in school.channels}:
        problems["ack_days"] = N_("Set targets only for this school's channels.")
    if message := _days_problem(targets.urgent_ack_days, sla.DAYS_MAX):
        problems["urgent_ack_days"] = message
    if message := _days_problem(targets.feedback_days, sla.FEEDBACK_DAYS_MAX):
        problems["feedback_days"] = message
    if problems:
        raise InvalidTargets(problems)


def update_targets(session: Session, admin: StaffUser, school: School, targets: Targets) -> int:
    """Save new targets, audit what changed, and return how many open deadlines moved."""
    check_targets(school, targets)
    before = current_targets(school)
    changes = {f"{kind}_ack_days": [before.ack_days[kind], days]
               for kind, days in targets.ack_days.items() if before.ack_days[kind] != days}
    for name in ("urgent_ack_days", "feedback_days", "working_days"):
        if getattr(before, name) != getattr(targets, name):
            changes[name] = [getattr(before, name), getattr(targets, name)]
    if not changes:
        return 0
    for channel in school.channels:
        channel.ack_days = targets.ack_days.get(channel.kind, channel.ack_days)
    school.urgent_ack_days, school.feedback_days = targets.urgent_ack_days, targets.feedback_days
    school.working_days = targets.working_days
    moved = recompute_open_deadlines(session, school)
    audit.record(session, audit.school_chain(school.id), f"staff:{admin.id}", "sla.targets",
                 f"school:{school.id}", deadlines_moved=moved, **changes)
    return moved


def holidays(session: Session, school: School) -> list[SchoolHoliday]:
    """The school's holiday calendar, earliest first."""
    return list(session.scalars(select(SchoolHoliday).where(
        SchoolHoliday.school_id == school.id).order_by(SchoolHoliday.day)))


def add_holiday(session: Session, admin: StaffUser, school: School, day: date,
                name: str = "") -> int:
    """Add a day off to the calendar; return how many open deadlines moved."""
    name = name.strip()
    if not FIRST_HOLIDAY <= day <= LAST_HOLIDAY:
        raise BelongError(N_("Choose a date from %(first)s to %(last)s.") % {
            "first": FIRST_HOLIDAY.year, "last": LAST_HOLIDAY.year})
    if len(name) > HOLIDAY_NAME_MAX:
        raise BelongError(N_("Keep the name under %(max)s characters.") % {
            "max": HOLIDAY_NAME_MAX})
    if session.get(SchoolHoliday, (school.id, day)) is not None:
        raise Conflict(N_("%(day)s is already in the calendar.") % {
            "day": words.day_month_year(day)})
    session.add(SchoolHoliday(school_id=school.id, day=day, name=name))
    session.flush()
    moved = recompute_open_deadlines(session, school)
    audit.record(session, audit.school_chain(school.id), f"staff:{admin.id}", "sla.holiday_add",
                 f"school:{school.id}", day=day.isoformat(), deadlines_moved=moved)
    return moved


def remove_holiday(session: Session, admin: StaffUser, school: School, day: date) -> int:
    """Take a day off the calendar; return how many open deadlines moved."""
    holiday = session.get(SchoolHoliday, (school.id, day))
    if holiday is None:
        raise HolidayNotFound(N_("That day is not in the calendar."))
    session.delete(holiday)
    session.flush()
    moved = recompute_open_deadlines(session, school)
    audit.record(session, audit.school_chain(school.id), f"staff:{admin.id}",
                 "sla.holiday_remove", f"school:{school.id}", day=day.isoformat(),
                 deadlines_moved=moved)
    return moved


def recompute_open_deadlines(session: Session, school: School) -> int:
    """Recompute the deadline of every open case of the school; return how many moved."""
    days_off = school_holidays(session, school.id)
    policies = {channel.id: policy_for(channel, days_off) for channel in school.channels}
    cases = session.scalars(select(Case).options(selectinload(Case.events)).where(
        Case.school_id == school.id, Case.status.not_in(FINISHED)))
    moved = 0
    for case in cases:
        before = case.due_at
        refresh_deadline(case, policies[case.channel_id])
        moved += case.due_at != before
    return moved
