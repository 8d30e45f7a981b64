"""Routing: the student's structured answers in, a channel and plain reasons out.

A pure function; DESIGN.md gives the baseline rules, in order of precedence.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reporting.domain.report import Urgency, Want
from reporting.domain.roles import ChannelKind


@dataclass(frozen=True)
class Answers:
    """The parts of a report that routing looks at."""

    wants: frozenset[Want]
    urgency: Urgency = Urgency.LOW
    not_safe: bool = False


@dataclass(frozen=True)
class Decision:
    """Where a report goes, how urgently, and why in words a student understands."""

    channel: ChannelKind
    urgent: bool
    reasons: tuple[str, ...]
    also: tuple[ChannelKind, ...] = field(default=())


def route(answers: Answers) -> Decision:
    """Apply the baseline rules: not safe, then formal, then peer, else pastoral."""
    if answers.not_safe:
        return Decision(
            channel=ChannelKind.INSTITUTIONAL,
            also=(ChannelKind.PASTORAL,),
            urgent=True,
            reasons=(
                "You told us you are not safe right now, so this goes to the people who "
                "handle safeguarding, and to pastoral support, straight away.",
            ),
        )
    urgent = answers.urgency is Urgency.HIGH
    if Want.FORMAL in answers.wants:
        return Decision(
            channel=ChannelKind.INSTITUTIONAL,
            urgent=urgent,
            reasons=("You asked for a formal complaint or investigation, which only the "
                     "complaints and EDI office can open.",),
        )
    if Want.PEER in answers.wants and not urgent:
        return Decision(
            channel=ChannelKind.PEER,
            urgent=False,
            reasons=("You asked to talk to a student who has been through something similar.",),
        )
    reason = ("You said it is urgent, so a pastoral officer will pick it up first."
              if urgent else
              "Pastoral and wellbeing staff can listen, advise, and help with what comes next.")
    return Decision(channel=ChannelKind.PASTORAL, urgent=urgent, reasons=(reason,))
