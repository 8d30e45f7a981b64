"""A staff member's own account: their password, their authenticator and their sessions.

The person is already signed in with both factors; each change still asks for proof of
the thing it replaces or adds (the current password, a code from the new authenticator),
ends their other sessions, and is audited.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from reporting import crypto
from reporting.domain.errors import Conflict, InvalidCredentials, InvalidSecondFactor
from reporting.domain.words import N_
from reporting.models import StaffSession, StaffUser
from reporting.models.base import utcnow
from reporting.services import audit, auth, totp
from reporting.services.staff import (
    PRIVATE_KEY_CONTEXT,
    check_password,
    end_sessions,
    seal_under_password,
)


def _audit(session: Session, user: StaffUser, action: str, **detail: object) -> None:
    audit.record(session, audit.school_chain(user.school_id), f"staff:{user.id}", action,
                 f"staff:{user.id}", **detail)


def change_password(session: Session, user: StaffUser, current_session: StaffSession, *,
                    current: str, new: str, params: crypto.KdfParams) -> None:
    """Replace the password: the same private key, sealed again under the new one.

    The key pair stays, so every case key wrapped for it still opens and no escrow grant
    is needed. This session keeps its own copy of the key; every other session ends.
    Raises InvalidCredentials if `current` is not the password.
    """
    if user.uses_sso:
        raise Conflict(N_("You sign in with your university account: Belong keeps no "
                          "password for you."))
    check_password(new)
    derived = crypto.derive_keys(current, user.kdf_salt, crypto.KdfParams.decode(user.kdf_params))
    if not crypto.same(derived.verifier, user.password_verifier):
        _audit(session, user, "staff.password_change_refused")
        raise InvalidCredentials
    private = crypto.unseal(derived.key, user.private_key_sealed, PRIVATE_KEY_CONTEXT)
    seal_under_password(user, private, new, params)
    end_sessions(session, user, keep=current_session)
    _audit(session, user, "staff.password_changed")


def new_authenticator(totp_key: bytes, user: StaffUser) -> tuple[str, bytes]:
    """A fresh secret for a replacement authenticator, and the same sealed for the browser
    to hold until a code from it confirms it (nothing is stored yet)."""
    secret = totp.random_secret()
    return secret, totp.seal_secret(totp_key, user.id, secret)


def replace_authenticator(session: Session, user: StaffUser, current_session: StaffSession,
                          pending: bytes, code: str, totp_key: bytes) -> None:
    """Swap in the pending secret once a code from it is right; the old one stops working
    and every other session ends. Raises InvalidSecondFactor otherwise."""
    try:
        secret = totp.open_secret(totp_key, user.id, pending)
    except crypto.CryptoError:
        secret = None  # sealed for another account, or by another server key
    counter = totp.matching_counter(secret, code, utcnow()) if secret else None
    if counter is None:
        _audit(session, user, "staff.authenticator_refused")
        raise InvalidSecondFactor
    user.totp_secret_sealed = totp.seal_secret(totp_key, user.id, secret)
    user.totp_last_counter = counter
    end_sessions(session, user, keep=current_session)
    _audit(session, user, "staff.authenticator_replaced")


def live_sessions(session: Session, user: StaffUser,
                  timeouts: auth.SessionTimeouts) -> list[StaffSession]:
    """The person's sessions that have not ended or timed out, newest first."""
    now = utcnow()
    rows = session.scalars(select(StaffSession).where(
        StaffSession.staff_id == user.id, StaffSession.ended_at.is_(None))
        .order_by(StaffSession.created_at.desc(), StaffSession.id.desc())).all()
    return [row for row in rows if not auth.timed_out(row, timeouts, now)]


def end_own_session(session: Session, user: StaffUser, session_id: int) -> bool:
    """End one of the person's own live sessions; False if it is not theirs or not live."""
    row = session.get(StaffSession, session_id)
    if row is None or row.staff_id != user.id or row.ended_at is not None:
        return False
    auth.end_session(row)
    _audit(session, user, "staff.session_ended", ended=row.id)
    return True
