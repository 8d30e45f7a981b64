"""Spaces to meet in Chromium, keyboard only, axe on every page state and reflow at 320 px:
an admin publishes a session; a student filters by two identities, downloads the .ics and
says "I might come"; the organiser sees "fewer than 5"."""

from __future__ import annotations

from datetime import date, timedelta

from reporting.domain.roles import Role
from reporting.services.spaces.sessions import cancel_session, create_session
from tests import factories
from tests.browser.conftest import (
    assert_accessible,
    choose,
    press_button,
    tab_to,
    tick,
    type_into,
)
from tests.browser.test_casework_journey import _sign_in_by_keyboard
from tests.browser.test_directory_journey import _reflows
from tests.services.test_spaces import session_fields


def _publish(page, day: date) -> None:
    """The admin's form, by keyboard: a session for race and faith, in person, step-free."""
    page.goto("/admin/spaces")
    assert_accessible(page)
    press_button(page, "Publish a session")
    assert_accessible(page)
    press_button(page, "Publish")  # nothing filled in: every problem named
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page)
    assert _reflows(page)
    type_into(page, "#title", "Faith, race and medicine: lunch")
    tick(page, "tags", "race")
    tick(page, "tags", "religion_belief")
    type_into(page, "#day", day.strftime("%m%d%Y"))  # Chromium's en-US date field
    type_into(page, "#starts", "1230P")
    type_into(page, "#ends", "0200P")
    choose(page, "online", "in_person")
    type_into(page, "#area", "Medical School, Worsley Building")
    type_into(page, "#join_details", "Room 2.14, second floor")
    type_into(page, "#facilitator", "Dr A. Mensah")
    tick(page, "access", "step_free")
    press_button(page, "Publish")
    page.wait_for_url("**/admin/spaces")
    assert page.get_by_text("Faith, race and medicine: lunch is published.").is_visible()
    assert_accessible(page)
    assert _reflows(page)


def test_a_session_is_published_found_added_to_a_calendar_and_counted(
        page, browser, live_server, session, school):
    """Keyboard only, from publishing to "fewer than 5", with no cookie before the student
    says they might come and how to join shown only after."""
    admin = factories.make_staff(session, school, Role.ADMIN)
    session.commit()
    _sign_in_by_keyboard(page, admin, landing="**/admin/")
    _publish(page, date.today() + timedelta(days=7))

    student = browser.new_context(base_url=live_server, accept_downloads=True).new_page()
    student.goto("/s/northfield/")
    press_button(student, "Spaces to meet")
    assert_accessible(student)
    assert _reflows(student)
    tick(student, "tag", "race")
    tick(student, "tag", "religion_belief")
    press_button(student, "Show sessions")
    assert "tag=race" in student.url and "tag=religion_belief" in student.url
    assert_accessible(student)
    assert _reflows(student)
    press_button(student, "Faith, race and medicine")
    assert student.get_by_text("Step-free access").is_visible()
    assert student.get_by_text("Room 2.14").count() == 0
    assert_accessible(student)
    assert _reflows(student)

    tab_to(student, "a[href$='/calendar.ics']")
    with student.expect_download() as download:
        student.keyboard.press("Enter")
    ics = open(download.value.path(), "rb").read()
    assert ics.startswith(b"BEGIN:VCALENDAR\r\n") and b"SUMMARY:Faith\\, race" in ics
    assert student.context.cookies() == []

    press_button(student, "I might come")
    assert student.get_by_role("heading", name="How to join").is_visible()
    assert student.get_by_text("Room 2.14, second floor").is_visible()
    assert len(student.context.cookies()) == 1
    assert_accessible(student)
    assert _reflows(student)
    student.context.close()

    page.goto("/admin/spaces")
    assert page.locator("td", has_text="fewer than 5").is_visible()
    assert_accessible(page)


def test_every_other_spaces_page_is_accessible(page, browser, live_server, session, school):
    """Do the archive, a cancelled session, the edit page and the leads page (with an error)
    pass axe and reflow, for the student and for the organiser?"""
    admin = factories.make_staff(session, school, Role.ADMIN)
    factories.make_staff(session, school, Role.PEER_SUPPORTER)
    space = create_session(session, "test", school, session_fields("Open lunch"))
    off = create_session(session, "test", school, session_fields("Called off", ("race",)))
    cancel_session(session, "test", off)
    old = create_session(session, "test", school, session_fields("Last term"))
    old.starts_at -= timedelta(days=30)
    old.ends_at -= timedelta(days=30)
    session.commit()
    for url in ["/s/northfield/spaces/past", f"/s/northfield/spaces/{off.id}",
                "/s/northfield/spaces/past?tag=nonsense"]:
        page.goto(url)
        assert_accessible(page)
        assert _reflows(page)
    assert page.context.cookies() == []

    _sign_in_by_keyboard(page, admin, landing="**/admin/")
    for url in ["/admin/spaces/past", f"/admin/spaces/edit?session={space.id}",
                "/admin/spaces/leads"]:
        page.goto(url)
        assert_accessible(page)
        assert _reflows(page)
    press_button(page, "Name as a lead")  # nobody chosen
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page)
