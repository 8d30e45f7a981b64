"""An admin reads the response-time dashboard, filters it and exports the figures."""

from __future__ import annotations

from reporting.domain.roles import Role
from tests import factories
from tests.browser.conftest import assert_accessible
from tests.browser.test_casework_journey import _sign_in_by_keyboard


def test_admin_sees_charts_with_tables_filters_and_exports(page, session, school):
    """Does the dashboard pass axe, draw charts beside tables, filter and download CSV?"""
    admin = factories.make_staff(session, school, Role.ADMIN)
    for _ in range(9):
        factories.make_report(session, school)
    session.commit()
    _sign_in_by_keyboard(page, admin, landing="**/admin/")
    page.click("text=Response times")
    page.wait_for_url("**/admin/dashboard")
    assert page.locator("svg.chart-svg[role=img]").count() == 5
    assert page.locator("table.chart-table").count() == 5
    assert_accessible(page)
    page.select_option("#channel", "pastoral")
    page.click("button:has-text('Show')")
    page.wait_for_url("**channel=pastoral**")
    assert page.locator("h2", has_text="Pastoral and wellbeing support").is_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.click("text=Download these figures (CSV)")
    assert download.value.suggested_filename.endswith("-pastoral.csv")
