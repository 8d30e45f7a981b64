"""Deadlines on a school's calendar: time zones, clock changes, working days, waiting, reopening."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reporting.domain.cases import CaseStatus
from reporting.domain.clock import Event, waiting_periods
from reporting.domain.roles import ChannelKind
from reporting.domain.sla import (
    Policy,
    acknowledge_by,
    add_days,
    advance,
    counted_time,
    deadline_kind,
    feedback_by,
    next_deadline,
    stages_reached,
)

LONDON = ZoneInfo("Europe/London")
UK = Policy(ack_days=3)  # pastoral defaults, calendar days, Europe/London
UTC_SCHOOL = Policy(ack_days=3, timezone="UTC")
MAY_BANK_HOLIDAY = date(2026, 5, 4)  # the first Monday of May 2026
WORKING = Policy(ack_days=2, working_days=True, holidays=frozenset({MAY_BANK_HOLIDAY}))
S = CaseStatus


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON).astimezone(UTC)


def events(*items: tuple[datetime, str, str]) -> list[Event]:
    return [Event(at, action, status) for at, action, status in items]


# Time zones and daylight saving

@pytest.mark.parametrize("kind,urgent,days", [
    (ChannelKind.PEER, False, 2), (ChannelKind.PASTORAL, False, 3),
    (ChannelKind.INSTITUTIONAL, False, 7), (ChannelKind.PEER, True, 1),
    (ChannelKind.INSTITUTIONAL, True, 1),
])
def test_default_acknowledge_targets(kind, urgent, days):
    """Away from a clock change, is a new case due after the DESIGN.md target (urgent: 1 day)?"""
    created = utc(2026, 2, 2, 9, 15)
    assert acknowledge_by(created, Policy.default(kind), urgent) == created + timedelta(days=days)
    assert acknowledge_by(created, kind, urgent) == created + timedelta(days=days)  # old callers


def test_spring_change_makes_a_day_23_hours_in_london_but_not_in_utc():
    """When UK clocks go forward, is 'one day later' 23 hours in London and 24 in UTC?"""
    created = utc(2026, 3, 28, 12, 0)  # noon in London (GMT), the day before the change
    london = add_days(created, 1, UK)
    assert london == utc(2026, 3, 29, 11, 0)  # noon BST
    assert london.astimezone(LONDON).hour == 12 and london - created == timedelta(hours=23)
    assert add_days(created, 1, UTC_SCHOOL) - created == timedelta(hours=24)


def test_autumn_change_makes_a_day_25_hours_in_london():
    """When UK clocks go back, is 'one day later' 25 hours, at the same local time?"""
    created = local(2026, 10, 24, 13, 0)  # 13:00 BST
    due = add_days(created, 1, UK)
    assert due == utc(2026, 10, 25, 13, 0) and due - created == timedelta(hours=25)
    assert add_days(created, 1, UTC_SCHOOL) - created == timedelta(hours=24)


def test_a_clock_time_that_does_not_exist_falls_just_after_the_change():
    """01:30 on the spring-forward day never happens: is the deadline a real, later instant?"""
    created = utc(2026, 3, 28, 1, 30)  # 01:30 GMT
    due = add_days(created, 1, UK)
    assert due == utc(2026, 3, 29, 1, 30)  # 02:30 BST
    assert due.astimezone(LONDON).hour == 2


def test_a_repeated_clock_time_is_its_first_occurrence():
    """01:30 happens twice when the clocks go back: is the earlier (BST) one the deadline?"""
    created = local(2026, 10, 24, 1, 30)
    assert add_days(created, 1, UK) == utc(2026, 10, 25, 0, 30)


def test_time_zone_decides_the_local_date():
    """23:30 UTC on a Friday in summer is Saturday in London: does that change working days?"""
    created = utc(2026, 6, 5, 23, 30)  # Friday in UTC, 00:30 Saturday in London
    in_utc = Policy(ack_days=1, working_days=True, timezone="UTC")
    in_london = Policy(ack_days=1, working_days=True)
    assert add_days(created, 1, in_utc) == utc(2026, 6, 8, 23, 30)  # Monday, same clock time
    assert add_days(created, 1, in_london) == local(2026, 6, 9, 0, 0)  # from Monday's start


@given(st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31),
                    timezones=st.just(UTC)), st.integers(1, 92))
def test_calendar_days_keep_the_local_clock_time(created, days):
    """For any start, is the deadline `days` local dates later, and within an hour of n x 24h?"""
    due = add_days(created, days, UK)
    start, end = created.astimezone(LONDON), due.astimezone(LONDON)
    assert end.date() == start.date() + timedelta(days=days)
    assert abs(due - created - timedelta(days=days)) <= timedelta(hours=1)
    wall = datetime.combine(end.date(), start.time())
    # The same clock time, or an hour on when that time did not exist (clocks going forward).
    assert end.replace(tzinfo=None) - wall in (timedelta(0), timedelta(hours=1))


# Working days

def test_working_days_skip_the_weekend_and_a_bank_holiday():
    """Friday + 2 working days, with the May bank holiday on Monday: is it Wednesday?"""
    friday = local(2026, 5, 1, 10, 0)
    assert add_days(friday, 2, WORKING) == local(2026, 5, 6, 10, 0)
    no_holiday = Policy(ack_days=2, working_days=True)
    assert add_days(friday, 2, no_holiday) == local(2026, 5, 5, 10, 0)
    assert add_days(friday, 2, UK) == local(2026, 5, 3, 10, 0)  # calendar days count Sunday


def test_christmas_closure():
    """Christmas Eve + 2 working days over Christmas and the Boxing Day substitute holiday?"""
    closed = Policy(ack_days=2, working_days=True,
                    holidays=frozenset({date(2026, 12, 25), date(2026, 12, 28)}))
    assert add_days(local(2026, 12, 24, 15, 0), 2, closed) == local(2026, 12, 30, 15, 0)


def test_a_case_arriving_on_a_day_off_starts_next_working_morning():
    """A Saturday report with 1 working day: does the clock start at Monday 00:00 (a holiday
    here, so Tuesday) and end a working day later?"""
    saturday = local(2026, 5, 2, 10, 0)
    assert add_days(saturday, 1, WORKING) == local(2026, 5, 6, 0, 0)


def test_counted_time_and_advance_skip_days_off():
    """Friday noon to Tuesday noon, over a weekend and a bank holiday: 24 working hours?"""
    friday, tuesday = local(2026, 5, 1, 12, 0), local(2026, 5, 5, 12, 0)
    assert counted_time(friday, tuesday, WORKING) == timedelta(hours=24)
    assert counted_time(friday, tuesday, UK) == timedelta(days=4)
    assert advance(friday, timedelta(hours=24), WORKING) == tuesday
    assert advance(friday, timedelta(hours=12), WORKING) == local(2026, 5, 2, 0, 0)
    assert advance(local(2026, 5, 2, 9, 0), timedelta(hours=1), WORKING) == local(
        2026, 5, 5, 1, 0)


# The deadline of a case, from its events

T0 = utc(2026, 1, 12, 9, 0)  # a Monday in winter: London is on UTC


def at(days: float) -> datetime:
    return T0 + timedelta(days=days)


ACKNOWLEDGED = [(at(0), "submit", "submitted"), (at(1), "acknowledge", "acknowledged"),
                (at(2), "start", "in_progress")]


def test_submitted_case_works_to_the_acknowledge_deadline():
    """Before acknowledgement, is the deadline the acknowledge target (urgent: 1 day)?"""
    submitted = events((T0, "submit", "submitted"))
    assert next_deadline(S.SUBMITTED, UK, False, T0, submitted) == at(3)
    assert next_deadline(S.SUBMITTED, UK, True, T0, submitted) == at(1)
    assert deadline_kind(S.SUBMITTED) == "acknowledge"


def test_feedback_is_due_the_policy_days_after_acknowledgement():
    """Once acknowledged, is feedback due 91 days later, at the same London clock time?"""
    due = next_deadline(S.IN_PROGRESS, UK, False, T0, events(*ACKNOWLEDGED))
    assert due == local(2026, 4, 14, 9, 0)  # 91 local days later: BST by then, 08:00 UTC
    assert due - at(1) == timedelta(days=91, hours=-1)
    shorter = Policy(ack_days=3, feedback_days=30, timezone="UTC")
    assert next_deadline(S.IN_PROGRESS, shorter, False, T0, events(*ACKNOWLEDGED)) == at(31)
    assert deadline_kind(S.IN_PROGRESS) == "feedback"


def test_waiting_on_the_student_stops_the_clock_then_moves_the_deadline():
    """No deadline while waiting; once the student answers, is it later by the week waited?"""
    waiting = events(*ACKNOWLEDGED, (at(10), "ask_reporter", "awaiting_reporter"))
    assert next_deadline(S.AWAITING_REPORTER, UTC_SCHOOL, False, T0, waiting) is None
    answered = waiting + events((at(17), "reporter_replied", "in_progress"))
    base = next_deadline(S.IN_PROGRESS, UTC_SCHOOL, False, T0, events(*ACKNOWLEDGED))
    assert next_deadline(S.IN_PROGRESS, UTC_SCHOOL, False, T0, answered) == base + timedelta(
        days=7)


def test_a_message_while_waiting_does_not_restart_the_count():
    """A staff message while the student is still away keeps one continuous wait."""
    history = events(*ACKNOWLEDGED, (at(10), "ask_reporter", "awaiting_reporter"),
                     (at(12), "staff_message", "awaiting_reporter"),
                     (at(15), "reporter_replied", "in_progress"))
    assert waiting_periods(history, at(1)) == [(at(10), at(15))]


def test_waiting_in_working_days_counts_only_working_time():
    """Waiting Friday noon to Tuesday noon (weekend, bank holiday) moves it 1 working day."""
    policy = Policy(ack_days=2, feedback_days=10, working_days=True, timezone="UTC",
                    holidays=frozenset({MAY_BANK_HOLIDAY}))
    acknowledged = utc(2026, 4, 27, 9, 0)  # a Monday
    history = events((acknowledged, "acknowledge", "acknowledged"),
                     (utc(2026, 5, 1, 12, 0), "ask_reporter", "awaiting_reporter"),
                     (utc(2026, 5, 5, 12, 0), "reporter_replied", "in_progress"))
    base = add_days(acknowledged, 10, policy)
    assert base == utc(2026, 5, 12, 9, 0)  # ten working days, the holiday skipped
    assert feedback_by(acknowledged, policy, history) == utc(2026, 5, 13, 9, 0)


def test_reopened_case_counts_feedback_from_the_reopen():
    """After a reopen, does feedback count from the reopen, ignoring the earlier wait?"""
    history = events(*ACKNOWLEDGED, (at(3), "ask_reporter", "awaiting_reporter"),
                     (at(8), "reporter_replied", "in_progress"),
                     (at(20), "resolve", "resolved"))
    assert next_deadline(S.RESOLVED, UTC_SCHOOL, False, T0, history) is None
    history += events((at(100), "reopen", "reopened"))
    assert next_deadline(S.REOPENED, UTC_SCHOOL, False, T0, history) == at(191)
    history += events((at(101), "start", "in_progress"))
    assert next_deadline(S.IN_PROGRESS, UTC_SCHOOL, False, T0, history) == at(191)


@pytest.mark.parametrize("history", [
    [(T0, "submit", "submitted"), (at(1), "withdraw", "withdrawn")],
    [*ACKNOWLEDGED, (at(5), "withdraw", "withdrawn")],
])
def test_withdrawn_case_has_no_deadline(history):
    """Withdrawn before or after acknowledgement: no deadline at all?"""
    assert next_deadline(S.WITHDRAWN, UK, False, T0, events(*history)) is None
    assert deadline_kind(S.WITHDRAWN) is None


@pytest.mark.parametrize("status", [S.RESOLVED, S.CLOSED, S.WITHDRAWN, S.AWAITING_REPORTER])
def test_clock_stops(status):
    """Is there no deadline while resolved, closed, withdrawn or waiting on the student?"""
    assert next_deadline(status, UK, False, T0, events(*ACKNOWLEDGED)) is None


def test_escalation_stages_by_time():
    """Approaching within 24 hours, overdue once past, the admin more than 2 days past."""
    due = at(10)
    assert stages_reached(due, due - timedelta(hours=25)) == []
    assert stages_reached(due, due - timedelta(hours=24)) == ["approaching"]
    assert stages_reached(due, due) == ["approaching"]
    assert stages_reached(due, due + timedelta(seconds=1)) == ["approaching", "overdue"]
    assert stages_reached(due, due + timedelta(days=2)) == ["approaching", "overdue"]
    assert stages_reached(due, due + timedelta(days=2, seconds=1)) == [
        "approaching", "overdue", "admin"]
