"""Who may publish sessions: a school's admins, and the staff an admin names as leads."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from reporting.domain.roles import Role
from reporting.domain.spaces.fields import NotAnOrganiser, SessionNotFound
from reporting.domain.words import N_
from reporting.models import SpaceLead, StaffUser
from reporting.services import audit
from reporting.services.staff_admin import StaffNotFound, find_staff

Actor = StaffUser | str  # a signed-in organiser, or a command such as "demo"
NOT_ORGANISER = N_("Only the school's admins, and the leads they name, publish sessions.")


def is_organiser(session: Session, user: StaffUser) -> bool:
    """May this person publish and change their school's sessions?"""
    if not user.active:
        return False
    if user.staff_role is Role.ADMIN:
        return True
    return session.get(SpaceLead, user.id) is not None


def organiser_name(session: Session, actor: Actor, school_id: int) -> str:
    """The audit name of an actor allowed to organise this school's sessions.

    Another school's staff are told the session is not there; this school's staff who are
    neither admins nor named leads are refused.
    """
    if isinstance(actor, str):
        return actor
    if actor.school_id != school_id:
        raise SessionNotFound(N_("There is no such session at your school."))
    if not is_organiser(session, actor):
        raise NotAnOrganiser(NOT_ORGANISER)
    return f"staff:{actor.id}"


NEVER_LEADS = (Role.ADMIN.value, Role.ROLE_MODEL.value)


def _admin(admin: StaffUser) -> None:
    if admin.staff_role is not Role.ADMIN or not admin.active:
        raise NotAnOrganiser(N_("Only admins name the leads who publish sessions."))


def leads(session: Session, school_id: int) -> list[StaffUser]:
    """The school's named leads, by name."""
    return list(session.scalars(
        select(StaffUser).join(SpaceLead, SpaceLead.staff_id == StaffUser.id)
        .where(SpaceLead.school_id == school_id)
        .order_by(StaffUser.display_name, StaffUser.id)))


def candidates(session: Session, school_id: int) -> list[StaffUser]:
    """Active staff who are not admins (admins publish anyway), not role-model volunteers
    (their pages are /volunteer only) and not yet leads."""
    named = select(SpaceLead.staff_id)
    return list(session.scalars(
        select(StaffUser).where(StaffUser.school_id == school_id, StaffUser.active.is_(True),
                                StaffUser.role.not_in(NEVER_LEADS), StaffUser.id.not_in(named))
        .order_by(StaffUser.display_name, StaffUser.id)))


def name_lead(session: Session, admin: StaffUser, staff_id: int | str) -> StaffUser:
    """Let a member of the admin's school publish sessions (raises StaffNotFound)."""
    _admin(admin)
    user = find_staff(session, admin, staff_id)
    if user.role in NEVER_LEADS or not user.active:
        raise StaffNotFound(N_("Choose an active member of staff who is not an admin."))
    if session.get(SpaceLead, user.id) is None:
        session.add(SpaceLead(staff_id=user.id, school_id=user.school_id, named_by=admin.id))
        session.flush()
        audit.record(session, audit.school_chain(admin.school_id), f"staff:{admin.id}",
                     "spaces.lead_named", f"staff:{user.id}")
    return user


def remove_lead(session: Session, admin: StaffUser, staff_id: int | str) -> StaffUser:
    """Stop a lead publishing sessions; what they published stays."""
    _admin(admin)
    user = find_staff(session, admin, staff_id)
    gone = session.execute(delete(SpaceLead).where(SpaceLead.staff_id == user.id)).rowcount
    if gone:
        audit.record(session, audit.school_chain(admin.school_id), f"staff:{admin.id}",
                     "spaces.lead_removed", f"staff:{user.id}")
    return user
