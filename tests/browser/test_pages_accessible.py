"""Every page, in Chromium: zero axe violations, reflow at 400% zoom, keyboard journeys."""

from __future__ import annotations

import pytest

from reporting.domain.roles import Role
from reporting.services.role_models import profiles
from reporting.services.spaces import sessions
from tests import factories
from tests.browser.conftest import NARROW, assert_accessible, tab_to
from tests.services.test_role_models import fields as role_model_fields
from tests.services.test_spaces import session_fields

STUDENT_URLS = ["/", "/s/northfield/", "/s/northfield/support", "/s/northfield/return",
                "/s/northfield/report", "/s/northfield/support?tag=race",
                "/s/northfield/you-said-we-did", "/s/northfield/pulse",
                "/s/northfield/role-models", "/s/northfield/role-models/return"]


@pytest.fixture
def world(session, school):
    """A school with a report, one enrolled pastoral officer and a session to suggest."""
    report = factories.make_report(session, school, narrative="Said on the ward round.")
    officer = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    admin = factories.make_staff(session, school, Role.ADMIN)
    sessions.create_session(session, admin, school, session_fields("Meet-up", ("race",)))
    volunteer = factories.make_staff(session, school, Role.ROLE_MODEL)
    profiles.approve_profile(session, admin, profiles.save_profile(
        session, volunteer, role_model_fields("Ade", ("race",))))
    newcomer = factories.make_staff(session, school, Role.PEER_SUPPORTER, enrolled=False)
    session.commit()
    return {"report": report, "officer": officer, "admin": admin, "newcomer": newcomer}


def _sign_in(page, user, steps_ahead: int = 0) -> None:
    page.goto("/auth/login")
    page.fill("#email", user.email)
    page.fill("#password", factories.PASSWORD)
    page.click("button[type=submit]")
    page.fill("#code", factories.totp_code(user, steps_ahead))
    page.click("button[type=submit]")


@pytest.mark.parametrize("url", STUDENT_URLS + ["/auth/login", "/does-not-exist",
                                                "/auth/enrol/not-a-token"])
def test_public_pages_have_no_violations(page, world, url):
    """Does each public page pass axe at WCAG 2.2 AA, and reflow to 320 px without scrolling?"""
    page.goto(url)
    assert_accessible(page)
    page.set_viewport_size(NARROW)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_form_errors_are_accessible(page, world):
    """Do pages showing validation errors (receipt, sign-in) pass axe too?"""
    page.goto("/s/northfield/return")
    page.fill("#receipt", "AAAA-BBBB-CCCC-DDDD-EEEE")
    page.click("button[type=submit]")
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page)
    page.goto("/auth/login")
    page.click("button[type=submit]")
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page)


def test_report_form_errors_and_emergency_routes_are_accessible(page, world):
    """Do the 'not safe' emergency routes and a step with errors pass axe, at 320 px too?"""
    page.goto("/s/northfield/report")
    page.check("input[name=safe][value=no]")
    assert page.locator("#emergency-early").is_visible()  # shown at once with JavaScript
    page.click("button[type=submit][value=next]")
    assert page.get_by_text("If you are in danger, get help now").is_visible()
    assert_accessible(page)
    page.click("button[type=submit][value=next]")
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page)
    page.set_viewport_size(NARROW)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_student_report_page_is_accessible(page, world):
    """Does 'your report', opened with a receipt, pass axe and show the narrative?"""
    page.goto("/s/northfield/return")
    page.fill("#receipt", world["report"].receipt)
    page.click("button[type=submit]")
    assert page.get_by_text("Said on the ward round.").is_visible()
    assert page.get_by_role("heading", name="Spaces to meet people who share your "
                            "experience").is_visible()
    assert page.get_by_role("heading", name="People who have been there").is_visible()
    assert_accessible(page)


def test_report_deletion_pages_are_accessible(page, world):
    """Do the deletion form with its error, and the confirmation page, pass axe?"""
    page.goto("/s/northfield/return")
    page.fill("#receipt", world["report"].receipt)
    page.click("button[type=submit]")
    page.click("form[action$='/your-report/delete'] button")
    assert page.locator("#delete-confirm-error").is_visible()
    assert_accessible(page)
    page.check("#delete-confirm")
    page.click("form[action$='/your-report/delete'] button")
    assert page.locator("h1").inner_text() == "Your report has been deleted"
    assert_accessible(page)


def test_staff_pages_are_accessible(page, world, browser, live_server):
    """Do the two-factor page, the queue and the admin overview pass axe?"""
    page.goto("/auth/login")
    page.fill("#email", world["officer"].email)
    page.fill("#password", factories.PASSWORD)
    page.click("button[type=submit]")
    assert_accessible(page)  # the code page
    page.fill("#code", factories.totp_code(world["officer"]))
    page.click("button[type=submit]")
    assert page.locator("h1").inner_text() == "Case queue"
    assert_accessible(page)
    page.goto("/staff/settings")
    assert_accessible(page)
    page.goto(f"/staff/cases/{world['report'].case.id}")  # filed before they joined
    assert page.get_by_text("You cannot read this case yet").is_visible()
    assert_accessible(page)
    admin_context = browser.new_context(base_url=live_server)
    admin_page = admin_context.new_page()
    _sign_in(admin_page, world["admin"])
    assert admin_page.locator("h1").inner_text() == "Northfield Medical School"
    assert_accessible(admin_page)
    admin_page.click("form[action$='/admin/grant'] button")
    assert admin_page.locator(".error-summary").is_visible()
    assert_accessible(admin_page)
    admin_page.goto("/admin/routing")
    assert_accessible(admin_page)
    admin_page.fill("#source", "when wants cake then peer because B.")
    admin_page.click("button[value=save]")
    assert admin_page.get_by_text("These rules cannot be saved yet").is_visible()
    assert_accessible(admin_page)
    admin_page.fill("#source", "otherwise pastoral because Pastoral staff will help.")
    for name in ("safe", "wants", "urgency", "setting", "responsible", "grounds", "identity"):
        admin_page.check(f"input[name='example-{name}'] >> nth=0")
    admin_page.click("button[value=preview]")
    assert admin_page.get_by_text("These rules would suggest").is_visible()
    assert_accessible(admin_page)
    admin_page.goto("/admin/placements")  # more in test_placements_accessible.py
    assert_accessible(admin_page)
    admin_page.goto("/admin/response-times")
    assert_accessible(admin_page)
    admin_page.fill("#ack_peer", "0")
    admin_page.click("form[action$='/admin/response-times'] button[type=submit]")
    assert admin_page.locator(".error-summary").is_visible()
    assert_accessible(admin_page)
    admin_page.fill("#day", "2026-12-25")
    admin_page.fill("#name", "Christmas Day")
    admin_page.click("form[action$='/holidays'] button[type=submit]")
    assert admin_page.locator("time[datetime='2026-12-25']").is_visible()
    assert_accessible(admin_page)
    admin_context.close()


def test_pulse_admin_pages_are_accessible(page, world):
    """Do the pulse's results and statements pages pass axe and reflow, with an error too?"""
    _sign_in(page, world["admin"])
    for url in ["/admin/pulse", "/admin/pulse/items"]:
        page.goto(url)
        assert_accessible(page)
        page.set_viewport_size(NARROW)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        page.set_viewport_size({"width": 1280, "height": 800})
    page.check("input[name=source][value=published]")
    page.click("form[action$='/admin/pulse/items'] button[type=submit]")
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page)


def test_access_log_is_accessible(page, world):
    """Does the admin's access log pass axe, with its filters, with errors, and at 320 px?"""
    _sign_in(page, world["admin"])
    page.goto("/admin/audit")
    assert page.locator("h1").inner_text() == "Access log"
    assert page.get_by_role("cell", name="Sent a report").is_visible()
    assert_accessible(page)
    page.select_option("#user", label="Admin (Admin)")
    page.click("form.filters button[type=submit]")
    assert page.get_by_role("cell", name="Signed in").first.is_visible()
    assert_accessible(page)
    page.fill("#case", "not a case")
    page.fill("#since", "2026-03-02")
    page.fill("#until", "2026-03-01")
    page.click("form.filters button[type=submit]")
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page)
    page.set_viewport_size(NARROW)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_enrolment_pages_are_accessible(page, world):
    """Do the enrolment password page and the QR code page pass axe?"""
    newcomer = world["newcomer"]
    page.goto(f"/auth/enrol/{newcomer.enrolment_token}")
    assert_accessible(page)
    page.fill("#password", factories.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("svg.qr")
    assert_accessible(page)
    page.fill("#code", factories.totp_code(newcomer))
    page.click("button[type=submit]")
    assert page.locator("h1").inner_text() == "Case queue"


def test_staff_sign_in_with_the_keyboard_alone(page, world):
    """Can a handler sign in, password and code, using only the keyboard?"""
    page.goto("/auth/login")
    tab_to(page, "#email")
    page.keyboard.type(world["officer"].email)
    page.keyboard.press("Tab")
    page.keyboard.type(factories.PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/auth/two-factor")
    tab_to(page, "#code")
    page.keyboard.type(factories.totp_code(world["officer"]))
    page.keyboard.press("Enter")
    page.wait_for_url("**/staff/")
    tab_to(page, "button.link-button")  # sign out is reachable too
    page.keyboard.press("Enter")
    page.wait_for_url("**/auth/login")


def test_skip_link_is_first_and_moves_focus_to_main(page, world):
    """Is the first Tab stop the skip link, and does it take focus to the content?"""
    page.goto("/s/northfield/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_focus_is_visible(page, world):
    """Does a focused link show a visible outline (WCAG 2.4.7)?"""
    page.goto("/s/northfield/")
    tab_to(page, "#quick-exit")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")


def test_pages_make_no_third_party_requests(page, world):
    """Do student pages load anything from another origin? They must not."""
    seen = []
    page.on("request", lambda request: seen.append(request.url))
    for url in STUDENT_URLS:
        page.goto(url)
    assert seen and all(u.startswith(page.url.split("/s/")[0]) for u in seen)


def test_a_receipt_this_browser_was_not_issued_is_not_shown_and_the_page_is_accessible(
        page, world):
    """Does a receipt page this browser was not issued, opened or with a receipt posted to
    its confirm form from elsewhere, show the accessible 'shown only once' page, and never
    the posted text?"""
    page.goto("/s/northfield/receipt/not-a-handle")
    assert page.locator("h1").inner_text() == "A receipt is shown only once"
    with page.expect_navigation():
        page.evaluate("""() => {
            const form = Object.assign(document.createElement('form'),
                {method: 'post', action: '/s/northfield/receipt/not-a-handle'});
            for (const [name, value] of [['receipt', 'K7QF-9XM2-P4TD-W8HN-3RCV'],
                                         ['kept', 'y']]) {
                form.append(Object.assign(document.createElement('input'),
                    {type: 'hidden', name, value}));
            }
            document.body.append(form);
            form.submit();
        }""")
    assert page.locator("h1").inner_text() == "A receipt is shown only once"
    assert "K7QF-9XM2-P4TD-W8HN-3RCV" not in page.content()
    assert_accessible(page)
    page.set_viewport_size(NARROW)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
