"""Profiles: written, edited and withdrawn by their volunteer, approved by an admin, and
browsed by students by several identities and kinds of help, the best overlap first.

An edit sends an approved profile back for approval: an admin sees every word students
see before they see it.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from reporting.domain.directory import best_overlap_first
from reporting.domain.numbers import whole_number
from reporting.domain.role_models import (
    NotAllowed,
    ProfileFields,
    ProfileNotFound,
    check,
)
from reporting.domain.roles import Role
from reporting.domain.words import N_
from reporting.models import RoleModelProfile, StaffUser
from reporting.models.base import utcnow
from reporting.services import audit


def _audit(session: Session, actor: StaffUser, action: str, profile: RoleModelProfile) -> None:
    audit.record(session, audit.school_chain(profile.school_id), f"staff:{actor.id}", action,
                 f"role_model_profile:{profile.id}")


def _volunteer(user: StaffUser) -> None:
    if user.staff_role is not Role.ROLE_MODEL or not user.active:
        raise NotAllowed(N_("Only role-model volunteers write a profile."))


def _admin(admin: StaffUser, profile: RoleModelProfile) -> None:
    if admin.staff_role is not Role.ADMIN or not admin.active \
            or admin.school_id != profile.school_id:
        raise NotAllowed(N_("Only this school's admins approve profiles."))


def own_profile(session: Session, user: StaffUser) -> RoleModelProfile | None:
    """The volunteer's own profile, if they wrote one."""
    return session.scalar(select(RoleModelProfile).where(RoleModelProfile.staff_id == user.id))


def save_profile(session: Session, user: StaffUser, fields: ProfileFields) -> RoleModelProfile:
    """Write or edit the volunteer's profile; it waits for an admin before it shows."""
    _volunteer(user)
    fields = check(fields)
    profile = own_profile(session, user)
    first = profile is None
    if profile is None:
        profile = RoleModelProfile(school_id=user.school_id, staff_id=user.id)
        session.add(profile)
    profile.display_name, profile.role_title = fields.display_name, fields.role_title
    profile.specialty, profile.why = fields.specialty, fields.why
    # The Welsh is part of the same edit: it waits for the same approval as the English.
    profile.role_title_cy, profile.specialty_cy = fields.role_title_cy, fields.specialty_cy
    profile.why_cy = fields.why_cy
    profile.tags, profile.helps = " ".join(fields.tags), " ".join(fields.helps)
    profile.status, profile.updated_at, profile.approved_at = "pending", utcnow(), None
    session.flush()
    _audit(session, user, "role_model.profile_written" if first
           else "role_model.profile_edited", profile)
    session.commit()
    return profile


def withdraw_profile(session: Session, user: StaffUser) -> None:
    """Take the volunteer's profile down (they may write it again later)."""
    _volunteer(user)
    profile = own_profile(session, user)
    if profile is None or profile.status == "withdrawn":
        return
    profile.status, profile.updated_at = "withdrawn", utcnow()
    _audit(session, user, "role_model.profile_withdrawn", profile)
    session.commit()


def pending_profiles(session: Session, admin: StaffUser) -> list[RoleModelProfile]:
    """Profiles of the admin's school waiting for approval, oldest first."""
    if admin.staff_role is not Role.ADMIN:
        raise NotAllowed(N_("Only admins approve profiles."))
    return list(session.scalars(select(RoleModelProfile).where(
        RoleModelProfile.school_id == admin.school_id, RoleModelProfile.status == "pending")
        .order_by(RoleModelProfile.updated_at, RoleModelProfile.id)))


def school_profiles(session: Session, admin: StaffUser) -> list[RoleModelProfile]:
    """Every profile of the admin's school, for the admin's list."""
    if admin.staff_role is not Role.ADMIN:
        raise NotAllowed(N_("Only admins see every profile."))
    return list(session.scalars(select(RoleModelProfile).where(
        RoleModelProfile.school_id == admin.school_id).order_by(RoleModelProfile.id)))


def find_for_admin(session: Session, admin: StaffUser, profile_id: int | str) -> RoleModelProfile:
    """A profile of the admin's school (ProfileNotFound for any other)."""
    found = whole_number(profile_id)
    profile = session.get(RoleModelProfile, found) if found is not None else None
    if profile is None or profile.school_id != admin.school_id:
        raise ProfileNotFound(N_("No such profile."))
    return profile


def approve_profile(session: Session, admin: StaffUser, profile: RoleModelProfile) -> None:
    """Show a waiting profile to students."""
    _admin(admin, profile)
    if profile.status != "pending":
        return
    profile.status, profile.approved_at = "approved", utcnow()
    _audit(session, admin, "role_model.profile_approved", profile)
    session.commit()


def decline_profile(session: Session, admin: StaffUser, profile: RoleModelProfile) -> None:
    """Send a waiting or shown profile back to its volunteer, hidden until approved."""
    _admin(admin, profile)
    profile.status, profile.approved_at = "declined", None
    _audit(session, admin, "role_model.profile_declined", profile)
    session.commit()


def _shown(session: Session, school_id: int):
    return select(RoleModelProfile).join(StaffUser, StaffUser.id == RoleModelProfile.staff_id) \
        .where(RoleModelProfile.school_id == school_id, RoleModelProfile.status == "approved",
               StaffUser.active.is_(True))


def browse(session: Session, school_id: int, identities: Collection[str],
           helps: Collection[str]) -> list[RoleModelProfile]:
    """Approved profiles for a student: those offering any help chosen (all, with none),
    sharing any identity chosen, the best overlap first, then by name."""
    found = [profile for profile in session.scalars(_shown(session, school_id))
             if not helps or set(helps) & set(profile.help_list)]
    return best_overlap_first(found, identities, lambda p: p.tag_list,
                              lambda p: (p.display_name.lower(), p.id))


def shown_profile(session: Session, school_id: int, profile_id: int | str) -> RoleModelProfile:
    """An approved profile of this school, or ProfileNotFound."""
    profile = session.scalar(_shown(session, school_id).where(
        RoleModelProfile.id == (whole_number(profile_id) or 0)))
    if profile is None:
        raise ProfileNotFound(N_("No such profile."))
    return profile
