"""Your account pages through the test client: password, authenticator, sessions, and the
"Forgot your password?" page."""

from __future__ import annotations

import re

import pyotp
from sqlalchemy import select

from reporting.domain.roles import Role
from reporting.models import OutboxMessage, StaffSession
from reporting.models.base import utcnow
from tests import factories
from tests.conftest import csrf_token, post_form, sign_in

NEW = "my own new password"
SECRET = re.compile(r'<code class="secret">([A-Z2-7]+)</code>')


def _second_client(app, user, steps_ahead: int = 1):
    client = app.test_client()
    assert sign_in(client, user, steps_ahead=steps_ahead).status_code == 302
    return client


def test_changing_the_password_signs_out_the_other_session_only(app, session, login_as):
    """After a change on one client, does it keep working, the other client get sent to
    sign in, and only the new password sign in?"""
    here = login_as(Role.PASTORAL_OFFICER)
    elsewhere = _second_client(app, here.user)
    assert elsewhere.get("/staff/").status_code == 200
    wrong = post_form(here, "/staff/account/password",
                      {"current": "not my password", "new": NEW, "confirm": NEW})
    assert "That is not your current password." in wrong.get_data(as_text=True)
    done = post_form(here, "/staff/account/password",
                     {"current": factories.PASSWORD, "new": NEW, "confirm": NEW})
    assert done.status_code == 302 and done.location.endswith("/staff/account/")
    assert here.get("/staff/").status_code == 200
    assert elsewhere.get("/staff/").status_code == 302
    refused = post_form(app.test_client(), "/auth/login",
                        {"email": here.user.email, "password": factories.PASSWORD})
    assert refused.status_code == 200
    assert post_form(app.test_client(), "/auth/login",
                     {"email": here.user.email, "password": NEW}).status_code == 302


def test_replacing_the_authenticator_through_the_page(app, session, login_as):
    """Does the page show a new QR code and key that stay the same until confirmed, refuse
    a code from the old app, and after a code from the new one refuse the old at sign-in?"""
    client = login_as(Role.ADMIN)
    old = factories.totp_secret(client.user)
    page = client.get("/staff/account/authenticator").get_data(as_text=True)
    secret = SECRET.search(page).group(1)
    assert "<svg" in page and secret != old
    assert SECRET.search(client.get("/staff/account/authenticator").get_data(
        as_text=True)).group(1) == secret
    refused = post_form(client, "/staff/account/authenticator",
                        {"code": pyotp.TOTP(old).now()})
    assert "That code is not right" in refused.get_data(as_text=True)
    done = post_form(client, "/staff/account/authenticator", {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 302
    session.expire_all()
    assert factories.totp_secret(client.user) == secret
    fresh = app.test_client()
    post_form(fresh, "/auth/login", {"email": client.user.email, "password": factories.PASSWORD})
    code = pyotp.TOTP(old).at(utcnow().timestamp() + 30)
    assert post_form(fresh, "/auth/two-factor", {"code": code}).status_code == 200


def test_ending_another_of_your_sessions_signs_it_out(app, session, login_as):
    """Does the account page list both sessions, mark this one, and ending the other make
    its cookie useless at once?"""
    here = login_as(Role.PEER_SUPPORTER)
    elsewhere = _second_client(app, here.user)
    page = here.get("/staff/account/").get_data(as_text=True)
    assert "This session (this browser)" in page and page.count("End session") == 1
    other = session.scalars(select(StaffSession).where(
        StaffSession.staff_id == here.user.id).order_by(StaffSession.id.desc())).first()
    token = csrf_token(here, "/staff/account/")
    ended = here.post(f"/staff/account/sessions/{other.id}/end", data={"csrf_token": token})
    assert ended.status_code == 302
    assert elsewhere.get("/staff/").status_code == 302
    assert here.get("/staff/").status_code == 200


def test_another_persons_session_cannot_be_ended_by_a_hand_made_post(app, session, login_as):
    """A POST naming someone else's session: is it a 404, their session untouched?"""
    mine = login_as(Role.PASTORAL_OFFICER)
    theirs = login_as(Role.INSTITUTIONAL_OFFICER)
    row = session.scalar(select(StaffSession).where(StaffSession.staff_id == theirs.user.id))
    token = csrf_token(mine, "/staff/account/")
    assert mine.post(f"/staff/account/sessions/{row.id}/end",
                     data={"csrf_token": token}).status_code == 404
    assert theirs.get("/staff/").status_code == 200
    assert mine.post(f"/staff/account/sessions/{row.id}/end").status_code == 400  # no token


def test_forgot_password_answers_the_same_for_known_and_unknown_addresses(app, session,
                                                                          school):
    """Is the page the same for an address with an account and one without, and only the
    first queues an email, to the admins?"""
    officer = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    admin = factories.make_staff(session, school, Role.ADMIN)
    session.commit()
    login = app.test_client().get("/auth/login").get_data(as_text=True)
    assert 'href="/auth/forgot-password"' in login

    def answer(email: str) -> str:
        response = post_form(app.test_client(), "/auth/forgot-password", {"email": email})
        assert response.status_code == 200
        return re.sub(r'value="[^"]*"', "", response.get_data(as_text=True))

    assert answer(officer.email) == answer("nobody@northfield.example")
    rows = session.scalars(select(OutboxMessage)).all()
    assert [(row.kind, row.staff_id, row.about_staff_id) for row in rows] == [
        ("password_help", admin.id, officer.id)]


def test_forgot_password_is_rate_limited(app, school):
    """Can one address send the form again and again? Not past the limit."""
    statuses = [post_form(app.test_client(), "/auth/forgot-password",
                          {"email": f"n{n}@x.example"}).status_code for n in range(4)]
    assert statuses[:3] == [200, 200, 200] and statuses[3] == 429
