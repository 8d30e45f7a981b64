"""The admin's staff pages: invite, list, deactivate, move and reset a person, each audited
and only within the admin's own school. The command line calls the same services in
services/staff.py that these build on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from reporting import crypto
from reporting.domain.cases import CaseStatus
from reporting.domain.errors import BelongError, Conflict
from reporting.domain.numbers import whole_number
from reporting.domain.roles import HANDLER_CHANNEL, Role
from reporting.domain.words import N_
from reporting.models import Case, Channel, ChannelMembership, StaffSession, StaffUser, WrappedKey
from reporting.models.base import utcnow
from reporting.services import audit
from reporting.services.notifications import (
    drop_enrolment_emails,
    notify_enrolment,
    notify_handlers,
)
from reporting.services.queries import channel_handlers
from reporting.services.rerouting import grant_with_escrow, open_escrow
from reporting.services.sso import provider_of
from reporting.services.staff import (
    create_staff,
    end_sessions,
    reissue_enrolment,
    remove_from_channel,
    reset_password,
    sso_key,
)
from reporting.services.totp import totp_key

FINISHED = (CaseStatus.CLOSED.value, CaseStatus.WITHDRAWN.value)


class StaffNotFound(BelongError):
    """No such account in the admin's school (another school's staff are not there)."""


@dataclass(frozen=True)
class StaffRow:
    """One account as the staff list shows it."""

    user: StaffUser
    state: str
    last_sign_in: datetime | None
    sessions: int


def state_of(user: StaffUser, now: datetime) -> str:
    """Deactivated, enrolled, invited (link still works) or link expired."""
    if not user.active:
        return N_("deactivated")
    if user.totp_enrolled_at is not None or (user.oidc_subject is not None
                                             and user.enrolment_digest is None):
        return N_("enrolled")
    expires = user.enrolment_expires_at
    return N_("invited") if expires is not None and expires >= now else N_("link expired")


def staff_rows(session: Session, admin: StaffUser) -> list[StaffRow]:
    """The admin's school's accounts by name, with their state, last sign-in and sessions."""
    signed_in = StaffSession.second_factor_at.is_not(None)
    last = dict(session.execute(
        select(StaffSession.staff_id, func.max(StaffSession.second_factor_at))
        .where(signed_in).group_by(StaffSession.staff_id)).all())
    live = dict(session.execute(
        select(StaffSession.staff_id, func.count())
        .where(signed_in, StaffSession.ended_at.is_(None)).group_by(StaffSession.staff_id)).all())
    now = utcnow()
    users = session.scalars(select(StaffUser).where(StaffUser.school_id == admin.school_id)
                            .order_by(StaffUser.display_name, StaffUser.id))
    return [StaffRow(user, state_of(user, now), last.get(user.id), live.get(user.id, 0))
            for user in users]


def find_staff(session: Session, admin: StaffUser, staff_id: int | str) -> StaffUser:
    """An account of the admin's own school; any other is "not found"."""
    user = session.get(StaffUser, whole_number(staff_id) or 0)  # 0: never an id, no overflow
    if user is None or user.school_id != admin.school_id:
        raise StaffNotFound(N_("There is no such account in your school."))
    return user


def _sign_in_key(session: Session, admin: StaffUser, config: dict,
                 password: str | None) -> bytes | None:
    """Without a password the account signs in with the school's provider: it must be on."""
    if password is not None:
        return None
    if provider_of(session, admin.school) is None:
        raise Conflict(N_("Single sign-on is off for your school: give them a password."))
    return sso_key(config)


def invite_staff(session: Session, admin: StaffUser, config: dict, *, email: str,
                 display_name: str, role: Role, password: str | None,
                 params: crypto.KdfParams, lifetime: timedelta,
                 lead: bool = False) -> StaffUser:
    """Make an account (handlers join their role's channel) and email its enrolment link.

    The password is the admin's to give separately: the link alone enrols nobody. With no
    password (single sign-on), the link leads to the school's provider, which must vouch
    for the invited address.
    """
    new = create_staff(session, f"staff:{admin.id}", admin.school, email=email,
                       display_name=display_name, role=role, password=password,
                       params=params, enrolment_lifetime=lifetime, lead=lead,
                       totp_key=totp_key(config),
                       sso=_sign_in_key(session, admin, config, password))
    new.user.invited_by_id = admin.id
    notify_enrolment(session, config, new.user, new.enrolment_token, "invited")
    return new.user


def _check_keeps_an_admin(session: Session, user: StaffUser) -> None:
    """Refuse to leave a school with no active administrator."""
    if user.staff_role is not Role.ADMIN or not user.active:
        return
    others = session.scalar(select(func.count()).select_from(StaffUser).where(
        StaffUser.school_id == user.school_id, StaffUser.role == Role.ADMIN.value,
        StaffUser.active.is_(True), StaffUser.id != user.id))
    if not others:
        raise Conflict(N_("This is the school's last active administrator: invite another "
                          "administrator first."))


def _escrow(session: Session, admin: StaffUser, user: StaffUser,
            passphrase: str | None) -> bytes | None:
    """The escrow key when a passphrase is given (checked before anything changes)."""
    if not passphrase:
        return None
    return open_escrow(session, admin, admin.school, passphrase, f"staff:{user.id}")


def _check_active(admin: StaffUser, user: StaffUser) -> None:
    if user.school_id != admin.school_id:
        raise StaffNotFound(N_("There is no such account in your school."))
    if not user.active:
        raise Conflict(N_("%(name)s's account is deactivated.") % {"name": user.display_name})


def deactivate_staff(session: Session, admin: StaffUser, user: StaffUser,
                     passphrase: str | None = None) -> int:
    """A leaver: sessions end, key copies are shredded and wrapped keys removed, their open
    cases go back to the team; with the escrow passphrase, the team gets any of those
    cases it cannot read yet. Returns how many case keys the team was granted."""
    _check_active(admin, user)
    _check_keeps_an_admin(session, user)
    escrow = _escrow(session, admin, user, passphrase)
    team = {handler.id: handler for channel_id in user.channel_ids
            for handler in channel_handlers(session, channel_id) if handler.id != user.id}
    user.active, user.deactivated_at = False, utcnow()
    end_sessions(session, user)
    # Shred the private key (sealed under their password) and every key wrapped for it.
    user.private_key_sealed = b""
    user.enrolment_digest = user.enrolment_expires_at = None
    user.oidc_subject = None  # their university account no longer leads here
    drop_enrolment_emails(session, user)
    session.execute(delete(WrappedKey).where(WrappedKey.staff_id == user.id))
    for case in session.scalars(select(Case).where(Case.assignee_id == user.id,
                                                   Case.status.not_in(FINISHED))):
        case.assignee_id = None
        notify_handlers(session, case)
    audit.record(session, audit.school_chain(user.school_id), f"staff:{admin.id}",
                 "staff.deactivated", f"staff:{user.id}")
    if escrow is None:
        return 0
    return sum(grant_with_escrow(session, admin, escrow, handler) for handler in team.values())


def move_staff(session: Session, admin: StaffUser, user: StaffUser, channel: Channel,
               passphrase: str | None = None) -> int:
    """Move a handler to another channel of the school (their role follows): the old
    channel's cases are out of reach; with the passphrase, the new one's are granted.
    Returns how many cases were granted."""
    _check_active(admin, user)
    if user.staff_role.channel is None:
        raise Conflict(N_("An administrator works in no channel."))
    if channel.school_id != admin.school_id or user.channel_ids == {channel.id}:
        raise Conflict(N_("Choose another channel of your school."))
    escrow = _escrow(session, admin, user, passphrase)
    for membership in list(user.memberships):
        if membership.channel_id != channel.id:
            remove_from_channel(session, f"staff:{admin.id}", user, membership.channel)
    if channel.id not in user.channel_ids:
        session.add(ChannelMembership(staff_id=user.id, channel_id=channel.id))
        session.flush()
        session.expire(user, ["memberships"])
    user.role = next(role for role, kind in HANDLER_CHANNEL.items() if kind == channel.kind).value
    audit.record(session, audit.school_chain(user.school_id), f"staff:{admin.id}",
                 "staff.moved", f"staff:{user.id}", channel=channel.kind)
    return 0 if escrow is None else grant_with_escrow(session, admin, escrow, user)


def reset_staff(session: Session, admin: StaffUser, config: dict, user: StaffUser, *,
                password: str | None, params: crypto.KdfParams, lifetime: timedelta,
                passphrase: str | None = None) -> int:
    """A lost password or authenticator: a new password (or single sign-on, with none) and
    key pair, a new enrolment link by email, sessions ended; with the passphrase, earlier
    cases are granted to the new key. Returns how many cases were granted."""
    _check_active(admin, user)
    sso = _sign_in_key(session, admin, config, password)
    escrow = _escrow(session, admin, user, passphrase)
    reset_password(session, f"staff:{admin.id}", user, password=password, params=params,
                   sso=sso)
    token = reissue_enrolment(session, f"staff:{admin.id}", user, lifetime, totp_key(config))
    notify_enrolment(session, config, user, token, "reset")
    if escrow is None or user.staff_role.channel is None:
        return 0
    return grant_with_escrow(session, admin, escrow, user)
