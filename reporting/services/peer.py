"""Talk to someone who has been there: peer-connection requests, matching, acceptance."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from reporting.domain.cases import taking_on
from reporting.domain.errors import BelongError
from reporting.domain.peer import PEER_TAGS
from reporting.domain.report import Impact, Responsible, Setting, Urgency, Want, When
from reporting.domain.roles import ChannelKind, Role
from reporting.domain.words import N_
from reporting.models import Case, PeerOffer, ReportChoice, School, StaffUser, WrappedKey
from reporting.services import audit, handling, stats
from reporting.services.casework import transition
from reporting.services.queries import channel_handlers
from reporting.services.reports import Draft, Submitted, submit_report

NO_MESSAGE = "(The student did not add a message.)"


def request_connection(session: Session, school: School, tags: frozenset[str],
                       message: str = "", submission_id: str | None = None,
                       repeats: str | None = None) -> Submitted:
    """File a request to talk to a peer supporter who shares the chosen tags.

    It is a case of kind 'peer_connection' in the peer channel, with its own receipt:
    every message goes through the receipt inbox, so the student stays anonymous.
    """
    unknown = tags - PEER_TAGS.keys()
    if not tags or unknown:
        raise BelongError(N_("Choose at least one thing you would like to share with them."))
    submitted = submit_report(session, school, Draft(
        narrative=message.strip() or NO_MESSAGE, setting=Setting.OTHER,
        responsible=Responsible.UNKNOWN, impact=Impact.LITTLE, urgency=Urgency.LOW,
        grounds=frozenset(), wants=frozenset({Want.PEER}), occurred_kind=When.UNSURE,
        chosen_channel=ChannelKind.PEER,
        also_shown=frozenset(),  # a peer request is never shared with a second team
    ), submission_id, repeats)
    submitted.case.kind = "peer_connection"
    stats.refresh(session, submitted.case)
    submitted.report.choices.extend(ReportChoice(question="peer_tag", value=tag)
                                    for tag in sorted(tags))
    return submitted


@dataclass(frozen=True)
class Match:
    """A supporter who could take a request: the tags they share, and how busy they are."""

    supporter: StaffUser
    shared: list[str]
    open_cases: int


def suggest(session: Session, case: Case) -> list[Match]:
    """Peer supporters of the channel, most shared tags first, then the least busy."""
    wanted = set(case.report.chosen("peer_tag"))
    matches = []
    for supporter in channel_handlers(session, case.channel_id, case.id):
        offered = set(session.scalars(select(PeerOffer.tag).where(
            PeerOffer.staff_id == supporter.id)))
        load = session.scalar(select(func.count(Case.id)).where(
            Case.assignee_id == supporter.id,
            Case.status.not_in(("resolved", "closed", "withdrawn"))))
        matches.append(Match(supporter, sorted(wanted & offered), load))
    return sorted(matches, key=lambda m: (-len(m.shared), m.open_cases,
                                          m.supporter.display_name))


def accept(session: Session, user: StaffUser, case: Case) -> None:
    """A supporter takes the request; from then on only they can read it.

    Accepting is the acknowledgement (DESIGN.md: a peer request is acknowledged within 2
    days): a named supporter has read it and taken it on, so its acknowledgement clock stops
    here and the request is in progress; their first message is the first response.
    """
    if case.kind != "peer_connection":
        raise BelongError(N_("Only requests to talk to a peer can be accepted."))
    handling.check_may(user, case, "accept")  # a supporter of the peer team only
    handling.take(session, user, case)
    for action in taking_on(case.case_status):
        transition(session, case, action, actor_kind="staff", actor_id=user.id)
    case.also_channel_id = None  # from now on it is one supporter's conversation
    session.execute(delete(WrappedKey).where(
        WrappedKey.report_id == case.report_id, WrappedKey.holder == "staff",
        WrappedKey.staff_id != user.id))
    audit.record(session, audit.school_chain(case.school_id), f"staff:{user.id}",
                 "peer.accepted", f"case:{case.id}")


def set_offers(session: Session, user: StaffUser, tags: frozenset[str]) -> None:
    """The tags a peer supporter is willing to share with students."""
    if user.staff_role is not Role.PEER_SUPPORTER:
        raise BelongError(N_("Only peer supporters offer peer connections."))
    if tags - PEER_TAGS.keys():
        raise BelongError(N_("Choose from the listed experiences."))
    session.execute(delete(PeerOffer).where(PeerOffer.staff_id == user.id))
    session.add_all(PeerOffer(staff_id=user.id, tag=tag) for tag in sorted(tags))
    audit.record(session, audit.school_chain(user.school_id), f"staff:{user.id}",
                 "peer.offers_changed", f"staff:{user.id}", count=len(tags))


def offers(session: Session, user: StaffUser) -> list[str]:
    """The tags a supporter offers."""
    return list(session.scalars(select(PeerOffer.tag).where(PeerOffer.staff_id == user.id)))
