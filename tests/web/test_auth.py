"""Staff sign-in through the pages: the negatives first."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select, update

from reporting.domain.roles import Role
from reporting.models import AuditEntry, StaffSession
from reporting.models.base import utcnow
from tests import factories
from tests.conftest import post_form

REFUSED = "That email and password do not match an account."


def test_wrong_password_and_unknown_user_get_the_same_answer(client, session, school):
    """Do a wrong password and an unknown email produce the identical page?"""
    user = factories.make_staff(session, school, Role.ADMIN)
    session.commit()
    wrong = post_form(client, "/auth/login", {"email": user.email, "password": "not it at all"})
    unknown = post_form(client, "/auth/login", {"email": "who@x.example",
                                                "password": "not it at all"})
    assert wrong.status_code == unknown.status_code == 200
    assert REFUSED in wrong.get_data(as_text=True)
    assert _comparable(wrong) == _comparable(unknown)


def _comparable(response) -> str:
    """The page without what legitimately differs: the typed email and the CSRF token."""
    return re.sub(r'value="[^"]*"', "", response.get_data(as_text=True))


def test_password_alone_does_not_open_staff_pages(client, session, school):
    """After the password but before the code, are staff pages still closed?"""
    user = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    session.commit()
    post_form(client, "/auth/login", {"email": user.email, "password": factories.PASSWORD})
    response = client.get("/staff/")
    assert response.status_code == 302 and response.location.endswith("/auth/login")


def test_wrong_and_replayed_codes_are_refused(client, app, session, school):
    """Is a wrong code refused, and a code already used refused in a second sign-in?"""
    user = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    session.commit()
    post_form(client, "/auth/login", {"email": user.email, "password": factories.PASSWORD})
    bad = post_form(client, "/auth/two-factor", {"code": "12345x"})
    assert "The code is 6 digits" in bad.get_data(as_text=True)
    good_code = factories.totp_code(user)
    wrong = "000000" if good_code != "000000" else "111111"
    assert "That code is not right" in post_form(
        client, "/auth/two-factor", {"code": wrong}).get_data(as_text=True)
    assert post_form(client, "/auth/two-factor", {"code": good_code}).status_code == 302
    replay = app.test_client()
    post_form(replay, "/auth/login", {"email": user.email, "password": factories.PASSWORD})
    response = post_form(replay, "/auth/two-factor", {"code": good_code})
    assert "That code is not right" in response.get_data(as_text=True)
    assert replay.get("/staff/").status_code == 302


def test_full_sign_in_reaches_the_right_home(login_as):
    """Does a handler land on the queue and an admin on the overview?"""
    handler = login_as(Role.PEER_SUPPORTER)
    assert handler.get("/auth/login").location.endswith("/staff/")
    admin = login_as(Role.ADMIN, email="boss@n.example")
    assert admin.get("/auth/login").location.endswith("/admin/")


def test_idle_session_expires(login_as, session):
    """After 30 idle minutes, does the next request go back to sign-in?"""
    client = login_as(Role.PASTORAL_OFFICER)
    assert client.get("/staff/").status_code == 200
    session.execute(update(StaffSession).values(last_seen_at=utcnow() - timedelta(minutes=31)))
    session.commit()
    assert client.get("/staff/").location.endswith("/auth/login")
    ended = session.scalar(select(StaffSession))
    assert ended.ended_at is not None and ended.sealed_private_key == b""


def test_sign_out_ends_the_server_session(login_as, app, session):
    """After signing out, does a copy of the old cookie open nothing?"""
    client = login_as(Role.PASTORAL_OFFICER)
    stolen = client.get_cookie("belong_session").value
    response = post_form(client, "/auth/logout", {}, from_url="/staff/")
    assert response.status_code == 302
    thief = app.test_client()
    thief.set_cookie("belong_session", stolen)
    assert thief.get("/staff/").status_code == 302
    assert session.scalar(select(StaffSession.sealed_private_key)) == b""  # nothing left to open


def test_staff_cookie_holds_no_fingerprint_of_the_client(login_as, app):
    """Does the signed-in cookie carry no hash of the IP address or browser (Flask-Login _id)?"""
    client = login_as(Role.PASTORAL_OFFICER)
    with client.session_transaction() as cookie:
        assert "_id" not in cookie and set(cookie) <= {"_user_id", "_fresh", "staff_key",
                                                       "csrf_token"}


def test_missing_csrf_token_is_refused(client, session, school):
    """Is a sign-in POST without its CSRF token refused with the 400 page (not processed)?"""
    user = factories.make_staff(session, school, Role.ADMIN)
    session.commit()
    response = client.post("/auth/login", data={"email": user.email,
                                                "password": factories.PASSWORD})
    assert response.status_code == 400
    assert "nothing was sent" in response.get_data(as_text=True)
    assert session.scalar(select(StaffSession.id)) is None


def test_sign_in_is_rate_limited(client, session, school):
    """Do repeated sign-in attempts from one client get 429 with the friendly page?"""
    statuses = [post_form(client, "/auth/login", {"email": f"x{n}@y.example",
                                                  "password": "wrong password"}).status_code
                for n in range(12)]  # other emails each time: the per-address limit alone
    assert statuses[:10] == [200] * 10 and statuses[-1] == 429


def test_failed_and_successful_sign_ins_are_audited(login_as, client, session, school):
    """Are failures and successes written to the audit log, without the password?"""
    post_form(client, "/auth/login", {"email": "x@y.example", "password": "hunter2hunter2"})
    login_as(Role.ADMIN)
    entries = session.scalars(select(AuditEntry)).all()
    actions = [entry.action for entry in entries]
    assert "login.failed" in actions and "login.success" in actions
    assert not any("hunter2" in entry.detail for entry in entries)


def test_enrolment_link_sets_up_the_authenticator_once(app, session, school):
    """Does the link ask for the password, show a QR code, confirm a code, then die?"""
    user = factories.make_staff(session, school, Role.PASTORAL_OFFICER, enrolled=False)
    token = user.enrolment_token
    session.commit()
    client = app.test_client()
    post_form(client, "/auth/login", {"email": user.email, "password": factories.PASSWORD})
    direct = client.get("/auth/two-factor")  # without the link: told to use it, no form
    assert "Set up your authenticator first" in direct.get_data(as_text=True)
    assert "csrf_token" not in direct.get_data(as_text=True)
    client = app.test_client()
    assert post_form(client, f"/auth/enrol/{token}",
                     {"password": "wrong password!"}).status_code == 200
    assert post_form(client, f"/auth/enrol/{token}",
                     {"password": factories.PASSWORD}).status_code == 302
    page = client.get("/auth/two-factor").get_data(as_text=True)
    assert "<svg" in page and factories.totp_secret(user) in page
    done = post_form(client, "/auth/two-factor", {"code": factories.totp_code(user, 1)})
    assert done.status_code == 302 and done.location.endswith("/staff/")
    assert app.test_client().get(f"/auth/enrol/{token}").status_code == 404


def test_expired_enrolment_link_is_refused(app, session, school):
    """Does an enrolment link stop working after it expires?"""
    user = factories.make_staff(session, school, Role.ADMIN, enrolled=False)
    user.enrolment_expires_at = utcnow() - timedelta(seconds=1)
    session.commit()
    assert app.test_client().get(f"/auth/enrol/{user.enrolment_token}").status_code == 404
