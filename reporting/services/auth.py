"""Staff sign-in: password, second factor, server-side sessions, enrolment.

A login derives the password key once, unseals the X25519 private key and
re-seals it under a random session key that is returned to the caller for the
session cookie only. The database row alone, or the cookie alone, opens nothing.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, joinedload

from reporting import crypto
from reporting.domain.errors import InvalidCredentials, InvalidEnrolment, InvalidSecondFactor
from reporting.models import ChannelMembership, StaffSession, StaffUser
from reporting.models.base import utcnow
from reporting.services import audit, totp
from reporting.services.staff import PRIVATE_KEY_CONTEXT

SESSION_KEY_CONTEXT = b"belong/session-private-key"
# The idle timer is written at most this often, not on every request (a write and a commit
# each): a session may then end up to this much sooner than its idle timeout, never later.
IDLE_TIMER_STEP = timedelta(seconds=30)
# Derived once per process: lets an unknown email cost the same as a wrong password.
_DUMMY_SALT = crypto.random_salt()


@dataclass(frozen=True)
class SessionTicket:
    """What the browser keeps: a bearer token and the key that opens this session's private key."""

    token: str
    session_key: bytes


@dataclass(frozen=True)
class SessionTimeouts:
    """How long a session may stay idle, live at all, and wait for its second factor."""

    idle: timedelta
    absolute: timedelta
    pending_second_factor: timedelta


def _audit_user(session: Session, user: StaffUser, action: str, **detail: object) -> None:
    audit.record(session, audit.school_chain(user.school_id), f"staff:{user.id}", action,
                 f"staff:{user.id}", **detail)


def sign_in(session: Session, email: str, password: str, params: crypto.KdfParams) -> SessionTicket:
    """Check a password and open a session that still needs its second factor."""
    user = session.scalar(select(StaffUser).where(StaffUser.email == email.strip().lower()))
    if user is None or not user.active or user.uses_sso:  # no Belong password to check
        crypto.derive_keys(password, _DUMMY_SALT, params)
        audit.record(session, audit.INSTALLATION, "anonymous", "login.failed")
        raise InvalidCredentials
    derived = crypto.derive_keys(password, user.kdf_salt, crypto.KdfParams.decode(user.kdf_params))
    if not crypto.same(derived.verifier, user.password_verifier):
        _audit_user(session, user, "login.failed", reason="password")
        raise InvalidCredentials
    private = crypto.unseal(derived.key, user.private_key_sealed, PRIVATE_KEY_CONTEXT)
    ticket = SessionTicket(secrets.token_urlsafe(32), crypto.random_key())
    session.add(StaffSession(
        token_digest=crypto.token_digest(ticket.token),
        staff_id=user.id,
        sealed_private_key=crypto.seal(ticket.session_key, private, SESSION_KEY_CONTEXT),
    ))
    _audit_user(session, user, "login.password_ok")
    return ticket


def check_second_factor(session: Session, user: StaffUser, code: str, totp_key: bytes) -> None:
    """Accept a TOTP code once: a replayed or older code is refused."""
    user = session.get(StaffUser, user.id, with_for_update=True, populate_existing=True)
    counter = totp.matching_counter(totp.secret_of(totp_key, user), code, utcnow())
    if counter is None or (user.totp_last_counter is not None
                           and counter <= user.totp_last_counter):
        _audit_user(session, user, "login.failed", reason="second_factor")
        raise InvalidSecondFactor
    user.totp_last_counter = counter


def complete_sign_in(
    session: Session, staff_session: StaffSession, code: str, totp_key: bytes,
    enrolment_token: str | None = None,
) -> None:
    """Verify the second factor of a pending session and make it a full one.

    Someone who has not set up an authenticator can only do so with a valid
    enrolment link; the first good code confirms it and spends the link.
    """
    user = staff_session.staff
    enrolling = user.totp_enrolled_at is None
    if enrolling and (enrolment_token is None
                      or find_enrolment(session, enrolment_token).id != user.id):
        raise InvalidEnrolment
    check_second_factor(session, user, code, totp_key)
    if enrolling:
        user.totp_enrolled_at = utcnow()
        user.enrolment_digest = user.enrolment_expires_at = None
        _audit_user(session, user, "staff.enrolled")
    staff_session.second_factor_at = staff_session.last_seen_at = utcnow()
    _audit_user(session, user, "login.success")


def find_session(
    session: Session, token: str, timeouts: SessionTimeouts, *, pending: bool = False
) -> StaffSession | None:
    """The live session for a token, touching its idle timer; None if ended or timed out.

    With pending=True only sessions still waiting for the second factor count;
    otherwise only those that passed it. The idle timer moves in steps of IDLE_TIMER_STEP,
    so most requests write nothing.
    """
    row = session.execute(
        select(StaffSession).where(StaffSession.token_digest == crypto.token_digest(token))
        # What every staff page reads of its user (role, school, channels), loaded with it
        # in one statement (a row for each of their few channels).
        .options(joinedload(StaffSession.staff).options(
            joinedload(StaffUser.school),
            joinedload(StaffUser.memberships).joinedload(ChannelMembership.channel)))
    ).unique().scalar_one_or_none()
    if row is None or row.ended_at is not None or not row.staff.active:
        return None
    if (row.second_factor_at is None) is not pending:
        return None
    now = utcnow()
    if timed_out(row, timeouts, now):
        end_session(row)
        return None
    if now - row.last_seen_at >= IDLE_TIMER_STEP:
        row.last_seen_at = now
    return row


def timed_out(row: StaffSession, timeouts: SessionTimeouts, now: datetime) -> bool:
    """Has this session waited too long for its second factor, idled or lived too long?"""
    if row.second_factor_at is None:
        return now - row.created_at > timeouts.pending_second_factor
    return now - row.last_seen_at > timeouts.idle or now - row.created_at > timeouts.absolute


def session_private_key(staff_session: StaffSession, session_key: bytes) -> bytes:
    """Open this session's copy of the handler's private key with the cookie's key."""
    return crypto.unseal(session_key, staff_session.sealed_private_key, SESSION_KEY_CONTEXT)


def end_stale_sessions(session: Session, timeouts: SessionTimeouts) -> int:
    """End every session that has timed out, destroying its key copy (for the timer).

    Sessions also end when their cookie next comes back; this reaches the ones whose
    cookie never does (a closed laptop, an abandoned second-factor page).
    """
    now = utcnow()
    stale = session.scalars(select(StaffSession).where(
        StaffSession.ended_at.is_(None),
        or_(StaffSession.last_seen_at < now - timeouts.idle,
            StaffSession.created_at < now - timeouts.absolute,
            and_(StaffSession.second_factor_at.is_(None),
                 StaffSession.created_at < now - timeouts.pending_second_factor)))).all()
    for row in stale:
        end_session(row)
    return len(stale)


def end_all_sessions(session: Session) -> int:
    """End every live staff session (after a restore: backups hold sessions that had ended)."""
    live = session.scalars(select(StaffSession).where(StaffSession.ended_at.is_(None))).all()
    for row in live:
        end_session(row)
    return len(live)


def end_session(staff_session: StaffSession) -> None:
    """End a session and destroy its copy of the private key, so no later dump holds it."""
    staff_session.ended_at = utcnow()
    staff_session.sealed_private_key = b""


def sign_out(session: Session, staff_session: StaffSession) -> None:
    """End a session so its token and key are useless."""
    end_session(staff_session)
    _audit_user(session, staff_session.staff, "logout")


def find_enrolment(session: Session, token: str) -> StaffUser:
    """The account an enrolment link belongs to, if the link is still valid."""
    user = session.scalar(
        select(StaffUser).where(StaffUser.enrolment_digest == crypto.token_digest(token))
    )
    if user is None or not user.active or user.enrolment_expires_at is None \
            or user.enrolment_expires_at < utcnow():
        raise InvalidEnrolment
    return user

