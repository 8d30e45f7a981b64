"""A case's events in words: the student's "What has happened so far" and the staff history.

An event that leaves the status as it was (a message, a move to another team) is not a
change of status, so it never reads as one: the student's history names each status once,
when the case reached it, in the same words as everywhere else (CaseStatus.label).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from reporting.domain.cases import CaseStatus
from reporting.domain.roles import ChannelKind
from reporting.domain.words import N_

MOVED = N_("Moved to another team")
# What each event is, in the words a handler uses: every Action, and the events that are not
# moves of the state machine (the report sent, a message, a move to another team).
STAFF_WORDS = {
    "submit": N_("Sent by the student"), "acknowledge": N_("Acknowledged"),
    "start": N_("Work started"), "ask_reporter": N_("Asked the student"),
    "reporter_replied": N_("The student answered"), "resolve": N_("Resolved"),
    "close": N_("Closed"), "reopen": N_("Reopened"),
    "withdraw": N_("Withdrawn by the student"), "staff_message": N_("Wrote to the student"),
    "reroute": MOVED,
}


# How services.rerouting records a move: "pastoral (also peer) -> institutional: the reason".
MOVE_REASON = re.compile(r"(\w+)(?: \(also (\w+)\))? -> (\w+): (.*)", re.DOTALL)


class Step(Protocol):
    """What the history needs of a case event."""

    at: datetime
    action: str
    from_status: str | None
    to_status: str
    reason: str


@dataclass(frozen=True)
class Consent:
    """A move the student was asked to agree to: to which team, why, and their answer."""

    asked_at: datetime
    team: str
    reason: str
    decided_at: datetime | None = None
    decision: str | None = None  # "approved" or "declined"


@dataclass(frozen=True)
class KeptOff:
    """A handler kept off the case for a conflict of interest: by a lead, or by themselves."""

    at: datetime
    who: str
    by: str | None = None  # the lead who excluded them; None if they declared it


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
            lines.append(Line(event.at, str(MOVED)))
    return lines


def _team(kind: str) -> str:
    return ChannelKind(kind).label if kind in set(ChannelKind) else kind


def _moved(reason: str) -> str:
    """A move in words: from which team (and the one it was shared with) to which, and why."""
    found = MOVE_REASON.fullmatch(reason)
    if found is None:
        return N_("Moved to another team: %(reason)s") % {"reason": reason}
    from_kind, shared, to_kind, why = found.groups()
    teams = {"from_team": _team(from_kind), "to_team": _team(to_kind), "reason": why}
    if shared:
        return N_("Moved from %(from_team)s (shared with %(shared)s) to %(to_team)s: "
                  "%(reason)s") % {**teams, "shared": _team(shared)}
    return N_("Moved from %(from_team)s to %(to_team)s: %(reason)s") % teams


def _asked(consents: Iterable[Consent]) -> list[Line]:
    """Each request for the student's agreement to a move, and their answer."""
    lines = []
    for consent in consents:
        lines.append(Line(consent.asked_at, N_(
            "Asked the student to agree to a move to %(team)s: %(reason)s") % {
                "team": consent.team, "reason": consent.reason}))
        if consent.decided_at and consent.decision == "declined":
            lines.append(Line(consent.decided_at, N_(
                "The student declined the move to %(team)s") % {"team": consent.team}))
        elif consent.decided_at:
            lines.append(Line(consent.decided_at, N_(
                "The student agreed to the move to %(team)s") % {"team": consent.team}))
    return lines


def _kept_off(kept: Iterable[KeptOff]) -> list[Line]:
    return [Line(k.at, N_("%(lead)s kept %(who)s off the case (a conflict of interest)") % {
                     "lead": k.by, "who": k.who} if k.by
                 else N_("%(who)s declared a conflict of interest and stepped away") % {
                     "who": k.who})
            for k in kept]


def for_staff(events: Iterable[Step], consents: Iterable[Consent] = (),
              kept_off: Iterable[KeptOff] = ()) -> list[Line]:
    """Every event: what happened, the change of status if there was one, and the reason;
    with each move the student was asked to agree to, and their answer, and each handler
    kept off the case, in time order."""
    lines = []
    for event in events:
        if event.action == "reroute":
            lines.append(Line(event.at, _moved(event.reason)))
            continue
        text = str(STAFF_WORDS[event.action])
        if event.from_status and _changes_status(event):
            text += (f" ({CaseStatus(event.from_status).label} → "
                     f"{CaseStatus(event.to_status).label})")
        if event.reason:
            text += f": {event.reason}"
        lines.append(Line(event.at, text))
    return sorted(lines + _asked(consents) + _kept_off(kept_off), key=lambda line: line.at)
