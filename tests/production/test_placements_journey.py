"""Placement providers over https in production mode: an admin adds one by keyboard, the
report form asks which provider (keyboard, axe), a report naming it is sent, and the
dashboard's chart of reports by provider shows it suppressed."""

from __future__ import annotations

import secrets

from reporting.domain.disclosure import FEWER
from tests.browser.conftest import assert_accessible, press_button, tab_to, type_into
from tests.production.web import enrol, file_report, sign_in_by_keyboard


def test_a_report_names_a_provider_and_the_dashboard_counts_it(harness, open_page):
    admin = enrol(harness, harness.create_staff("admin"))
    page = open_page(harness)
    sign_in_by_keyboard(page, admin, landing="**/admin/")
    page.goto("/admin/placements")
    trust = f"Airedale NHS Trust {secrets.token_hex(2)}"
    type_into(page, "form[action$='/placements/add'] input[name=name]", trust)
    press_button(page, "Add the provider")
    page.wait_for_selector(f"text={trust}")
    assert_accessible(page)

    student = open_page(harness)
    student.goto("/s/northfield/report")
    tab_to(student, "input[name=safe][value=yes]")
    student.keyboard.press("Space")
    press_button(student, "Continue")
    assert student.get_by_text("Which placement provider was it?").is_visible()
    option = student.locator("label", has_text=trust)
    provider_id = student.locator(f"#{option.get_attribute('for')}").get_attribute("value")
    assert_accessible(student)

    file_report(harness, f"Mocked on the ward ({secrets.token_hex(3)}).",
                setting="clinical_placement", provider=provider_id)
    page.goto("/admin/dashboard")
    chart = page.locator("figure", has=page.locator("#by-provider-caption"))
    row = chart.locator("tr", has=page.locator("th", has_text=trust))
    assert row.locator("td").first.inner_text() == FEWER
    assert_accessible(page)
