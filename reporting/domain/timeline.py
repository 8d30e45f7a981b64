"""A case's events in words: the student's "What has happened so far" and the staff history.

An event that leaves the status as it was (a message, a move to another team) is not a
change of status, so it never reads as one: the student's history names each status once,
when the case reached it, in the same words as everywhere else (CaseStatus.label).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from reporting.domain.cases import CaseStatus

MOVED = "Moved to another team"
# What each event is, in the words a handler uses: every Action, and the events that are not
# moves of the state machine (the report sent, a message, a move to another team).
STAFF_WORDS = {
    "submit": "Sent by the student", "acknowledge": "Acknowledged", "start": "Work started",
    "ask_reporter": "Asked the student", "reporter_replied": "The student answered",
    "resolve": "Resolved", "close": "Closed", "reopen": "Reopened",
    "withdraw": "Withdrawn by the student", "staff_message": "Wrote to the student",
    "reroute": MOVED,
}


class Step(Protocol):
    """What the history needs of a case event."""

    at: datetime
    action: str
    from_status: str | None
    to_status: str
    reason: str


@dataclass(frozen=True)
class Line:
    """One line of a history: when, and what happened."""

    at: datetime
    text: str


def _changes_status(event: Step) -> bool:
    return event.from_status != event.to_status


def for_student(events: Iterable[Step]) -> list[Line]:
    """One line for each status the case reached, and one for each move to another team;
    messages are shown on their own, so they add none."""
    lines = []
    for event in events:
        if _changes_status(event):
            lines.append(Line(event.at, CaseStatus(event.to_status).label))
        elif event.action == "reroute":
            lines.append(Line(event.at, MOVED))
    return lines


def for_staff(events: Iterable[Step]) -> list[Line]:
    """Every event: what happened, the change of status if there was one, and the reason."""
    lines = []
    for event in events:
        text = STAFF_WORDS[event.action]
        if event.from_status and _changes_status(event):
            text += (f" ({CaseStatus(event.from_status).label} → "
                     f"{CaseStatus(event.to_status).label})")
        if event.reason:
            text += f": {event.reason}"
        lines.append(Line(event.at, text))
    return lines
