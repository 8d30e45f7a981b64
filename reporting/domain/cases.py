"""Case statuses, the actions that move between them, and the one table that decides.

submitted -> acknowledged -> in_progress -> awaiting_reporter <-> in_progress -> resolved
-> closed, with reopened, and withdrawn (by the student) from any open state.
"""

from __future__ import annotations

from enum import StrEnum

from reporting.domain.errors import BelongError
from reporting.domain.words import N_


class CaseStatus(StrEnum):
    """Where a case is in its life."""

    SUBMITTED = "submitted"
    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "in_progress"
    AWAITING_REPORTER = "awaiting_reporter"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REOPENED = "reopened"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        """The one short name of the status, on every page (staff's and the student's)."""
        return str(LABELS[self])

    @property
    def for_student(self) -> str:
        """What the status means, said to the student who sent a report."""
        return str(STUDENT_WORDS[self])

    @property
    def for_peer_request(self) -> str:
        """What the status means, said to a student who asked to talk to a peer."""
        return str(PEER_WORDS[self])


class Action(StrEnum):
    """Something a handler or the reporter does to a case."""

    ACKNOWLEDGE = "acknowledge"
    START = "start"
    ASK_REPORTER = "ask_reporter"
    REPORTER_REPLIED = "reporter_replied"
    RESOLVE = "resolve"
    CLOSE = "close"
    REOPEN = "reopen"
    WITHDRAW = "withdraw"


class InvalidTransition(BelongError):
    """The action is not allowed from the case's current status."""

    def __init__(self, status: CaseStatus, action: Action) -> None:
        super().__init__(N_("A case that is %(status)s cannot be %(action)s.") % {
            "status": status.label.lower(), "action": PAST[action]})
        self.status, self.action = status, action


S, A = CaseStatus, Action
_OPEN = (S.SUBMITTED, S.ACKNOWLEDGED, S.IN_PROGRESS, S.AWAITING_REPORTER, S.RESOLVED, S.REOPENED)
TRANSITIONS: dict[tuple[CaseStatus, Action], CaseStatus] = {
    (S.SUBMITTED, A.ACKNOWLEDGE): S.ACKNOWLEDGED,
    (S.ACKNOWLEDGED, A.START): S.IN_PROGRESS,
    (S.REOPENED, A.START): S.IN_PROGRESS,
    (S.IN_PROGRESS, A.ASK_REPORTER): S.AWAITING_REPORTER,
    (S.AWAITING_REPORTER, A.REPORTER_REPLIED): S.IN_PROGRESS,
    (S.ACKNOWLEDGED, A.RESOLVE): S.RESOLVED,
    (S.IN_PROGRESS, A.RESOLVE): S.RESOLVED,
    (S.AWAITING_REPORTER, A.RESOLVE): S.RESOLVED,
    (S.RESOLVED, A.CLOSE): S.CLOSED,
    (S.RESOLVED, A.REOPEN): S.REOPENED,
    (S.CLOSED, A.REOPEN): S.REOPENED,
    **{(status, A.WITHDRAW): S.WITHDRAWN for status in _OPEN},
}
PAST = {
    A.ACKNOWLEDGE: N_("acknowledged"), A.START: N_("started"),
    A.ASK_REPORTER: N_("sent back to the student"),
    A.REPORTER_REPLIED: N_("answered by the student"), A.RESOLVE: N_("resolved"),
    A.CLOSE: N_("closed"), A.REOPEN: N_("reopened"), A.WITHDRAW: N_("withdrawn"),
}
LABELS = {
    S.SUBMITTED: N_("Submitted"), S.ACKNOWLEDGED: N_("Acknowledged"),
    S.IN_PROGRESS: N_("In progress"), S.AWAITING_REPORTER: N_("Awaiting student"),
    S.RESOLVED: N_("Resolved"), S.CLOSED: N_("Closed"), S.REOPENED: N_("Reopened"),
    S.WITHDRAWN: N_("Withdrawn"),
}
STUDENT_WORDS = {
    S.SUBMITTED: N_("We have your report. Nobody has opened it yet."),
    S.ACKNOWLEDGED: N_("Someone has read your report and will be in touch."),
    S.IN_PROGRESS: N_("Someone is working on your report."),
    S.AWAITING_REPORTER: N_("We have asked you something. Please read the messages below."),
    S.RESOLVED: N_("We think this is resolved. You can still reply if it is not."),
    S.CLOSED: N_("This report is closed."),
    S.REOPENED: N_("This report has been reopened."),
    S.WITHDRAWN: N_("You withdrew this report. Nobody will act on it."),
}
PEER_WORDS = {
    S.SUBMITTED: N_("We have your request. No peer supporter has taken it on yet."),
    S.ACKNOWLEDGED: N_("A peer supporter has read your request and will be in touch."),
    S.IN_PROGRESS: N_("A peer supporter has taken on your request and is handling it. Their "
                      "messages appear below."),
    S.AWAITING_REPORTER: N_("Your supporter has asked you something. Please read the messages "
                            "below."),
    S.RESOLVED: N_("Your supporter thinks this conversation is finished. You can still reply "
                   "if it is not."),
    S.CLOSED: N_("This conversation is closed."),
    S.REOPENED: N_("This conversation has been reopened."),
    S.WITHDRAWN: N_("You ended this conversation. Nobody will act on it."),
}


# A case shared by two teams (DESIGN.md, Routing) has one lead: the team it is routed to.
# The second team reads it and may do these; claiming, assigning, every other move,
# outcomes, re-routes and legal holds stay with the lead team. A conflict of interest can
# arise in either team, so either can step away or keep a colleague of its own off a case.
SHARING_TEAM_MAY = frozenset({Action.ACKNOWLEDGE.value, "message", "note",
                              "declare_conflict", "exclude"})


def may_act(action: str, leads: bool) -> bool:
    """May a handler of the lead team (leads=True) or of the sharing team do this?"""
    return leads or action in SHARING_TEAM_MAY


def next_status(status: CaseStatus, action: Action) -> CaseStatus:
    """The status an action leads to, or InvalidTransition."""
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        raise InvalidTransition(status, action) from None


def taking_on(status: CaseStatus) -> list[Action]:
    """The moves that put a case someone takes on in progress, acknowledging it first if
    nobody has (none if it is already under way, or finished)."""
    moves = []
    for action in (Action.ACKNOWLEDGE, Action.START):
        if (status, action) in TRANSITIONS:
            moves.append(action)
            status = TRANSITIONS[(status, action)]
    return moves


def allowed_actions(status: CaseStatus) -> list[Action]:
    """The actions possible from a status, in a stable order."""
    return [action for action in Action if (status, action) in TRANSITIONS]
