"""Conflicts of interest: the person a student reports may work in the team handling it.

A handler who may be implicated steps away from a case; a lead of one of the case's teams
can keep a colleague of that team off it. Either way the exclusion is stored, so nothing
that hands out keys later (a re-route, an escrow grant, a change of sharing) gives that
person the case's keys again, and the case leaves their queue.
"""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.orm import Session

from reporting.domain.errors import BelongError
from reporting.domain.words import N_
from reporting.models import Case, CaseExclusion, StaffUser, WrappedKey
from reporting.services import audit
from reporting.services.handling import check_version
from reporting.services.notifications import notify_handlers
from reporting.services.queries import channel_handlers, kept_off, team_handlers
from reporting.services.reports import CONTENT, IDENTITY, Keys, wrap_for_handlers
from reporting.services.rerouting import key_holders


def declare_conflict(session: Session, user: StaffUser, keys: Keys, case: Case,
                     seen: int) -> None:
    """The handler steps away: their keys go and the case returns to the team, whose
    handlers all hold its keys again (a peer request they accepted was theirs alone)."""
    check_version(case, seen)
    _keep_off(session, case, user.id, "declared", user)
    for scope, key, handlers in zip((CONTENT, IDENTITY), (keys.content, keys.identity),
                                    _entitled(session, case), strict=True):
        if key is not None:
            holders = key_holders(session, case, scope)
            session.add_all(wrap_for_handlers(case.report_id, scope, key,
                                              [h for h in handlers if h.id not in holders]))


def excludable(session: Session, lead: StaffUser, case: Case) -> list[StaffUser]:
    """The colleagues a lead may keep off a case: the other handlers of each of its teams
    that the lead leads, not yet kept off it."""
    led = {m.channel_id for m in lead.memberships if m.is_lead}
    people = {h.id: h for team in case.teams if team.id in led
              for h in channel_handlers(session, team.id, case.id) if h.id != lead.id}
    return sorted(people.values(), key=lambda h: h.display_name)


def exclude_colleague(session: Session, lead: StaffUser, case: Case, staff_id: int,
                      seen: int) -> None:
    """A lead keeps a colleague off the case: their keys go, the case returns to the team."""
    check_version(case, seen)
    if staff_id == lead.id:
        raise BelongError(N_("To step away from this case yourself, declare a conflict of "
                             "interest."))
    if staff_id not in {h.id for h in excludable(session, lead, case)}:
        raise BelongError(N_("Choose a colleague of a team you lead that works on this case."))
    _keep_off(session, case, staff_id, "excluded", lead)


def _entitled(session: Session, case: Case) -> tuple[list[StaffUser], list[StaffUser]]:
    """Who may hold the case's content and identity keys: its teams, less those kept off."""
    shared = () if case.report.anonymous else case.report.chosen("share_identity")
    return team_handlers(session, case.teams, shared, case.id)


def _keep_off(session: Session, case: Case, staff_id: int, kind: str, by: StaffUser) -> None:
    if kept_off(session, case.id, staff_id):
        raise BelongError(N_("That person is already kept off this case."))
    session.add(CaseExclusion(case_id=case.id, staff_id=staff_id, kind=kind,
                              by_staff_id=by.id))
    session.execute(delete(WrappedKey).where(
        WrappedKey.report_id == case.report_id, WrappedKey.holder == "staff",
        WrappedKey.staff_id == staff_id))
    if case.assignee_id == staff_id:  # back with the team, for someone else to take on
        case.assignee_id = None
        notify_handlers(session, case)
    audit.record(session, audit.school_chain(case.school_id), f"staff:{by.id}",
                 f"case.conflict_{kind}", f"case:{case.id}", staff=f"staff:{staff_id}")
