"""An admin reads the response-time dashboard, filters it and exports the figures."""

from __future__ import annotations

from reporting.domain.disclosure import FEWER, PROTECTED
from reporting.domain.report import Setting
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


def test_a_suppressed_chart_cell_carries_its_tables_words(page, session, school):
    """Does a bar hidden to protect a smaller one say so in the chart, as its table does,
    instead of 'fewer than 5' (which would be false for 8 cases)?"""
    admin = factories.make_staff(session, school, Role.ADMIN)
    for _ in range(8):
        factories.make_report(session, school)  # clinical placement
    factories.make_report(session, school, setting=Setting.ONLINE)
    session.commit()
    _sign_in_by_keyboard(page, admin, landing="**/admin/")
    page.goto("/admin/dashboard")
    for chart in page.locator("figure.chart").all():
        drawn = chart.locator("svg text[data-figure]").all_text_contents()
        assert drawn == chart.locator("table td:nth-child(2)").all_inner_texts()
    setting = page.locator("figure.chart", has=page.locator("#by-setting-caption"))
    assert setting.locator("svg text.chart-hidden").all_text_contents() == [PROTECTED, FEWER]
    assert_accessible(page)
