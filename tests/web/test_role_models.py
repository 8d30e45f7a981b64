"""Role models through the test client: students browse cookie-free and write without an
account; the volunteer is emailed without content, answers, and the student reads the
answer with the receipt; volunteers never reach cases."""

from __future__ import annotations

import re

import pytest

from reporting.domain.roles import Role
from reporting.services.role_models import profiles
from tests import factories
from tests.conftest import post_form, sign_in
from tests.services.test_role_models import fields

RECEIPT = re.compile(r'id="receipt"><strong>([0-9A-Z-]+)</strong>')


@pytest.fixture
def shown(session, school, volunteer):
    """The volunteer's approved profile."""
    admin = factories.make_staff(session, school, Role.ADMIN, email="boss@test.example")
    session.commit()
    profile = profiles.save_profile(session, volunteer, fields())
    profiles.approve_profile(session, admin, profile)
    return profile


def test_browsing_role_models_sets_no_cookie(client, shown):
    """Do the list, a filtered list and a profile leave no cookie?"""
    for url in ["/s/northfield/role-models",
                "/s/northfield/role-models?tag=race&tag=socio_economic&help=conversation",
                f"/s/northfield/role-models/{shown.id}"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Set-Cookie" not in response.headers, url
    assert client.get("/s/northfield/role-models?tag=nonsense").status_code == 400


def test_the_filter_is_not_logged(client, shown, caplog):
    """Does the filter a student chose stay out of the logs?"""
    caplog.set_level("DEBUG")
    client.get("/s/northfield/role-models?tag=sexual_orientation&tag=disability")
    assert "sexual_orientation" not in caplog.text


def test_a_student_writes_and_reads_the_answer_with_the_receipt(app, client, shown, volunteer,
                                                                inline_mail):
    """Does a message email the volunteer without its words, and the volunteer's answer
    reach the student who comes back with the receipt?"""
    page = post_form(client, f"/s/northfield/role-models/{shown.id}/write",
                     {"text": "Secret question about belonging"})
    receipt = RECEIPT.search(page.get_data(as_text=True)).group(1)
    [email] = inline_mail.to("ade@test.example")
    body = email.get_content()
    assert "Secret question" not in body and "/volunteer/" in body
    staff = app.test_client()
    sign_in(staff, volunteer)
    home = staff.get("/volunteer/").get_data(as_text=True)
    thread_url = re.search(r'href="(/volunteer/conversations/[0-9a-f]+)"', home).group(1)
    assert "Secret question about belonging" in staff.get(thread_url).get_data(as_text=True)
    assert post_form(staff, thread_url, {"action": "write", "text": "Happy to talk"}
                     ).status_code == 303
    assert post_form(client, "/s/northfield/role-models/return",
                     {"receipt": receipt}).status_code == 302
    thread = client.get("/s/northfield/role-models/conversation").get_data(as_text=True)
    assert "Happy to talk" in thread and "ade@test.example" not in thread


def test_a_wrong_receipt_opens_nothing(client, shown):
    """Does a made-up receipt say it does not match?"""
    page = post_form(client, "/s/northfield/role-models/return",
                     {"receipt": "0000-0000-0000-0000-0000"}).get_data(as_text=True)
    assert "does not match a conversation" in page


def test_an_unapproved_profile_is_not_there(client, session, volunteer):
    """Is a profile waiting for approval absent from the list and its pages?"""
    profile = profiles.save_profile(session, volunteer, fields())
    assert "Ade" not in client.get("/s/northfield/role-models").get_data(as_text=True)
    assert client.get(f"/s/northfield/role-models/{profile.id}").status_code == 404
    assert client.get(f"/s/northfield/role-models/{profile.id}/write").status_code == 404


def test_a_volunteer_never_reaches_case_pages(app, volunteer):
    """Is a signed-in volunteer refused the queue, cases and admin pages, and sent home?"""
    staff = app.test_client()
    assert sign_in(staff, volunteer).location.endswith("/volunteer/")
    for url in ["/staff/", "/staff/cases/anything", "/staff/settings", "/admin/"]:
        assert staff.get(url).status_code == 403, url


def test_a_volunteer_writes_a_profile_and_an_admin_approves_it(app, session, school,
                                                               volunteer, login_as):
    """Does a profile written on the page wait for the admin, then show after approval?"""
    staff = app.test_client()
    sign_in(staff, volunteer)
    assert post_form(staff, "/volunteer/profile", {
        "display_name": "Ade", "role_title": "GP", "tags": ["race", "disability"],
        "helps": ["mentoring"]}).status_code == 302
    student = app.test_client()
    assert "Ade" not in student.get("/s/northfield/role-models").get_data(as_text=True)
    admin = login_as(Role.ADMIN, email="approver@test.example")
    profile = profiles.own_profile(session, volunteer)
    assert post_form(admin, "/admin/role-models/approve", {"profile": profile.id},
                     from_url="/admin/role-models").status_code == 302
    page = student.get("/s/northfield/role-models?tag=race&tag=disability").get_data(
        as_text=True)
    assert "Ade" in page and "GP" in page


def test_a_flag_shows_the_admin_metadata_and_only_the_shared_excerpt(app, session, client,
                                                                     shown, login_as):
    """After a student flags a thread with an excerpt, does the admin's page show the flag
    but not the message, and the excerpt only with the escrow passphrase?"""
    page = post_form(client, f"/s/northfield/role-models/{shown.id}/write",
                     {"text": "Words only the volunteer reads"})
    receipt = RECEIPT.search(page.get_data(as_text=True)).group(1)
    post_form(client, "/s/northfield/role-models/return", {"receipt": receipt})
    assert post_form(client, "/s/northfield/role-models/conversation", {
        "action": "flag", "reason": "unkind", "excerpt": "The part I chose to share"},
        from_url="/s/northfield/role-models/conversation").status_code == 303
    admin = login_as(Role.ADMIN, email="reader@test.example")
    listing = admin.get("/admin/role-models").get_data(as_text=True)
    assert "Unkind, hostile or discriminatory" in listing
    assert "Words only the volunteer reads" not in listing
    assert "The part I chose to share" not in listing
    thread_id = re.search(r'<option value="([0-9a-f]+)"', listing).group(1)
    wrong = post_form(admin, "/admin/role-models/excerpt",
                      {"thread": thread_id, "passphrase": "not it"}, from_url="/admin/role-models")
    assert wrong.status_code == 400
    opened = post_form(admin, "/admin/role-models/excerpt", {
        "thread": thread_id, "passphrase": factories.ESCROW_PASSPHRASE},
        from_url="/admin/role-models").get_data(as_text=True)
    assert "The part I chose to share" in opened and "Words only the volunteer" not in opened
