"""The school's own words in Welsh (issue 15, point 4): the directory, the urgent contact,
routing reasons and the quick exit, on student pages and in the admin's editors."""

from __future__ import annotations

from sqlalchemy import select

from reporting.domain.directory import EntryFields, Kind
from reporting.domain.roles import Role
from reporting.models import AuditEntry, School, SupportRevision
from reporting.services.directory import create_entry, current_revision
from tests.conftest import post_form
from tests.web.reporting_pages import ANSWERS, STEPS, start

NOTE = "(Dim ond yn Saesneg y mae hwn ar gael)"
RULES = ("when wants peer then peer because Peers who have been there. cymraeg Cymheiriaid sydd "
         "wedi bod drwy hyn.\notherwise pastoral because Pastoral staff will help.")


def seed(session, school, name: str, **changes):
    answers = dict(kind=Kind.WELLBEING.value, name=name, offers="Someone to talk to.",
                   url="https://wellbeing.example.ac.uk/", hours="Weekdays")
    entry = create_entry(session, "test", school, EntryFields(**{**answers, **changes}))
    session.commit()
    return entry


def test_a_welsh_page_shows_the_welsh_of_an_entry(client, session, school):
    seed(session, school, "Student Wellbeing", name_cy="Lles Myfyrwyr",
         offers_cy="Rhywun i siarad ag ef.", hours_cy="Yn ystod yr wythnos")
    page = client.get("/s/northfield/support?lang=cy").get_data(as_text=True)
    entry = page[page.index('<article class="entry"'):page.index("</article>")]
    assert "Lles Myfyrwyr" in entry and "Rhywun i siarad ag ef." in entry
    assert "Yn ystod yr wythnos" in entry
    assert "Student Wellbeing" not in entry and NOTE not in entry


def test_missing_welsh_shows_the_english_marked_and_noted(client, session, school):
    seed(session, school, "Chaplaincy", name_cy="Caplaniaeth")  # offers and hours: no Welsh
    page = client.get("/s/northfield/support?lang=cy").get_data(as_text=True)
    assert "Caplaniaeth" in page
    assert f'<span lang="en">Someone to talk to.</span> <span class="only-in-english">{NOTE}' \
        in page
    assert '<span lang="en">Weekdays</span>' in page


def test_an_english_page_shows_the_english(client, session, school):
    seed(session, school, "Student Wellbeing", name_cy="Lles Myfyrwyr")
    page = client.get("/s/northfield/support").get_data(as_text=True)
    assert "Student Wellbeing" in page and "Lles Myfyrwyr" not in page and NOTE not in page
    printed = client.get("/s/northfield/support/print?lang=cy").get_data(as_text=True)
    assert "Lles Myfyrwyr" in printed


def test_the_urgent_contact_in_welsh_and_its_fallback(client, session, school):
    english = client.get("/s/northfield/support?lang=cy").get_data(as_text=True)
    assert '<span lang="en">Duty wellbeing officer: 0113 496 0000</span>' in english
    session.get(School, school.id).urgent_contact_cy = "Swyddog lles ar ddyletswydd: 0113 496 0000"
    session.commit()
    welsh = client.get("/s/northfield/support?lang=cy").get_data(as_text=True)
    assert "<li>Swyddog lles ar ddyletswydd: 0113 496 0000</li>" in welsh
    assert "Swyddog lles" not in client.get("/s/northfield/support").get_data(as_text=True)


def test_the_admin_sees_which_entries_lack_welsh(login_as, session, school):
    seed(session, school, "Complete", name_cy="Cyflawn", offers_cy="Rhywun.", hours_cy="Bob dydd")
    seed(session, school, "English only")
    page = login_as(Role.ADMIN).get("/admin/directory").get_data(as_text=True)
    rows = {row.split("</td>")[0]: row for row in page.split("<td>")[1:]}
    assert "No Welsh yet" in rows[next(key for key in rows if key.startswith("English only"))]
    assert "No Welsh yet" not in rows[next(key for key in rows if key.startswith("Complete"))]


def test_a_welsh_edit_is_a_new_version_in_the_history(login_as, session, school):
    entry = seed(session, school, "Student Wellbeing")
    first = current_revision(session, entry)
    admin = login_as(Role.ADMIN)
    form = {"kind": "wellbeing", "name": "Student Wellbeing", "offers": "Someone to talk to.",
            "url": "https://wellbeing.example.ac.uk/", "hours": "Weekdays",
            "confidential": "yes", "creates_record": "no", "revision": first.id,
            "name_cy": "Lles Myfyrwyr", "offers_cy": "Rhywun i siarad ag ef.",
            "hours_cy": "Yn ystod yr wythnos"}
    url = f"/admin/directory/edit?entry={entry.id}"
    assert 'lang="cy"' in admin.get(url).get_data(as_text=True)  # the Welsh boxes say so
    assert post_form(admin, url, form).status_code == 302
    session.expire_all()
    revisions = session.scalars(select(SupportRevision).where(
        SupportRevision.entry_id == entry.id).order_by(SupportRevision.id)).all()
    assert [(r.name_cy, r.valid_to is None) for r in revisions] == [
        ("", False), ("Lles Myfyrwyr", True)]
    history = admin.get(f"/admin/directory/history?entry={entry.id}").get_data(as_text=True)
    assert "Version 2" in history and '<dd lang="cy">Lles Myfyrwyr</dd>' in history
    assert "No Welsh yet" in history  # version 1 had none
    listing = admin.get("/admin/directory").get_data(as_text=True)
    assert "No Welsh yet" not in listing.split("<tbody>")[1].split("</tbody>")[0]


def test_the_admin_sets_the_urgent_contact_in_both_languages(login_as, session, school):
    admin = login_as(Role.ADMIN)
    page = admin.get("/admin/directory").get_data(as_text=True)
    assert "Urgent contact in Welsh (optional)" in page and "No Welsh yet" in page
    saved = post_form(admin, "/admin/directory/urgent-contact", {
        "urgent_contact": "Wellbeing duty line: 0113 496 0000",
        "urgent_contact_cy": "Llinell ddyletswydd lles: 0113 496 0000"},
        from_url="/admin/directory")
    assert saved.status_code == 302
    session.expire_all()
    stored = session.get(School, school.id)
    assert (stored.urgent_contact, stored.urgent_contact_cy) == (
        "Wellbeing duty line: 0113 496 0000", "Llinell ddyletswydd lles: 0113 496 0000")
    assert session.scalar(select(AuditEntry.action).where(
        AuditEntry.action == "school.urgent_contact")) == "school.urgent_contact"
    refused = post_form(admin, "/admin/directory/urgent-contact", {
        "urgent_contact": "", "urgent_contact_cy": "Cymraeg yn unig"}, from_url="/admin/directory")
    assert refused.status_code == 400
    assert "Give the urgent contact in English too" in refused.get_data(as_text=True)


def _review(client, lang: str, **changes) -> str:
    data = {**start(client), **ANSWERS, **changes}
    for step in STEPS[:-1]:
        response = client.post(f"/s/northfield/report?lang={lang}", data={**data, "step": step})
        assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_review_step_gives_the_reason_in_the_page_language(app, login_as, session, school):
    admin = login_as(Role.ADMIN)
    assert post_form(admin, "/admin/routing", {"source": RULES, "action": "save"}
                     ).status_code == 302
    welsh = _review(app.test_client(), "cy", wants=["peer"])
    assert "Cymheiriaid sydd wedi bod drwy hyn." in welsh
    assert "Peers who have been there." not in welsh
    english = _review(app.test_client(), "en", wants=["peer"])
    assert "Peers who have been there." in english and "Cymheiriaid" not in english
    fallback = _review(app.test_client(), "cy", wants=["support"])
    assert f'<span lang="en">Pastoral staff will help.</span> <span class="only-in-english">' \
        f'{NOTE}</span>' in fallback


def test_the_baseline_reasons_come_in_welsh(client, school):
    page = _review(client, "cy", wants=["peer"])
    assert "Gofynnoch chi am gael siarad â myfyriwr sydd wedi bod drwy rywbeth tebyg." in page


def test_the_routing_editor_marks_reasons_without_welsh(login_as, session):
    admin = login_as(Role.ADMIN)
    assert "No Welsh yet" not in admin.get("/admin/routing").get_data(as_text=True)  # baseline
    page = post_form(admin, "/admin/routing", {
        "source": RULES, "action": "preview", "example-safe": "yes",
        "example-wants": ["peer"], "example-urgency": "low", "example-setting": "online",
        "example-responsible": "student", "example-grounds": ["race"],
        "example-identity": "anonymous"}).get_data(as_text=True)
    assert "The reason on line 2 has no Welsh yet." in page
    assert "No Welsh yet" in page
    assert "<code>cymraeg</code>" in page  # the help says how


def test_the_quick_exit_from_a_welsh_page_goes_to_a_welsh_page(app, client):
    assert client.get("/exit?lang=cy").headers["Location"] == app.config["QUICK_EXIT_URL_CY"]
    assert app.config["QUICK_EXIT_URL_CY"] == "https://www.bbc.co.uk/tywydd"
    assert client.get("/exit").headers["Location"] == app.config["QUICK_EXIT_URL"]
    by_browser = client.get("/exit", headers={"Accept-Language": "cy"})  # no ?lang: the browser's
    assert by_browser.headers["Location"] == app.config["QUICK_EXIT_URL_CY"]
    assert client.get("/exit?lang=en", headers={"Accept-Language": "cy"}).headers[
        "Location"] == app.config["QUICK_EXIT_URL"]
