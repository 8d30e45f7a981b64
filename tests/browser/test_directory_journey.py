"""The support directory in Chromium: keyboard-only browsing by ground, axe on every page."""

from __future__ import annotations

from datetime import date

import pytest

from reporting.domain.directory import EntryFields, Kind
from reporting.domain.roles import Role
from reporting.services.directory import create_entry
from tests import factories
from tests.browser.conftest import NARROW, assert_accessible, choose, press_button, tab_to, tick

ENTRIES = [
    (Kind.PEER_NETWORK, "BAME Medics", ("race",), ("peer",)),
    (Kind.PEER_NETWORK, "LGBTQ+ Medics Network", ("sexual_orientation",), ("peer",)),
    (Kind.WELLBEING, "Student Wellbeing Service", (), ("pastoral",)),
    (Kind.HELPLINE, "Samaritans", (), ()),
]


@pytest.fixture
def directory(session, school):
    """A small directory and an admin to keep it."""
    made = [create_entry(session, "test", school, EntryFields(
        kind.value, name, f"What {name} offers.", tags=tags, channels=channels,
        url="https://support.example.ac.uk/", phone="0113 496 0000",
        email="help@example.ac.uk", hours="Monday to Friday, 9am to 5pm"))
        for kind, name, tags, channels in ENTRIES]
    admin = factories.make_staff(session, school, Role.ADMIN)
    session.commit()
    return {"entry": made[0], "admin": admin}


def _reflows(page) -> bool:
    page.set_viewport_size(NARROW)
    fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.set_viewport_size({"width": 1280, "height": 800})
    return fits


def test_a_student_filters_the_directory_by_a_ground_with_the_keyboard(page, directory):
    """Can a student, keyboard only, show the support for race and peer networks, cookie-free?"""
    page.goto("/s/northfield/")
    press_button(page, "Find support")
    page.wait_for_url("**/support")
    assert_accessible(page)
    assert _reflows(page)

    tick(page, "tag", "race")
    choose(page, "kind", "peer_network")
    press_button(page, "Show support")
    assert "tag=race" in page.url and "kind=peer_network" in page.url
    assert page.get_by_role("heading", name="BAME Medics").is_visible()
    assert page.get_by_role("heading", name="LGBTQ+ Medics Network").count() == 0
    assert page.get_by_role("heading", name="Samaritans").count() == 0  # not a peer network
    assert page.locator("input[name=tag][value=race]").is_checked()
    assert_accessible(page)
    assert _reflows(page)
    assert page.context.cookies() == []

    tab_to(page, "a[href$='/support/print']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", name="Samaritans").is_visible()
    assert_accessible(page)
    assert page.context.cookies() == []


def test_the_printable_page_prints_without_navigation(page, directory):
    """Printed, does the directory drop the quick exit and navigation but keep links as text?"""
    page.goto("/s/northfield/support/print")
    assert_accessible(page)
    assert _reflows(page)
    page.emulate_media(media="print")
    assert page.locator(".quick-exit").is_hidden() and page.locator(".site-header").is_hidden()
    assert page.get_by_text("https://support.example.ac.uk/").first.is_visible()
    assert page.get_by_role("heading", name="National helpline").is_visible()


def test_every_admin_directory_page_is_accessible(page, directory):
    """Do the list, add (with errors), edit, history and past-date pages pass axe?"""
    admin, entry = directory["admin"], directory["entry"]
    page.goto("/auth/login")
    page.fill("#email", admin.email)
    page.fill("#password", factories.PASSWORD)
    page.click("button[type=submit]")
    page.fill("#code", factories.totp_code(admin))
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")

    page.goto("/admin/directory")
    assert page.locator("h1").inner_text() == "Support directory"
    assert_accessible(page)
    page.goto("/admin/directory/new")
    assert_accessible(page)
    page.fill("#url", "javascript:alert(1)")
    page.click("form[action$='/directory/new'] button[type=submit]")
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page)
    assert _reflows(page)

    page.goto(f"/admin/directory/edit?entry={entry.id}")
    assert page.locator("#name").input_value() == "BAME Medics"
    page.fill("#name", "BAME Medics Society")
    page.click("form[action*='/directory/edit'] button[type=submit]")
    page.wait_for_url("**/admin/directory")
    assert page.get_by_text("BAME Medics Society is updated.").is_visible()
    assert_accessible(page)

    page.goto(f"/admin/directory/history?entry={entry.id}")
    assert page.get_by_role("heading", name="BAME Medics Society", exact=True).is_visible()
    assert_accessible(page)
    page.goto(f"/admin/directory/past?on={date.today().isoformat()}")
    assert page.get_by_role("heading", name="Samaritans").is_visible()
    assert_accessible(page)
    page.goto("/admin/directory/past?on=2999-12-31")
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page)
