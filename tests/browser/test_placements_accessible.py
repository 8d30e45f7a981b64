"""Placement providers in Chromium: the admin's pages, the dashboard's provider chart and
the report form's optional question pass axe, reflow to 320 px, and work by keyboard."""

from __future__ import annotations

import pytest

from reporting.domain.roles import Role
from reporting.services import placements
from tests import factories
from tests.browser.conftest import assert_accessible, tab_to
from tests.browser.test_directory_journey import _reflows
from tests.browser.test_pages_accessible import _sign_in


@pytest.fixture
def world(session, school):
    """A school with two providers, one report naming one, and an admin."""
    trust = placements.add_provider(session, "test", school.id, "Leeds Teaching Hospitals")
    placements.add_provider(session, "test", school.id, "Bramley GP Practice")
    factories.make_report(session, school, provider_id=trust.id)
    admin = factories.make_staff(session, school, Role.ADMIN)
    session.commit()
    return {"admin": admin, "trust": trust}


def test_the_admin_placement_pages_are_accessible(page, world):
    """Do the list, its errors, the rename page and the dashboard's chart pass axe?"""
    _sign_in(page, world["admin"])
    page.goto("/admin/placements")
    assert page.locator("h1").inner_text() == "Placement providers"
    assert_accessible(page)
    assert _reflows(page)
    page.click("form[action$='/placements/add'] button[type=submit]")
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page)
    page.fill("#threshold", "2")
    page.click("form[action$='/placements/threshold'] button[type=submit]")
    assert page.get_by_text("from 5 to 1000").first.is_visible()
    assert_accessible(page)
    page.goto(f"/admin/placements/rename?provider={world['trust'].id}")
    assert_accessible(page)
    page.goto("/admin/dashboard")
    assert page.locator("#by-provider-caption").is_visible()
    assert_accessible(page)


def test_the_report_form_asks_which_provider_by_keyboard(page, world):
    """On the 'what happened' step, can a student choose a provider by keyboard alone, and
    does the step pass axe and reflow at 320 px?"""
    page.goto("/s/northfield/report")
    page.check("input[name=safe][value=yes]")
    page.click("button[type=submit][value=next]")
    assert page.get_by_text("Which placement provider was it?").is_visible()
    assert page.locator("input[name=provider][value='']").is_checked()
    assert_accessible(page)
    assert _reflows(page)
    tab_to(page, "input[name=provider]:checked")
    page.keyboard.press("ArrowDown")  # the next answer: the first provider, by name
    assert page.locator("input[name=provider]:checked").get_attribute("value") != ""
