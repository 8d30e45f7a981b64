"""An admin makes the year's evidence pack: it reads as a page (axe, keyboard) and downloads
as a PDF, and no suppressed figure shows in either."""

from __future__ import annotations

from reporting.domain.disclosure import FEWER
from reporting.domain.roles import ChannelKind, Role
from tests import factories
from tests.browser.conftest import NARROW, assert_accessible, pick, tab_to, type_into
from tests.browser.test_casework_journey import _sign_in_by_keyboard


def test_admin_makes_the_pack_and_downloads_the_pdf(page, session, school):
    admin = factories.make_staff(session, school, Role.ADMIN)
    for _ in range(9):
        factories.make_report(session, school)
    for _ in range(2):
        factories.make_report(session, school, chosen_channel=ChannelKind.PEER)
    session.commit()
    _sign_in_by_keyboard(page, admin, landing="**/admin/")
    tab_to(page, "a[href='/admin/pack']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/pack")
    assert page.locator("h1").inner_text().startswith("Evidence pack")
    assert page.locator("svg.chart-svg[role=img]").count() == 8
    figures = page.locator("[data-figure]").all_inner_texts()
    assert FEWER in figures and not {"1", "2", "3", "4"} & set(figures)
    assert_accessible(page)
    page.set_viewport_size(NARROW)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    tab_to(page, "form[action='/admin/pack.pdf'] button")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.startswith("belong-evidence-pack-")
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


def test_admin_publishes_you_said_we_did_and_a_student_reads_it_without_a_cookie(
        page, browser, live_server, session, school):
    admin = factories.make_staff(session, school, Role.ADMIN)
    session.commit()
    _sign_in_by_keyboard(page, admin, landing="**/admin/")
    page.goto("/admin/pack")
    type_into(page, "#body", "We rewrote the placement induction with students.")
    tab_to(page, "#publish")
    page.keyboard.press("Space")
    tab_to(page, "form[action='/admin/pack/you-said'] button")
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/pack?year=**")
    assert page.get_by_text("is published for students").is_visible()
    assert_accessible(page)
    student = browser.new_context(base_url=live_server)
    try:
        home = student.new_page()
        home.goto("/s/northfield/")
        tab_to(home, "a[href='/s/northfield/you-said-we-did']")
        home.keyboard.press("Enter")
        home.wait_for_url("**/you-said-we-did")
        assert home.get_by_text("We rewrote the placement induction").is_visible()
        assert_accessible(home)
        assert student.cookies() == []
    finally:
        student.close()


def test_the_demo_years_pack_shows_its_figures_and_hides_the_small_ones(page, session):
    """A newcomer's demo: last year's pack, chosen by keyboard, draws real counts in its
    charts, no count from 1 to 4 anywhere, and passes axe."""
    from datetime import timedelta

    from reporting.models.base import utcnow
    from reporting.services.demo import build_demo
    from reporting.services.stats import academic_year

    demo = build_demo(session, params=factories.FAST, totp_key=factories.TOTP_KEY,
                      enrolment_lifetime=timedelta(hours=1), password=factories.PASSWORD)
    session.commit()
    admin = next(user for user in demo.staff if user.staff_role is Role.ADMIN)
    start = int(academic_year(utcnow())[:4])
    last_year = f"{start - 1}/{start % 100:02d}"
    _sign_in_by_keyboard(page, admin, landing="**/admin/")
    page.goto("/admin/pack")
    pick(page, "#year", last_year)
    tab_to(page, "form.filters button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == f"Evidence pack {last_year}"
    drawn = page.locator("svg text.chart-value[data-figure]").all_text_contents()
    assert len(drawn) > 20 and any(text.isdigit() and int(text) >= 5 for text in drawn)
    figures = page.locator("[data-figure]").all_inner_texts()
    assert not {"1", "2", "3", "4"} & set(figures)
    assert_accessible(page)
