"""Staff accounts: creation with a key pair, enrolment links and admin password resets."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

import pyotp
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from reporting import crypto
from reporting.domain.addresses import one_address
from reporting.domain.errors import Conflict
from reporting.domain.roles import Role
from reporting.models import (
    Channel,
    ChannelMembership,
    School,
    StaffSession,
    StaffUser,
    WrappedKey,
)
from reporting.models.base import utcnow
from reporting.services import audit

PRIVATE_KEY_CONTEXT = b"belong/staff-private-key"
MIN_PASSWORD = 12


@dataclass(frozen=True)
class NewStaff:
    """A created account and the one-time enrolment token to hand to its owner."""

    user: StaffUser
    enrolment_token: str


def check_password(password: str) -> None:
    """Refuse a password too short to protect a key (NIST 800-63B: length over rules)."""
    if len(password) < MIN_PASSWORD:
        raise Conflict(f"the password needs at least {MIN_PASSWORD} characters")


def _set_password_and_keys(user: StaffUser, password: str, params: crypto.KdfParams) -> None:
    """Give the account a new password and a new key pair sealed under it."""
    private, public = crypto.generate_keypair()
    salt = crypto.random_salt()
    derived = crypto.derive_keys(password, salt, params)
    user.kdf_salt, user.kdf_params = salt, params.encode()
    user.password_verifier = derived.verifier
    user.public_key = public
    user.private_key_sealed = crypto.seal(derived.key, private, PRIVATE_KEY_CONTEXT)
    user.key_created_at = utcnow()


def _new_enrolment(user: StaffUser, lifetime: timedelta) -> str:
    token = secrets.token_urlsafe(32)
    user.enrolment_digest = crypto.token_digest(token)
    user.enrolment_expires_at = utcnow() + lifetime
    return token


def create_staff(
    session: Session,
    actor: str,
    school: School,
    *,
    email: str,
    display_name: str,
    role: Role,
    password: str,
    params: crypto.KdfParams,
    enrolment_lifetime: timedelta,
    lead: bool = False,
) -> NewStaff:
    """Create an account with its key pair; handlers join their role's channel."""
    email = email.strip().lower()
    if one_address(email) is None:
        raise Conflict(f"{email!r} is not an email address")
    if session.scalar(select(StaffUser.id).where(StaffUser.email == email)) is not None:
        raise Conflict(f"an account for {email} already exists")
    check_password(password)
    user = StaffUser(school=school, email=email, display_name=display_name.strip(),
                     role=role.value, totp_secret=pyotp.random_base32())
    _set_password_and_keys(user, password, params)
    if role.channel is not None:
        user.memberships.append(
            ChannelMembership(channel=school.channel(role.channel), is_lead=lead)
        )
    token = _new_enrolment(user, enrolment_lifetime)
    session.add(user)
    session.flush()
    audit.record(session, audit.school_chain(school.id), actor, "staff.create",
                 f"staff:{user.id}", role=role.value)
    return NewStaff(user, token)


def _end_sessions(session: Session, user: StaffUser) -> None:
    """End every session of a user and destroy each session's copy of their key."""
    session.execute(
        update(StaffSession)
        .where(StaffSession.staff_id == user.id, StaffSession.ended_at.is_(None))
        .values(ended_at=utcnow(), sealed_private_key=b"")
    )


def set_notify_mode(session: Session, user: StaffUser, mode: str) -> None:
    """Immediate emails or a daily digest."""
    if mode not in ("immediate", "digest"):
        raise Conflict("Choose immediate emails or a daily digest.")
    user.notify_mode = mode
    audit.record(session, audit.school_chain(user.school_id), f"staff:{user.id}",
                 "staff.notify_mode", f"staff:{user.id}", mode=mode)


def reissue_enrolment(session: Session, actor: str, user: StaffUser,
                      lifetime: timedelta) -> str:
    """A fresh enrolment link for a lost authenticator or an expired link.

    The old authenticator stops working at once and every session ends; the
    password and key pair stay. Returns the new enrolment token.
    """
    user.totp_secret = pyotp.random_base32()
    user.totp_enrolled_at = user.totp_last_counter = None
    token = _new_enrolment(user, lifetime)
    _end_sessions(session, user)
    audit.record(session, audit.school_chain(user.school_id), actor, "staff.enrolment_reissued",
                 f"staff:{user.id}")
    return token


def remove_from_channel(session: Session, actor: str, user: StaffUser, channel: Channel) -> None:
    """Take a handler out of a channel: no key for any case filed from now on."""
    session.execute(delete(ChannelMembership).where(ChannelMembership.staff_id == user.id,
                                                    ChannelMembership.channel_id == channel.id))
    session.expire(user, ["memberships"])
    audit.record(session, audit.school_chain(user.school_id), actor, "staff.channel_removed",
                 f"staff:{user.id}", channel=channel.kind)


def reset_password(
    session: Session,
    actor: str,
    user: StaffUser,
    *,
    password: str,
    params: crypto.KdfParams,
) -> None:
    """Set a new password for someone who lost theirs.

    Their old private key cannot be recovered (it was sealed under the old
    password): they get a new key pair, lose access to cases wrapped for the old
    one until the escrow key re-grants it, and every session they had ends.
    Their authenticator app keeps working.
    """
    check_password(password)
    _set_password_and_keys(user, password, params)
    _end_sessions(session, user)
    # Keys wrapped for the old key pair can never open again: remove them, so an escrow
    # grant knows what to restore.
    session.execute(delete(WrappedKey).where(WrappedKey.staff_id == user.id))
    audit.record(session, audit.school_chain(user.school_id), actor, "staff.password_reset",
                 f"staff:{user.id}")
