"""Staff accounts: creation with a key pair, enrolment links and admin password resets."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from reporting import crypto
from reporting.domain.addresses import one_address
from reporting.domain.errors import Conflict
from reporting.domain.roles import Role
from reporting.domain.words import N_
from reporting.models import (
    Case,
    Channel,
    ChannelMembership,
    School,
    StaffSession,
    StaffUser,
    WrappedKey,
)
from reporting.models.base import utcnow
from reporting.services import audit, totp

PRIVATE_KEY_CONTEXT = b"belong/staff-private-key"
SSO_KEY_PURPOSE = "sso-private-key"
MIN_PASSWORD = 12
QUEUE_VIEW_MAX = 500  # models.StaffUser.queue_view


@dataclass(frozen=True)
class NewStaff:
    """A created account and the one-time enrolment token to hand to its owner."""

    user: StaffUser
    enrolment_token: str


def check_password(password: str) -> None:
    """Refuse a password too short to protect a key (NIST 800-63B: length over rules)."""
    if len(password) < MIN_PASSWORD:
        raise Conflict(N_("the password needs at least %(min)d characters") % {"min": MIN_PASSWORD})


def seal_under_password(user: StaffUser, private: bytes, password: str,
                        params: crypto.KdfParams) -> None:
    """Set the account's password: a fresh salt, its verifier, the private key sealed under it."""
    salt = crypto.random_salt()
    derived = crypto.derive_keys(password, salt, params)
    user.kdf_salt, user.kdf_params = salt, params.encode()
    user.password_verifier = derived.verifier
    user.private_key_sealed = crypto.seal(derived.key, private, PRIVATE_KEY_CONTEXT)


def sso_key(config: dict) -> bytes:
    """The server key that seals the private keys of staff who sign in with the school's
    identity provider and have no Belong password (docs/threat-model.md)."""
    return crypto.server_key(config["BELONG_HMAC_KEY"], SSO_KEY_PURPOSE)


def _sso_context(staff_id: int) -> bytes:
    return f"belong/sso-private-key/{staff_id}".encode()


def seal_for_sso(key: bytes, user: StaffUser, private: bytes) -> None:
    """Seal a flushed account's private key under the server key, bound to its row: the
    account has no password from now on."""
    user.key_sealing = "sso"
    user.kdf_salt = user.kdf_params = user.password_verifier = None
    user.private_key_sealed = crypto.seal(key, private, _sso_context(user.id))


def open_for_sso(key: bytes, user: StaffUser) -> bytes:
    """The private key of an account that signs in with the provider (CryptoError if not)."""
    return crypto.unseal(key, user.private_key_sealed, _sso_context(user.id))


def _new_keys(user: StaffUser, password: str | None, params: crypto.KdfParams,
              sso: bytes | None) -> None:
    """A new key pair for a flushed account, sealed under its new password or, without
    one, under the single-sign-on server key."""
    private, user.public_key = crypto.generate_keypair()
    if password is None:
        if sso is None:
            raise ValueError("an account needs a password or the single-sign-on key")
        seal_for_sso(sso, user, private)
    else:
        user.key_sealing = "password"
        seal_under_password(user, private, password, params)
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
    password: str | None,
    params: crypto.KdfParams,
    totp_key: bytes,
    enrolment_lifetime: timedelta,
    lead: bool = False,
    sso: bytes | None = None,
) -> NewStaff:
    """Create an account with its key pair; handlers join their role's channel.

    Without a password the account signs in with the school's identity provider, and its
    key is sealed under `sso` (services/staff.sso_key).
    """
    email = email.strip().lower()
    if one_address(email) is None:
        raise Conflict(N_("%(email)r is not an email address") % {"email": email})
    if session.scalar(select(StaffUser.id).where(StaffUser.email == email)) is not None:
        raise Conflict(N_("an account for %(email)s already exists") % {"email": email})
    if password is not None:
        check_password(password)
    user = StaffUser(school=school, email=email, display_name=display_name.strip(),
                     role=role.value, totp_secret_sealed=b"", private_key_sealed=b"",
                     public_key=b"")
    if role.channel is not None:
        user.memberships.append(
            ChannelMembership(channel=school.channel(role.channel), is_lead=lead)
        )
    token = _new_enrolment(user, enrolment_lifetime)
    session.add(user)
    session.flush()
    _new_keys(user, password, params, sso)  # sealed once the row has the id it is bound to
    totp.new_secret(totp_key, user)
    audit.record(session, audit.school_chain(school.id), actor, "staff.create",
                 f"staff:{user.id}", role=role.value)
    return NewStaff(user, token)


def end_sessions(session: Session, user: StaffUser, keep: StaffSession | None = None) -> None:
    """End every session of a user (but `keep`, if given) and destroy each one's key copy."""
    session.execute(
        update(StaffSession)
        .where(StaffSession.staff_id == user.id, StaffSession.ended_at.is_(None),
               StaffSession.id != (keep.id if keep is not None else -1))
        .values(ended_at=utcnow(), sealed_private_key=b"")
        .execution_options(synchronize_session="fetch")
    )


def set_notify_mode(session: Session, user: StaffUser, mode: str) -> None:
    """Immediate emails or a daily digest."""
    if mode not in ("immediate", "digest"):
        raise Conflict(N_("Choose immediate emails or a daily digest."))
    user.notify_mode = mode
    audit.record(session, audit.school_chain(user.school_id), f"staff:{user.id}",
                 "staff.notify_mode", f"staff:{user.id}", mode=mode)


def save_queue_view(session: Session, user: StaffUser, query: str | None) -> None:
    """Keep the handler's queue filters (a query string of filter values, never content)
    to open the queue with; None forgets them."""
    if query is not None and len(query) > QUEUE_VIEW_MAX:
        raise Conflict(N_("This view has too many filters to save."))
    user.queue_view = query or None


def reissue_enrolment(session: Session, actor: str, user: StaffUser,
                      lifetime: timedelta, totp_key: bytes) -> str:
    """A fresh enrolment link for a lost authenticator or an expired link.

    The old authenticator stops working at once and every session ends; the
    password and key pair stay. Returns the new enrolment token.
    """
    totp.new_secret(totp_key, user)
    user.totp_enrolled_at = user.totp_last_counter = None
    token = _new_enrolment(user, lifetime)
    end_sessions(session, user)
    audit.record(session, audit.school_chain(user.school_id), actor, "staff.enrolment_reissued",
                 f"staff:{user.id}")
    return token


def remove_from_channel(session: Session, actor: str, user: StaffUser, channel: Channel) -> None:
    """Take a handler out of a channel: no key for any case filed from now on, and none
    for its cases now, unless a channel they stay in leads or shares that case. Cases of
    the channel they were working on go back to the team."""
    session.execute(delete(ChannelMembership).where(ChannelMembership.staff_id == user.id,
                                                    ChannelMembership.channel_id == channel.id))
    session.expire(user, ["memberships"])
    stays = user.channel_ids or {0}
    left = select(Case).where(
        or_(Case.channel_id == channel.id, Case.also_channel_id == channel.id),
        Case.channel_id.not_in(stays),
        or_(Case.also_channel_id.is_(None), Case.also_channel_id.not_in(stays)))
    session.execute(delete(WrappedKey).where(
        WrappedKey.staff_id == user.id,
        WrappedKey.report_id.in_(left.with_only_columns(Case.report_id))))
    for case in session.scalars(left.where(Case.assignee_id == user.id)):
        case.assignee_id = None
    audit.record(session, audit.school_chain(user.school_id), actor, "staff.channel_removed",
                 f"staff:{user.id}", channel=channel.kind)


def reset_password(
    session: Session,
    actor: str,
    user: StaffUser,
    *,
    password: str | None,
    params: crypto.KdfParams,
    sso: bytes | None = None,
) -> None:
    """Set a new password for someone who lost theirs (or, with no password and the
    `sso` key, make the account sign in with the school's identity provider).

    Their old private key is not reused: they get a new key pair, lose access to cases
    wrapped for the old one until the escrow key re-grants it, and every session they had
    ends. Their authenticator app keeps working. A single sign-on account must link its
    identity again, from its next enrolment link.
    """
    if password is not None:
        check_password(password)
    _new_keys(user, password, params, sso)
    user.oidc_subject = None
    end_sessions(session, user)
    # Keys wrapped for the old key pair can never open again: remove them, so an escrow
    # grant knows what to restore.
    session.execute(delete(WrappedKey).where(WrappedKey.staff_id == user.id))
    audit.record(session, audit.school_chain(user.school_id), actor, "staff.password_reset",
                 f"staff:{user.id}")
