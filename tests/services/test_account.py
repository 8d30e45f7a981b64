"""A staff member's own account, through the services: password, authenticator, sessions,
and asking the admins for password help."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from reporting import crypto
from reporting.domain.errors import Conflict, InvalidCredentials, InvalidSecondFactor
from reporting.domain.roles import Role
from reporting.models import AuditEntry, OutboxMessage, StaffSession
from reporting.models.base import utcnow
from reporting.services import account, auth, password_help
from reporting.services.access_log import ACTION_WORDS
from reporting.services.casework import staff_keys
from reporting.services.delivery import send_due
from tests import factories
from tests.services.test_reports import private_key

TIMEOUTS = auth.SessionTimeouts(timedelta(minutes=30), timedelta(hours=12), timedelta(minutes=5))
NEW = "a new password of mine"


def _signed_in(session, user, steps_ahead: int = 0) -> StaffSession:
    """A full session of the user, as the sign-in pages make it."""
    ticket = auth.sign_in(session, user.email, factories.PASSWORD, factories.FAST)
    row = session.scalar(select(StaffSession).where(
        StaffSession.token_digest == crypto.token_digest(ticket.token)))
    auth.complete_sign_in(session, row, factories.totp_code(user, steps_ahead),
                          factories.TOTP_KEY)
    row.session_key = ticket.session_key  # for the test: what the cookie holds
    return row


def _actions(session) -> list[str]:
    return list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_a_wrong_current_password_changes_nothing(session, school):
    """Is a change refused with a wrong current password, audited, the password kept?"""
    user = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    here = _signed_in(session, user)
    verifier = user.password_verifier
    with pytest.raises(InvalidCredentials):
        account.change_password(session, user, here, current="not my password",
                                new=NEW, params=factories.FAST)
    assert user.password_verifier == verifier
    assert _actions(session)[-1] == "staff.password_change_refused"
    with pytest.raises(Conflict):
        account.change_password(session, user, here, current=factories.PASSWORD,
                                new="short", params=factories.FAST)


def test_a_new_password_keeps_the_key_pair_and_ends_the_other_sessions(session, school):
    """After a change: does the old password no longer open the private key and the new one
    open the same key (so a case key wrapped before still opens), does this session keep its
    key copy and every other session end?"""
    user = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    case = factories.make_report(session, school).case
    before = staff_keys(session, user, private_key(user), case)
    here, other = _signed_in(session, user), _signed_in(session, user, 1)
    account.change_password(session, user, here, current=factories.PASSWORD, new=NEW,
                            params=factories.FAST)
    session.flush()
    session.refresh(here)
    session.refresh(other)
    with pytest.raises(crypto.CryptoError):
        private_key(user)
    assert staff_keys(session, user, private_key(user, NEW), case) == before
    assert auth.session_private_key(here, here.session_key) == private_key(user, NEW)
    assert here.ended_at is None
    assert other.ended_at is not None and other.sealed_private_key == b""
    assert _actions(session)[-1] == "staff.password_changed"
    with pytest.raises(InvalidCredentials):
        auth.sign_in(session, user.email, factories.PASSWORD, factories.FAST)
    assert auth.sign_in(session, user.email, NEW, factories.FAST).token


def test_the_old_authenticator_stops_working_once_the_new_one_is_confirmed(session, school):
    """Replacing the authenticator: does a wrong code keep the old one, and after a right
    code from the new one is an old code refused, a new one accepted, other sessions ended?"""
    user = factories.make_staff(session, school, Role.PEER_SUPPORTER)
    old_secret = factories.totp_secret(user)
    here, other = _signed_in(session, user), _signed_in(session, user, 1)
    secret, sealed = account.new_authenticator(factories.TOTP_KEY, user)
    assert secret.encode() not in sealed
    with pytest.raises(InvalidSecondFactor):
        account.replace_authenticator(session, user, here, sealed,
                                      pyotp.TOTP(old_secret).now(), factories.TOTP_KEY)
    assert factories.totp_secret(user) == old_secret
    account.replace_authenticator(session, user, here, sealed, pyotp.TOTP(secret).now(),
                                  factories.TOTP_KEY)
    session.flush()
    session.refresh(other)
    assert factories.totp_secret(user) == secret and other.ended_at is not None
    later = utcnow().timestamp() + 30
    with pytest.raises(InvalidSecondFactor):
        auth.check_second_factor(session, user, pyotp.TOTP(old_secret).at(later),
                                 factories.TOTP_KEY)
    auth.check_second_factor(session, user, pyotp.TOTP(secret).at(later), factories.TOTP_KEY)
    assert "staff.authenticator_replaced" in _actions(session)


def test_a_new_secret_sealed_for_someone_else_is_refused(session, school):
    """Can a pending secret made for one account be confirmed on another? No."""
    one = factories.make_staff(session, school, Role.PEER_SUPPORTER)
    two = factories.make_staff(session, school, Role.ADMIN)
    secret, sealed = account.new_authenticator(factories.TOTP_KEY, one)
    with pytest.raises(InvalidSecondFactor):
        account.replace_authenticator(session, two, _signed_in(session, two), sealed,
                                      pyotp.TOTP(secret).now(), factories.TOTP_KEY)


def test_sessions_are_listed_and_ended_only_by_their_owner(session, school):
    """Does the list show one's live sessions only, and can one end one's own session but
    not another person's?"""
    user = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    someone = factories.make_staff(session, school, Role.ADMIN)
    here, other = _signed_in(session, user), _signed_in(session, user, 1)
    theirs = _signed_in(session, someone)
    auth.sign_in(session, user.email, factories.PASSWORD, factories.FAST)  # no code given
    session.flush()
    stale = session.scalars(select(StaffSession).order_by(StaffSession.id.desc())).first()
    stale.created_at = utcnow() - timedelta(minutes=6)  # past the wait for its code
    session.flush()
    assert {row.id for row in account.live_sessions(session, user, TIMEOUTS)} == {
        here.id, other.id}
    assert not account.end_own_session(session, user, theirs.id)
    assert theirs.ended_at is None
    assert account.end_own_session(session, user, other.id)
    assert other.ended_at is not None and other.sealed_private_key == b""
    assert not account.end_own_session(session, user, other.id)  # already ended
    assert [row.id for row in account.live_sessions(session, user, TIMEOUTS)] == [here.id]


def test_password_help_tells_the_admins_only_for_a_known_address(session, school):
    """Does asking for help queue one email per other active admin naming who asked, for a
    known address only, and only once an hour however often it is asked?"""
    officer = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    admins = [factories.make_staff(session, school, Role.ADMIN, email=f"a{n}@x.example")
              for n in range(2)]
    other_school = factories.make_school(session, slug="southbank")
    factories.make_staff(session, other_school, Role.ADMIN, email="far@x.example")
    session.flush()
    assert password_help.ask_for_help(session, "nobody@northfield.example") == 0
    assert session.scalar(select(OutboxMessage.id)) is None
    assert password_help.ask_for_help(session, officer.email.upper()) == 2
    rows = session.scalars(select(OutboxMessage)).all()
    assert {(row.kind, row.staff_id, row.about_staff_id) for row in rows} == {
        ("password_help", admin.id, officer.id) for admin in admins}
    assert password_help.ask_for_help(session, officer.email) == 0  # within the hour
    assert len(session.scalars(select(OutboxMessage)).all()) == 2
    assert password_help.ask_for_help(session, admins[0].email) == 1  # the other admin only


def test_the_access_log_has_words_for_every_self_service_action():
    """Does the access log name each new action in words, not as a code?"""
    assert {"staff.password_changed", "staff.password_change_refused",
            "staff.authenticator_replaced", "staff.authenticator_refused",
            "staff.session_ended", "staff.password_help_asked"} <= set(ACTION_WORDS)


def test_the_admins_email_names_who_asked_and_nothing_more(app, session, school, smtp,
                                                           mailer):
    """Does each admin get one plain email naming who asked (name and address), saying how
    the recovery goes, and with no link that would reset anything?"""
    officer = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    admin = factories.make_staff(session, school, Role.ADMIN)
    session.commit()
    password_help.ask_for_help(session, officer.email)
    session.commit()
    assert send_due(session, app.config, mailer, utcnow()) == 1
    [email] = smtp.to(admin.email)
    body = email.get_content()
    assert officer.display_name in email["Subject"] and officer.email in body
    assert "escrow" in body and f"{app.config['BASE_URL']}/admin/" in body
    assert factories.totp_secret(officer) not in body and "/auth/enrol/" not in body
