"""The support directory through the test client: admin pages, browsing, print, receipt."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from reporting.domain.directory import EntryFields, Kind
from reporting.domain.roles import Role
from reporting.models import AuditEntry, SupportEntry, SupportRevision
from reporting.services.directory import create_entry, current_revision, retire_entry
from tests import factories
from tests.conftest import post_form
from tests.web.reporting_pages import ANSWERS, CHOSEN, STEPS, post_step, start

FORM = {"kind": "peer_network", "name": "BAME Medics", "offers": "Socials and mentoring.",
        "tags": ["race"], "channels": ["peer"], "url": "https://bame.example.ac.uk/",
        "phone": "0113 496 0123", "email": "bame@example.ac.uk", "hours": "Wednesdays",
        "confidential": "yes", "creates_record": "no"}


def entries(session) -> int:
    return session.scalar(select(func.count()).select_from(SupportEntry))


def seed(session, school, name: str, **changes) -> SupportEntry:
    """An entry made through the service, committed."""
    answers = dict(kind=Kind.PEER_NETWORK.value, name=name, offers="Peer support.",
                   url="https://peer.example.ac.uk/")
    entry = create_entry(session, "test", school, EntryFields(**{**answers, **changes}))
    session.commit()
    return entry


def test_an_admin_adds_edits_and_retires_an_entry(login_as, session, school):
    """Can an admin add, edit and retire an entry, each audited, with every version kept?"""
    admin = login_as(Role.ADMIN)
    response = post_form(admin, "/admin/directory/new", FORM)
    assert response.status_code == 302, response.get_data(as_text=True)
    entry = session.scalar(select(SupportEntry))
    listing = admin.get("/admin/directory").get_data(as_text=True)
    assert "BAME Medics" in listing and "Current since" in listing

    edit_url = f"/admin/directory/edit?entry={entry.id}"
    form_page = admin.get(edit_url).get_data(as_text=True)
    assert 'value="https://bame.example.ac.uk/"' in form_page
    revision = re.search(r'name="revision" type="hidden" value="(\d+)"', form_page).group(1)
    response = post_form(admin, edit_url, {**FORM, "name": "BAME Medics Society",
                                           "revision": revision})
    assert response.status_code == 302, response.get_data(as_text=True)
    history = admin.get(f"/admin/directory/history?entry={entry.id}").get_data(as_text=True)
    assert "Version 2" in history and "BAME Medics Society" in history
    assert "Version 1" in history and ">BAME Medics<" in history

    response = post_form(admin, "/admin/directory/retire", {"entry": entry.id},
                         from_url="/admin/directory")
    assert response.status_code == 302
    assert "Retired" in admin.get("/admin/directory").get_data(as_text=True)
    session.expire_all()
    assert [r.valid_to is not None for r in session.scalars(select(SupportRevision))] == [
        True, True]
    actions = session.scalars(select(AuditEntry.action).where(
        AuditEntry.action.like("directory.%")).order_by(AuditEntry.seq)).all()
    assert actions == ["directory.create", "directory.edit", "directory.retire"]


def test_changes_without_the_csrf_token_are_refused(login_as, session, school):
    """Is a forged POST (no CSRF token) to add or retire refused, with nothing changed?"""
    admin = login_as(Role.ADMIN)
    entry = seed(session, school, "Chaplaincy")
    assert admin.post("/admin/directory/new", data=FORM).status_code == 400
    assert admin.post("/admin/directory/retire", data={"entry": entry.id}).status_code == 400
    assert entries(session) == 1 and current_revision(session, entry) is not None


@pytest.mark.parametrize(("changes", "message"), [
    ({"url": "javascript:alert(document.cookie)"}, "Enter a full web address starting with"),
    ({"url": "http://bame.example.ac.uk/"}, "http:// links are refused"),
    ({"url": "https://x.example/\"><script>alert(1)</script>"}, "Enter a full web address"),
    ({"phone": "0113 496 0123; DROP TABLE"}, "Enter a phone number like"),
    ({"email": "<script>@example.com"}, "Enter an email address like"),
    ({"name": "x" * 121}, "Keep the name under 120 characters."),
    ({"offers": "y" * 1001}, "Keep what it offers under 1,000 characters."),
    ({"name": "Bell\x07"}, "Remove the hidden control characters"),
    ({"offers": "Looks fine \u202egnp.exe"}, "Remove the hidden control characters"),
    ({"tags": ["race", "' OR 1=1 --"]}, "Choose who it is for from the list."),
    ({"channels": ["admin"]}, "Choose the kinds of report from the list."),
    ({"kind": "<b>kind</b>"}, "Not a valid choice"),
    ({"url": "", "phone": "", "email": ""}, "Give at least one way to reach it"),
])
def test_hostile_input_is_refused_with_a_message(login_as, session, school, changes, message):
    """Is each bad answer refused with a clear message (never a 500), the other answers kept?"""
    admin = login_as(Role.ADMIN)
    response = post_form(admin, "/admin/directory/new", {**FORM, **changes})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page and "There is a problem" in page
    assert 'value="Wednesdays"' in page  # the other answers are kept
    assert "<script>" not in page and entries(session) == 0


def test_markup_and_unicode_are_shown_as_text_everywhere(login_as, app, session, school):
    """Do injection strings and unicode show literally on the student and admin pages?"""
    admin = login_as(Role.ADMIN)
    hostile = {**FORM, "name": "<script>alert(1)</script> Medics 🩺 ŵ 医学",
               "offers": "\"><img src=x onerror=alert(1)> {{ 7*7 }} {% raw %}"}
    assert post_form(admin, "/admin/directory/new", hostile).status_code == 302
    for page in (app.test_client().get("/s/northfield/support").get_data(as_text=True),
                 app.test_client().get("/s/northfield/support/print").get_data(as_text=True),
                 admin.get("/admin/directory").get_data(as_text=True)):
        assert "<script>alert(1)</script>" not in page and "<img" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt; Medics 🩺 ŵ 医学" in page
    student = app.test_client().get("/s/northfield/support").get_data(as_text=True)
    assert "{{ 7*7 }} {% raw %}" in student  # not evaluated as a template


def test_other_roles_and_schools_cannot_touch_the_directory(login_as, session, school):
    """Do handlers get 403, and another school's admin 404 for this school's entry?"""
    entry = seed(session, school, "Chaplaincy")
    handler = login_as(Role.PASTORAL_OFFICER)
    assert handler.get("/admin/directory").status_code == 403
    assert post_form(handler, "/admin/directory/new", FORM,
                     from_url="/staff/settings").status_code == 403
    other = factories.make_school(session, slug="southbank")
    session.commit()
    outsider = login_as(Role.ADMIN, at_school=other, email="admin@southbank.example")
    assert outsider.get(f"/admin/directory/edit?entry={entry.id}").status_code == 404
    assert outsider.get(f"/admin/directory/history?entry={entry.id}").status_code == 404
    assert post_form(outsider, "/admin/directory/retire", {"entry": entry.id},
                     from_url="/admin/directory").status_code == 404
    assert "Chaplaincy" not in outsider.get("/admin/directory").get_data(as_text=True)
    assert current_revision(session, entry) is not None


def test_a_stale_edit_is_refused_and_the_answers_kept(login_as, session, school):
    """If another admin saved first, is my edit refused with my answers kept, then saveable?"""
    entry = seed(session, school, "Chaplaincy")
    admin = login_as(Role.ADMIN)
    url = f"/admin/directory/edit?entry={entry.id}"
    page = admin.get(url).get_data(as_text=True)
    seen = re.search(r'name="revision" type="hidden" value="(\d+)"', page).group(1)
    mine = {**FORM, "name": "Mine", "revision": seen}
    assert post_form(admin, url, {**FORM, "name": "Theirs", "revision": seen}).status_code == 302
    response = post_form(admin, url, mine)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Someone else changed this entry" in page
    assert 'value="Mine"' in page
    fresh = re.search(r'name="revision" type="hidden" value="(\d+)"', page).group(1)
    assert post_form(admin, url, {**mine, "revision": fresh}).status_code == 302
    assert current_revision(session, entry).name == "Mine"


def test_students_filter_the_directory_without_a_cookie(app, session, school):
    """Does filtering by ground and kind work as a plain GET that sets no cookie?"""
    seed(session, school, "BAME Medics", tags=("race",))
    seed(session, school, "LGBTQ+ Medics", tags=("sexual_orientation",))
    seed(session, school, "Chaplaincy", kind=Kind.CHAPLAINCY.value)
    retired = seed(session, school, "Old race scheme", tags=("race",))
    retire_entry(session, "test", retired)
    session.commit()
    client = app.test_client()
    everything = client.get("/s/northfield/support")
    assert "Set-Cookie" not in everything.headers and "csrf_token" not in everything.text
    assert "116 123" in everything.text and "LGBTQ+ Medics" in everything.text

    filtered = client.get("/s/northfield/support?tag=race&kind=")
    page = filtered.get_data(as_text=True)
    assert filtered.status_code == 200 and "Set-Cookie" not in filtered.headers
    assert "BAME Medics" in page and "Chaplaincy" in page and "Open to every student" in page
    assert "LGBTQ+ Medics" not in page and "Old race scheme" not in page
    assert page.index("999") < page.index("Show support") < page.index("BAME Medics")

    by_kind = client.get("/s/northfield/support?kind=chaplaincy").get_data(as_text=True)
    assert "Chaplaincy" in by_kind and "BAME Medics" not in by_kind

    hostile = client.get("/s/northfield/support?tag=<script>&kind=' OR 1=1")
    assert hostile.status_code == 400 and "Set-Cookie" not in hostile.headers
    assert "<script>" not in hostile.get_data(as_text=True)


def test_the_printable_page_lists_the_whole_current_directory(app, session, school):
    """Does the printable page show every current entry with its links as text, and no cookie?"""
    seed(session, school, "BAME Medics", tags=("race",), phone="0113 496 0123",
         email="bame@example.ac.uk", hours="Wednesdays")
    seed(session, school, "Samaritans", kind=Kind.HELPLINE.value, phone="116 123")
    retire_entry(session, "test", seed(session, school, "Gone"))
    session.commit()
    response = app.test_client().get("/s/northfield/support/print")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    assert "Peer network or student society" in page and "National helpline" in page
    assert ">https://peer.example.ac.uk/</a>" in page and ">0113 496 0123</a>" in page
    assert 'href="tel:01134960123"' in page and ">bame@example.ac.uk</a>" in page
    assert "Gone" not in page and "Last changed" in page and 'class="directory-print"' in page


def _send_report(client, **changes) -> str:
    """Walk the report form and send it; return the receipt page."""
    data = {**start(client), **ANSWERS, **changes}
    for step in STEPS[:-1]:
        response = post_step(client, step, data)
    data.setdefault("chosen_channel", CHOSEN.search(response.get_data(as_text=True)).group(1))
    return post_step(client, "review", data, content_type="multipart/form-data",
                     follow_redirects=True).get_data(as_text=True)  # to the receipt's page


def test_the_receipt_shows_support_matching_the_report(app, session, school):
    """After a race report sent to peers, does the receipt list race and peer entries only?"""
    seed(session, school, "BAME Medics", tags=("race",), channels=("peer",))
    seed(session, school, "LGBTQ+ Medics", tags=("sexual_orientation",), channels=("peer",))
    seed(session, school, "EDI Office", kind=Kind.EDI_COMPLAINTS.value,
         channels=("institutional",))
    page = _send_report(app.test_client(), grounds=["race"], chosen_channel="peer")
    assert "Support that matches your report" in page and "BAME Medics" in page
    assert "LGBTQ+ Medics" not in page and "EDI Office" not in page


def test_the_directory_on_a_past_date(login_as, session, school):
    """Does the past-date page show what the directory said then, and refuse bad dates?"""
    entry = seed(session, school, "Old name")
    revision = current_revision(session, entry)
    revision.valid_from = datetime(2026, 1, 10, 9, tzinfo=UTC)
    session.commit()
    admin = login_as(Role.ADMIN)
    url = f"/admin/directory/edit?entry={entry.id}"
    assert post_form(admin, url, {**FORM, "name": "New name",
                                  "revision": revision.id}).status_code == 302
    before = admin.get("/admin/directory/past?on=2026-01-09").get_data(as_text=True)
    assert "The directory had no entries then." in before
    then = admin.get("/admin/directory/past?on=2026-01-15").get_data(as_text=True)
    assert "Old name" in then and "New name" not in then and "1 entry" in then
    future = admin.get("/admin/directory/past?on=2099-01-01")
    assert future.status_code == 400 and "Choose today or an earlier date." in future.text
    garbage = admin.get("/admin/directory/past?on=<script>")
    assert garbage.status_code == 400 and "Enter a real date" in garbage.text
