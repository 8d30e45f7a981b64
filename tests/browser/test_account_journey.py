"""An officer looks after their own account, keyboard only, with axe on every page."""

from __future__ import annotations

import pyotp

from reporting.domain.roles import Role
from tests import factories
from tests.browser.conftest import assert_accessible, press_button, tab_to
from tests.browser.test_casework_journey import _sign_in_by_keyboard

NEW = "a long new password for me"


def test_officer_changes_password_and_authenticator_and_the_other_session_ends(
        page, browser, live_server, session, school):
    """Can an officer change their password by keyboard, so that their other browser is
    signed out, then replace their authenticator with a new one?"""
    officer = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    session.commit()
    _sign_in_by_keyboard(page, officer)
    elsewhere_context = browser.new_context(base_url=live_server)
    elsewhere = elsewhere_context.new_page()
    _sign_in_by_keyboard(elsewhere, officer, code=lambda: factories.totp_code(officer, 1))

    press_button(page, "Your account")
    assert page.get_by_text("This session (this browser)").is_visible()
    assert page.locator("button", has_text="End session").count() == 1  # the other browser
    assert_accessible(page)
    press_button(page, "Change your password")
    assert_accessible(page)
    tab_to(page, "#current")
    page.keyboard.type(factories.PASSWORD)
    for value in (NEW, NEW):
        page.keyboard.press("Tab")
        page.keyboard.type(value)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("Your password is changed.").is_visible()
    assert page.locator("button", has_text="End session").count() == 0
    assert_accessible(page)
    elsewhere.goto("/staff/")
    assert elsewhere.url.endswith("/auth/login")
    elsewhere_context.close()

    press_button(page, "Replace your authenticator")
    assert_accessible(page)
    secret = page.locator("code.secret").inner_text().strip()
    tab_to(page, "#code")
    page.keyboard.type(pyotp.TOTP(secret).now())
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("Your new authenticator is set up").is_visible()
    assert_accessible(page)
    session.expire_all()
    assert factories.totp_secret(officer) == secret


def test_forgot_password_page_by_keyboard(page, session, school):
    """Is the "Forgot your password?" link reachable from sign-in, and its page and its
    answer accessible?"""
    page.goto("/auth/login")
    press_button(page, "Forgot your password?")
    assert_accessible(page)
    tab_to(page, "#email")
    page.keyboard.type("someone@northfield.example")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#help-asked").is_visible()
    assert_accessible(page)
