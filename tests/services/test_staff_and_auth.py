"""Staff accounts, key pairs and sign-in, against a real database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from reporting import crypto
from reporting.domain.errors import Conflict, InvalidCredentials, InvalidSecondFactor
from reporting.domain.roles import Role
from reporting.models import AuditEntry, StaffSession
from reporting.models.base import utcnow
from reporting.services import auth
from reporting.services.staff import PRIVATE_KEY_CONTEXT, reset_password
from tests import factories

TIMEOUTS = auth.SessionTimeouts(timedelta(minutes=30), timedelta(hours=12), timedelta(minutes=5))


def test_private_key_opens_only_with_the_password(session, school):
    """Is the private key sealed under the password-derived key, and useless otherwise?"""
    user = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    params = crypto.KdfParams.decode(user.kdf_params)
    right = crypto.derive_keys(factories.PASSWORD, user.kdf_salt, params).key
    private = crypto.unseal(right, user.private_key_sealed, PRIVATE_KEY_CONTEXT)
    data_key = crypto.random_key()
    assert crypto.unwrap_key(private, crypto.wrap_key(user.public_key, data_key, b"c"),
                             b"c") == data_key
    wrong = crypto.derive_keys("not the password", user.kdf_salt, params).key
    with pytest.raises(crypto.CryptoError):
        crypto.unseal(wrong, user.private_key_sealed, PRIVATE_KEY_CONTEXT)


def test_every_account_has_its_own_key_pair(session, school):
    """Do two accounts get different key pairs?"""
    one = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    two = factories.make_staff(session, school, Role.PEER_SUPPORTER)
    assert one.public_key != two.public_key


def test_duplicate_email_and_short_password_are_refused(session, school):
    """Are a second account with the same email, and a short password, refused clearly?"""
    factories.make_staff(session, school, Role.ADMIN, email="a@n.example")
    with pytest.raises(Conflict, match="already exists"):
        factories.make_staff(session, school, Role.ADMIN, email="A@N.example")
    with pytest.raises(Conflict, match="12 characters"):
        factories.make_staff(session, school, Role.ADMIN, email="b@n.example", password="short")


@pytest.mark.parametrize("email", ["a@b.example,postmaster", "Ada <a@b.example>", "ada"])
def test_a_staff_email_is_exactly_one_address(session, school, email):
    """Is an account refused whose email would send its notifications to two addresses?"""
    with pytest.raises(Conflict, match="is not an email address"):
        factories.make_staff(session, school, Role.PASTORAL_OFFICER, email=email)


def test_sign_in_refuses_wrong_password_and_unknown_user_alike(session, school):
    """Do a wrong password and an unknown email raise the same error, both audited?"""
    user = factories.make_staff(session, school, Role.ADMIN)
    with pytest.raises(InvalidCredentials):
        auth.sign_in(session, user.email, "wrong password!!", factories.FAST)
    with pytest.raises(InvalidCredentials):
        auth.sign_in(session, "nobody@n.example", "wrong password!!", factories.FAST)
    actions = session.scalars(select(AuditEntry.action)).all()
    assert actions.count("login.failed") == 2


def test_session_key_material_needs_both_cookie_and_database(session, school):
    """Does the session row open only with the cookie's key, and reveal nothing alone?"""
    user = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    ticket = auth.sign_in(session, user.email, factories.PASSWORD, factories.FAST)
    row = session.scalar(select(StaffSession))
    assert row.token_digest != ticket.token.encode()
    private = auth.session_private_key(row, ticket.session_key)
    assert len(private) == 32
    with pytest.raises(crypto.CryptoError):
        auth.session_private_key(row, crypto.random_key())


def test_totp_replay_is_refused(session, school):
    """Can the same authenticator code be used twice? It must not."""
    user = factories.make_staff(session, school, Role.ADMIN)
    code = factories.totp_code(user)
    auth.check_second_factor(session, user, code, factories.TOTP_KEY)
    with pytest.raises(InvalidSecondFactor):
        auth.check_second_factor(session, user, code, factories.TOTP_KEY)


@pytest.mark.parametrize("code", ["000000", "12345", "abcdef", "", "1234567", "１２３４５６"])
def test_wrong_totp_is_refused(session, school, code):
    """Are wrong, short, long, non-digit and full-width codes all refused?"""
    user = factories.make_staff(session, school, Role.ADMIN)
    if code == "000000" and factories.totp_code(user) == code:
        code = "999999"
    with pytest.raises(InvalidSecondFactor):
        auth.check_second_factor(session, user, code, factories.TOTP_KEY)


def test_pending_session_is_not_a_full_session(session, school):
    """Does a password alone (no second factor) give a usable session? It must not."""
    user = factories.make_staff(session, school, Role.ADMIN)
    ticket = auth.sign_in(session, user.email, factories.PASSWORD, factories.FAST)
    assert auth.find_session(session, ticket.token, TIMEOUTS) is None
    assert auth.find_session(session, ticket.token, TIMEOUTS, pending=True) is not None


def test_idle_and_absolute_timeouts_end_sessions(session, school):
    """Does a session end after 30 idle minutes, and after 12 hours whatever happens?"""
    user = factories.make_staff(session, school, Role.ADMIN)
    ticket = auth.sign_in(session, user.email, factories.PASSWORD, factories.FAST)
    row = session.scalar(select(StaffSession))
    auth.complete_sign_in(session, row, factories.totp_code(user), factories.TOTP_KEY)
    assert auth.find_session(session, ticket.token, TIMEOUTS) is row
    row.last_seen_at = utcnow() - timedelta(minutes=31)
    assert auth.find_session(session, ticket.token, TIMEOUTS) is None
    assert row.ended_at is not None
    row.ended_at, row.last_seen_at = None, utcnow()
    row.created_at = utcnow() - timedelta(hours=13)
    assert auth.find_session(session, ticket.token, TIMEOUTS) is None


def test_the_idle_timer_moves_in_steps_and_never_lets_a_session_live_longer(session, school):
    """Does a request just after the last write of the idle timer leave it alone (no write),
    one a step later move it, and does an idle session still end on time, or sooner?"""
    user = factories.make_staff(session, school, Role.ADMIN)
    ticket = auth.sign_in(session, user.email, factories.PASSWORD, factories.FAST)
    row = session.scalar(select(StaffSession))
    auth.complete_sign_in(session, row, factories.totp_code(user), factories.TOTP_KEY)
    session.commit()
    written = row.last_seen_at
    assert auth.find_session(session, ticket.token, TIMEOUTS) is row
    assert row.last_seen_at == written and not session.dirty
    row.last_seen_at = written = utcnow() - auth.IDLE_TIMER_STEP
    session.commit()
    assert auth.find_session(session, ticket.token, TIMEOUTS) is row
    assert row.last_seen_at > written
    row.last_seen_at = utcnow() - TIMEOUTS.idle - timedelta(seconds=1)
    assert auth.find_session(session, ticket.token, TIMEOUTS) is None


def test_admin_reset_loses_old_key_and_ends_sessions(session, school):
    """After an admin reset, is the old key gone (no recovery) and every session ended?"""
    user = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    old_public = user.public_key
    wrapped_for_old = crypto.wrap_key(old_public, crypto.random_key(), b"case")
    auth.sign_in(session, user.email, factories.PASSWORD, factories.FAST)
    reset_password(session, "admin", user, password="a brand new password", params=factories.FAST)
    assert user.public_key != old_public
    assert all(row.ended_at for row in session.scalars(select(StaffSession)))
    new_key = crypto.derive_keys("a brand new password", user.kdf_salt, factories.FAST).key
    new_private = crypto.unseal(new_key, user.private_key_sealed, PRIVATE_KEY_CONTEXT)
    with pytest.raises(crypto.CryptoError):
        crypto.unwrap_key(new_private, wrapped_for_old, b"case")
