"""The staff lifecycle over https in Chromium, keyboard only, axe on every new page.

An admin invites a pastoral officer, whose invitation comes through the harness's SMTP
relay; the officer enrols from it, reads a case once the escrow grants it, and is locked
out the moment the admin deactivates them. That journey runs on one app server and on two,
losing a server at each checkpoint (tests/production/failover.py). An officer changing
their own password, which signs out their other browser, needs only one server.
"""

from __future__ import annotations

import secrets

import requests

from tests.browser.conftest import (
    assert_accessible,
    pick,
    press_button,
    tick,
    type_into,
)
from tests.production.failover import Failover
from tests.production.harness import Harness, Staff
from tests.production.web import (
    emailed_link,
    enrol,
    file_report,
    newest_case,
    sign_in_by_keyboard,
    totp_code,
)

OFFICER = "Aaliyah Okafor"  # sorts first: the handler list is by name


def _enrol_by_keyboard(page, officer: Staff) -> None:
    """From the enrolment link: the password the admin gave, then a code from the key the
    page shows (kept on `officer` for later codes)."""
    page.goto(officer.enrolment_url)
    assert_accessible(page)
    type_into(page, "#password", officer.password)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url("**/auth/two-factor")
    assert_accessible(page)
    officer.totp_secret = page.locator("code.secret").inner_text().strip()
    type_into(page, "#code", totp_code(officer))
    page.keyboard.press("Enter")
    page.wait_for_url("**/staff/")


def _by_hand(harness: Harness, cookies: list[dict], path: str) -> requests.Response:
    """A GET made by hand with cookies copied out of a browser, no redirect followed."""
    header = "; ".join(f"{cookie['name']}={cookie['value']}" for cookie in cookies)
    return harness.session().get(harness.url(path), headers={"Cookie": header},
                                 allow_redirects=False)


def _invite(page, email: str, password: str) -> str:
    """From the admin's landing page: invite the officer; return their staff id."""
    press_button(page, "Staff")
    assert_accessible(page)
    press_button(page, "Invite someone")
    assert_accessible(page)
    type_into(page, "#display_name", OFFICER)
    type_into(page, "#email", email)
    pick(page, "#role", "pastoral_officer")
    type_into(page, "#password", password)
    press_button(page, "Send the invitation")
    page.wait_for_selector(f"text={OFFICER} is invited")
    assert_accessible(page)
    return page.url.rstrip("/").rsplit("/", 1)[1]  # their page: /admin/staff/<id>


def test_admin_invites_an_officer_who_reads_a_case_until_deactivated(page, deployment,
                                                                     open_page):
    """Can an admin invite a pastoral officer who enrols from the emailed link, reads a case
    once the escrow grants it, and loses it the moment they are deactivated, their copied
    cookie included, whichever app server each request reaches?"""
    failover = Failover(deployment)
    admin = enrol(deployment, deployment.create_staff("admin"))
    narrative = f"Told to stay out of theatre because of my headscarf ({secrets.token_hex(4)})."
    file_report(deployment, narrative)
    case = f"/staff/cases/{newest_case(deployment)}"
    email, password = f"aaliyah.{secrets.token_hex(4)}@northfield.ac.uk", secrets.token_urlsafe(15)

    sign_in_by_keyboard(page, admin, landing="**/admin/")
    officer_id = _invite(page, email, password)
    failover.next()  # the officer enrols on the other server

    officer = Staff(email=email, password=password, role="pastoral_officer",
                    enrolment_url=emailed_link(deployment, email))
    officer_page = open_page(deployment)
    _enrol_by_keyboard(officer_page, officer)
    officer_page.goto(case)
    assert officer_page.get_by_text("You cannot read this case yet").is_visible()
    assert_accessible(officer_page)

    press_button(page, "School overview")
    pick(page, "#handler", officer_id)
    type_into(page, "#passphrase", deployment.escrow_passphrase)
    press_button(page, "Grant access")
    page.wait_for_selector(f"text={OFFICER} can now read")
    assert_accessible(page)
    failover.next()  # the officer's session, and the admin's, go on on the first server
    officer_page.reload()
    assert officer_page.get_by_text(narrative).is_visible()
    assert_accessible(officer_page)
    copied = officer_page.context.cookies()
    assert narrative in _by_hand(deployment, copied, case).text  # the copy opens the case

    press_button(page, "Staff")
    press_button(page, OFFICER)
    assert_accessible(page)
    tick(page, "confirm", "y")
    press_button(page, "Deactivate")
    page.wait_for_selector(f"text={OFFICER}'s access has ended")
    assert page.locator("#staff-state").inner_text().startswith("Deactivated")
    assert_accessible(page)
    failover.next()  # both servers again: the session has ended on each

    officer_page.reload()
    officer_page.wait_for_url("**/auth/login")
    for _ in range(2):  # with two servers, either may answer
        stolen = _by_hand(deployment, copied, case)
        assert stolen.status_code in (302, 303), stolen.status_code
        assert "/auth/login" in stolen.headers["Location"]
        assert narrative not in stolen.text
    failover.finish()


def test_officer_changes_their_password_and_the_other_browser_is_signed_out(harness,
                                                                            open_page):
    """Can a signed-in officer change their own password from "Your account", so that their
    other browser is signed out, then sign in with the new password?"""
    officer = harness.create_staff("pastoral_officer")
    page, elsewhere = open_page(harness), open_page(harness)
    _enrol_by_keyboard(page, officer)  # enrolling signs them in
    sign_in_by_keyboard(elsewhere, officer)

    press_button(page, "Your account")
    assert page.get_by_text("This session (this browser)").is_visible()
    assert page.locator("button", has_text="End session").count() == 1  # the other browser
    assert_accessible(page)
    press_button(page, "Change your password")
    assert_accessible(page)
    new = f"a long new password {secrets.token_hex(4)}"
    type_into(page, "#current", officer.password)
    for value in (new, new):
        page.keyboard.press("Tab")
        page.keyboard.type(value)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("Your password is changed.").is_visible()
    assert page.locator("button", has_text="End session").count() == 0
    assert_accessible(page)

    elsewhere.reload()
    elsewhere.wait_for_url("**/auth/login")
    officer.password = new
    sign_in_by_keyboard(elsewhere, officer)
    press_button(elsewhere, "Your account")
    assert elsewhere.locator("button", has_text="End session").count() == 1  # the first one
