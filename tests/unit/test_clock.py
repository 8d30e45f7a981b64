"""Response times from events: waiting on the student, reopening, withdrawal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from reporting.domain.clock import Event, measure

T0 = datetime(2026, 10, 24, 22, 0, tzinfo=UTC)  # the night the UK clocks go back


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def test_acknowledge_response_and_resolution_hours():
    """Are the three figures measured from submission, in elapsed hours across a DST change?"""
    events = [Event(at(0), "submit", "submitted"), Event(at(5), "acknowledge", "acknowledged"),
              Event(at(6), "start", "in_progress"), Event(at(10), "staff_message", "in_progress"),
              Event(at(30), "resolve", "resolved")]
    m = measure(T0, events, "resolved")
    assert (m.ack_hours, m.first_response_hours, m.resolution_hours) == (5, 10, 30)


def test_time_waiting_on_the_student_is_not_counted():
    """Does a week waiting for the student's answer drop out of the resolution time?"""
    events = [Event(at(0), "submit", "submitted"), Event(at(1), "acknowledge", "acknowledged"),
              Event(at(2), "start", "in_progress"),
              Event(at(3), "ask_reporter", "awaiting_reporter"),
              Event(at(3 + 168), "reporter_replied", "in_progress"),
              Event(at(180), "resolve", "resolved")]
    assert measure(T0, events, "resolved").resolution_hours == 180 - 168


def test_reopened_case_counts_to_its_last_resolution():
    """After a reopen, is resolution measured to the final resolve, and unset while open?"""
    events = [Event(at(0), "submit", "submitted"), Event(at(1), "acknowledge", "acknowledged"),
              Event(at(2), "resolve", "resolved"), Event(at(3), "reopen", "reopened")]
    assert measure(T0, events, "reopened").resolution_hours is None
    events += [Event(at(4), "start", "in_progress"), Event(at(9), "resolve", "resolved")]
    assert measure(T0, events, "resolved").resolution_hours == 9


def test_withdrawn_case_has_no_resolution():
    """Is a withdrawn case never counted as resolved?"""
    events = [Event(at(0), "submit", "submitted"), Event(at(2), "withdraw", "withdrawn")]
    m = measure(T0, events, "withdrawn")
    assert (m.ack_hours, m.resolution_hours) == (None, None)
