"""The admin's staff pages through the test client: who reaches them, and what a leaver's
copied cookie and a spent enrolment link are worth."""

from __future__ import annotations

from sqlalchemy import select

from reporting.crypto import token_digest
from reporting.domain.roles import ChannelKind, Role
from reporting.models import Case, OutboxMessage, StaffUser
from reporting.services import staff_admin
from tests import factories
from tests.conftest import csrf_token, post_form
from tests.web.conftest import routes

STAFF_PAGES = "admin.staff"


def link_in(message) -> str:
    """The enrolment path an email carries."""
    return "/auth/enrol/" + message.get_content().split("/auth/enrol/")[1].split()[0]


def clients_case(session, school) -> str:
    """The case the clients fixture filed."""
    return session.scalar(select(Case.id).where(Case.school_id == school.id))


def _staff_routes(app):
    return [(url, method) for endpoint, url, method in routes(app)
            if endpoint.startswith(STAFF_PAGES)]


def test_a_pastoral_officer_reaches_no_staff_page(app, clients):
    """Is every staff-admin page and action refused (403) to a pastoral officer, even with a
    valid CSRF token and a filled-in form?"""
    officer = clients["pastoral"]
    token = csrf_token(officer, "/staff/settings")
    data = {"csrf_token": token, "confirm": "y", "channel": "1", "reset_password": "x" * 20,
            "display_name": "Mallory", "email": "mallory@test.example",
            "role": "admin", "password": "x" * 20}
    assert len(_staff_routes(app)) == 6
    for url, method in _staff_routes(app):
        response = officer.get(url) if method == "GET" else officer.post(url, data=data)
        assert response.status_code == 403, url
    assert officer.post("/admin/staff/invite", data=data).status_code == 403


def test_another_schools_admin_cannot_touch_this_schools_staff(app, session, clients):
    """Does a hand-made, well-formed POST from another school's admin get 404 and change
    nothing?"""
    outsider = clients["other_school_admin"]
    target = clients["pastoral"].user
    token = csrf_token(outsider, "/admin/staff")
    for action, data in (("deactivate", {"confirm": "y"}),
                         ("reset", {"reset_password": "a new password here"}),
                         ("move", {"channel": str(target.memberships[0].channel_id)})):
        response = outsider.post(f"/admin/staff/{target.id}/{action}",
                                 data={"csrf_token": token, **data})
        assert response.status_code == 404, action
    assert outsider.get(f"/admin/staff/{target.id}").status_code == 404
    session.refresh(target)
    assert target.active and target.staff_role is Role.PASTORAL_OFFICER
    assert ">pastoral@test.example<" not in outsider.get("/admin/staff").get_data(as_text=True)


def test_an_invitation_enrols_once(app, session, school, clients, inline_mail):
    """Does an invitation from the page email a link (kept sealed only until sent) that
    enrols once, and is the spent link then refused?"""
    admin = clients["admin"]
    response = post_form(admin, "/admin/staff/invite", {
        "display_name": "Nia Okafor", "email": "nia@test.example", "role": "pastoral_officer",
        "password": factories.PASSWORD})
    assert response.status_code == 302
    user = session.scalar(select(StaffUser).filter_by(email="nia@test.example"))
    row = session.scalar(select(OutboxMessage).filter_by(kind="enrolment", staff_id=user.id))
    assert row.sent_at is not None and row.link_sealed is None
    link = link_in(inline_mail.to("nia@test.example")[0])
    assert user.enrolment_digest == token_digest(link.rsplit("/", 1)[1])
    listed = admin.get("/admin/staff").get_data(as_text=True)
    assert "Nia Okafor" in listed and "Invited" in listed
    newcomer = app.test_client()
    assert post_form(newcomer, link,
                     {"password": factories.PASSWORD}).status_code == 302
    done = post_form(newcomer, "/auth/two-factor", {"code": factories.totp_code(user)})
    assert done.status_code == 302 and done.location.endswith("/staff/")
    assert app.test_client().get(link).status_code == 404


def test_a_deactivated_account_can_do_nothing_with_a_copied_cookie(app, session, school,
                                                                   clients):
    """Once an admin deactivates a handler, does their browser's cookie (and a copy of it)
    reach nothing, and can they not sign in again?"""
    officer = clients["pastoral"]
    copy = app.test_client()
    name = app.config["SESSION_COOKIE_NAME"]
    copy.set_cookie(name, officer.get_cookie(name).value)
    assert copy.get("/staff/").status_code == 200
    token = csrf_token(copy, "/staff/settings")
    user = officer.user
    response = post_form(clients["admin"], f"/admin/staff/{user.id}/deactivate",
                         {"confirm": "y"}, from_url=f"/admin/staff/{user.id}")
    assert response.status_code == 302
    for client in (officer, copy):
        assert client.get("/staff/").status_code == 302
        assert client.get(f"/staff/cases/{clients_case(session, school)}").status_code == 302
        assert client.post("/staff/settings", data={"csrf_token": token,
                                                    "notify_mode": "digest"}).status_code == 302
    session.refresh(user)
    assert user.notify_mode == "immediate" and not user.active
    again = post_form(app.test_client(), "/auth/login",
                      {"email": user.email, "password": factories.PASSWORD})
    assert again.status_code == 200 and "do not match an account" in again.get_data(as_text=True)
    page = clients["admin"].get(f"/admin/staff/{user.id}").get_data(as_text=True)
    assert "Deactivated since" in page


def test_the_last_admin_cannot_deactivate_themselves_from_the_page(app, session, clients):
    """Is the page's deactivation of the school's only admin refused with a reason?"""
    admin = clients["admin"]
    me = admin.user
    response = post_form(admin, f"/admin/staff/{me.id}/deactivate", {"confirm": "y"},
                         from_url=f"/admin/staff/{me.id}")
    assert response.status_code == 400
    assert "last active administrator" in response.get_data(as_text=True)
    session.refresh(me)
    assert me.active and staff_admin.state_of(me, me.created_at) == "enrolled"


def test_a_move_and_a_reset_from_the_page(app, session, school, clients, inline_mail):
    """Does the page move a handler (wrong passphrase: nothing moves), then reset them with
    an email that says so?"""
    admin, user = clients["admin"], clients["institutional"].user
    page = f"/admin/staff/{user.id}"
    pastoral = school.channel(ChannelKind.PASTORAL).id
    wrong = post_form(admin, f"{page}/move", {"channel": pastoral, "move_passphrase": "nope"},
                      from_url=page)
    assert wrong.status_code == 400 and "does not open" in wrong.get_data(as_text=True)
    moved = post_form(admin, f"{page}/move", {
        "channel": pastoral, "move_passphrase": factories.ESCROW_PASSPHRASE}, from_url=page)
    assert moved.status_code == 302
    session.refresh(user)
    assert user.staff_role is Role.PASTORAL_OFFICER and user.channel_ids == {pastoral}
    assert "has moved channel" in admin.get(page).get_data(as_text=True)
    reset = post_form(admin, f"{page}/reset", {"reset_password": "another long password"},
                      from_url=page)
    assert reset.status_code == 302
    [email] = inline_mail.to(user.email)
    assert email["Subject"] == "Your Belong sign-in was reset" and link_in(email)
    assert clients["institutional"].get("/staff/").status_code == 302  # their session ended
