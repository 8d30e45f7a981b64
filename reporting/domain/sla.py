"""Response-time targets and the deadlines of a case, on the school's own calendar.

Defaults (DESIGN.md): acknowledge urgent 1 day; peer 2; pastoral 3; institutional 7 (the EU
Whistleblower Directive's ceiling); feedback to the reporter within 3 months of
acknowledgement, or of the last reopening. Each school can change them (School, Channel).

Calendar days are counted on the school's local calendar: the deadline is the same local
clock time N days later, so across a daylight-saving change the gap is 23 or 25 hours.
Working days skip Saturdays, Sundays and the school's holidays; a case that arrives on a
day off starts its clock at midnight of the next working day. Time waiting on the student
is not the school's: it moves the feedback deadline later by as much (working time only,
when the school counts working days).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from reporting.domain.cases import CaseStatus
from reporting.domain.clock import Event, waiting_periods
from reporting.domain.roles import ChannelKind

ACKNOWLEDGE_DAYS = {ChannelKind.PEER: 2, ChannelKind.PASTORAL: 3, ChannelKind.INSTITUTIONAL: 7}
URGENT_ACKNOWLEDGE_DAYS = 1
FEEDBACK_DAYS = 91  # three months
DAYS_MAX = 90  # the most an admin may set for an acknowledgement target
FEEDBACK_DAYS_MAX = 92  # three calendar months at their longest
CLOCK_STOPPED = {CaseStatus.RESOLVED, CaseStatus.CLOSED, CaseStatus.WITHDRAWN,
                 CaseStatus.AWAITING_REPORTER}
ACKNOWLEDGE, FEEDBACK = "acknowledge", "feedback"
APPROACHING, OVERDUE, ADMIN = "approaching", "overdue", "admin"
STAGES = (APPROACHING, OVERDUE, ADMIN)  # escalation stages, in order
WARN_BEFORE = timedelta(hours=24)  # 'approaching' this long before the deadline
ADMIN_AFTER = timedelta(days=2)  # the school's admins hear once this far past it
DAY = timedelta(days=1)


@dataclass(frozen=True)
class Policy:
    """One channel's targets at one school, and how the school counts days."""

    ack_days: int
    urgent_ack_days: int = URGENT_ACKNOWLEDGE_DAYS
    feedback_days: int = FEEDBACK_DAYS
    working_days: bool = False
    holidays: frozenset[date] = field(default_factory=frozenset)
    timezone: str = "Europe/London"

    @classmethod
    def default(cls, channel: ChannelKind) -> Policy:
        """The DESIGN.md targets for a channel, in calendar days, in UK time."""
        return cls(ack_days=ACKNOWLEDGE_DAYS[channel])

    @property
    def zone(self) -> ZoneInfo:
        """The school's time zone."""
        return ZoneInfo(self.timezone)

    def acknowledge_days(self, urgent: bool) -> int:
        """Days allowed to acknowledge a case."""
        return self.urgent_ack_days if urgent else self.ack_days

    def is_working_day(self, day: date) -> bool:
        """Whether a local date counts: every day, or Monday to Friday outside holidays."""
        return not self.working_days or (day.weekday() < 5 and day not in self.holidays)


def _moment(day: date, clock: time, zone: ZoneInfo) -> datetime:
    """A local date and clock time as a UTC instant (a time skipped by the clocks going
    forward falls just after the change; a repeated one is its first occurrence)."""
    return datetime.combine(day, clock, tzinfo=zone).astimezone(UTC)


def _next_working_day(day: date, policy: Policy) -> date:
    """The first working day after `day`."""
    day += DAY
    while not policy.is_working_day(day):
        day += DAY
    return day


def add_days(start: datetime, days: int, policy: Policy) -> datetime:
    """`days` calendar or working days after `start`, at the same local clock time."""
    zone = policy.zone
    local = start.astimezone(zone)
    day, clock = local.date(), local.time()
    if not policy.working_days:
        return _moment(day + timedelta(days=days), clock, zone)
    if not policy.is_working_day(day):  # arrived on a day off: the clock starts next morning
        day, clock = _next_working_day(day, policy), time(0)
    for _ in range(days):
        day = _next_working_day(day, policy)
    return _moment(day, clock, zone)


def counted_time(start: datetime, end: datetime, policy: Policy) -> timedelta:
    """How much of the span from `start` to `end` counts: all of it, or its working days."""
    if end <= start:
        return timedelta(0)
    if not policy.working_days:
        return end - start
    zone, total = policy.zone, timedelta(0)
    day, last = start.astimezone(zone).date(), end.astimezone(zone).date()
    while day <= last:
        if policy.is_working_day(day):
            begins, ends = _moment(day, time(0), zone), _moment(day + DAY, time(0), zone)
            total += max(min(end, ends) - max(start, begins), timedelta(0))
        day += DAY
    return total


def advance(moment: datetime, amount: timedelta, policy: Policy) -> datetime:
    """The instant `amount` of counted time after `moment` (working days only, if so)."""
    if not policy.working_days or amount <= timedelta(0):
        return moment + amount
    zone = policy.zone
    day = moment.astimezone(zone).date()
    if not policy.is_working_day(day):
        day = _next_working_day(day, policy)
        moment = _moment(day, time(0), zone)
    while True:
        left_today = _moment(day + DAY, time(0), zone) - moment
        if amount <= left_today:
            return moment + amount
        amount -= left_today
        day = _next_working_day(day, policy)
        moment = _moment(day, time(0), zone)


def acknowledge_by(created_at: datetime, policy: Policy | ChannelKind, urgent: bool) -> datetime:
    """When a new case must be acknowledged.

    A bare ChannelKind means the DESIGN.md defaults (kept for callers that have no
    policy to hand; they should pass the school's).
    """
    if isinstance(policy, ChannelKind):
        policy = Policy.default(policy)
    return add_days(created_at, policy.acknowledge_days(urgent), policy)


def feedback_start(events: Sequence[Event]) -> datetime | None:
    """Where the feedback clock starts: the first acknowledgement, or the last reopening."""
    acknowledged = next((e.at for e in sorted(events, key=lambda e: e.at)
                         if e.action == "acknowledge"), None)
    reopened = [e.at for e in events if e.action == "reopen"]
    if acknowledged is None:
        return None
    return max([acknowledged, *reopened])


def feedback_by(start: datetime, policy: Policy, events: Sequence[Event] = (),
                until: datetime | None = None) -> datetime:
    """When the student must have feedback: the policy's days after `start`, moved later by
    the (counted) time spent waiting on the student after `start` (and before `until`)."""
    waited = sum((counted_time(begin, end, policy)
                  for begin, end in waiting_periods(list(events), start, until)), timedelta(0))
    return advance(add_days(start, policy.feedback_days, policy), waited, policy)


def deadline_kind(status: CaseStatus) -> str | None:
    """Which deadline a case in this status works to: acknowledge, feedback, or none."""
    if status in CLOCK_STOPPED:
        return None
    return ACKNOWLEDGE if status is CaseStatus.SUBMITTED else FEEDBACK


def next_deadline(status: CaseStatus, policy: Policy, urgent: bool, created_at: datetime,
                  events: Sequence[Event]) -> datetime | None:
    """The deadline the school is working to now; None while the clock is stopped."""
    kind = deadline_kind(status)
    start = feedback_start(events)
    if kind is None:
        return None
    if kind == ACKNOWLEDGE or start is None:
        return acknowledge_by(created_at, policy, urgent)
    return feedback_by(start, policy, events)


def stages_reached(due_at: datetime, now: datetime) -> list[str]:
    """The escalation stages a deadline has reached by `now`, in order."""
    stages = []
    if now >= due_at - WARN_BEFORE:
        stages.append(APPROACHING)
    if now > due_at:
        stages.append(OVERDUE)
    if now > due_at + ADMIN_AFTER:
        stages.append(ADMIN)
    return stages
