"""A case's events in words, for the student and for staff."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from reporting.domain import timeline
from reporting.domain.cases import Action

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Event:
    """A case event as the history reads it."""

    at: datetime
    action: str
    from_status: str | None
    to_status: str
    reason: str = ""


def _events(*steps: tuple) -> list[Event]:
    return [Event(START + timedelta(hours=n), *step) for n, step in enumerate(steps)]


# Acknowledged, written to twice, started, moved to another team, a question answered.
STORY = _events(
    ("submit", None, "submitted"), ("acknowledge", "submitted", "acknowledged"),
    ("staff_message", "acknowledged", "acknowledged"),
    ("staff_message", "acknowledged", "acknowledged"),
    ("start", "acknowledged", "in_progress"),
    ("reroute", "in_progress", "in_progress", "pastoral -> institutional: formal"),
    ("staff_message", "in_progress", "in_progress"),
    ("ask_reporter", "in_progress", "awaiting_reporter"),
    ("reporter_replied", "awaiting_reporter", "in_progress"))


def test_the_student_reads_each_status_once_and_every_move():
    """Do messages add no line (no second 'Acknowledged'), while each change of status and
    each move to another team reads once, in the statuses' own names?"""
    assert [(line.at, line.text) for line in timeline.for_student(STORY)] == [
        (STORY[0].at, "Submitted"), (STORY[1].at, "Acknowledged"),
        (STORY[4].at, "In progress"), (STORY[5].at, "Moved to another team"),
        (STORY[7].at, "Awaiting student"), (STORY[8].at, "In progress")]


def test_staff_read_every_event_in_words():
    """Does the staff history name every event, its change of status and its reason?"""
    assert [line.text for line in timeline.for_staff(STORY)] == [
        "Sent by the student",
        "Acknowledged (Submitted → Acknowledged)",
        "Wrote to the student", "Wrote to the student",
        "Work started (Acknowledged → In progress)",
        "Moved from Pastoral and wellbeing support to Formal complaints and EDI office: "
        "formal",
        "Wrote to the student",
        "Asked the student (In progress → Awaiting student)",
        "The student answered (Awaiting student → In progress)"]


def test_every_event_has_words():
    """Has every move of the state machine, and every other event, words for staff?"""
    assert set(timeline.STAFF_WORDS) == {a.value for a in Action} | {
        "submit", "staff_message", "reroute"}


def test_a_move_shared_or_unknown_reads_in_words():
    """Does a move from a shared case name both teams, and an old free-form reason stay
    as it was written?"""
    moves = _events(("reroute", "submitted", "submitted", "pastoral (also peer) -> "
                     "institutional: formal"), ("reroute", "submitted", "submitted", "by hand"))
    assert [line.text for line in timeline.for_staff(moves)] == [
        "Moved from Pastoral and wellbeing support (shared with Peer support) to Formal "
        "complaints and EDI office: formal", "Moved to another team: by hand"]


def test_each_move_asked_of_the_student_and_their_answer_is_told_in_order():
    """Are a request to agree to a move and the student's no (or yes) told among the events,
    in time order?"""
    asked = [timeline.Consent(START + timedelta(minutes=30), "Peer support", "a peer",
                              START + timedelta(hours=3), "declined"),
             timeline.Consent(START + timedelta(hours=4), "EDI", "formal")]
    assert [(line.at, line.text) for line in timeline.for_staff(STORY[:2], asked)] == [
        (STORY[0].at, "Sent by the student"),
        (START + timedelta(minutes=30), "Asked the student to agree to a move to Peer "
                                        "support: a peer"),
        (STORY[1].at, "Acknowledged (Submitted → Acknowledged)"),
        (START + timedelta(hours=3), "The student declined the move to Peer support"),
        (START + timedelta(hours=4), "Asked the student to agree to a move to EDI: formal")]
