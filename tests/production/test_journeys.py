"""The three journeys over https in Chromium, against deploy/ run for real.

Each runs on one app server and on two; with two, the journey loses a server at each
checkpoint (tests/production/failover.py), so the student's report form, their receipt
session and the staff session must carry on on the other server.
"""

from __future__ import annotations

import secrets

from tests.browser.conftest import (
    assert_accessible,
    choose,
    press_button,
    tab_to,
    tab_to_button,
    tick,
)
from tests.production.failover import Failover
from tests.production.harness import SCHOOL
from tests.production.web import (
    enrol,
    file_report,
    newest_case,
    sign_in_by_keyboard,
    token,
    totp_code,
)


def test_student_reports_and_returns_with_the_receipt(page, deployment, tmp_path):
    """Can a student send a report over https, then come back with the receipt, read it and
    answer, whichever app server each request reaches?"""
    failover = Failover(deployment)
    narrative = f"The consultant mocked my accent on the ward round ({secrets.token_hex(4)})."
    evidence = tmp_path / "notes.txt"
    evidence.write_text("Written the same evening.")

    page.goto(f"/s/{SCHOOL}/")
    press_button(page, "Report what happened")
    page.wait_for_url("**/report")
    choose(page, "safe", "yes")
    press_button(page, "Continue")
    page.wait_for_selector("text=Step 2 of 5")
    tab_to(page, "#narrative")
    page.keyboard.type(narrative)
    choose(page, "occurred_kind", "period")
    choose(page, "setting", "clinical_placement")
    choose(page, "responsible", "clinician")
    failover.next()  # the rest of the form goes to the other server
    press_button(page, "Continue")
    page.wait_for_selector("text=Step 3 of 5")
    tick(page, "grounds", "accent_language")
    choose(page, "impact", "some")
    choose(page, "urgency", "medium")
    press_button(page, "Continue")
    page.wait_for_selector("text=Step 4 of 5")
    tick(page, "wants", "support")
    choose(page, "identity", "anonymous")
    press_button(page, "Continue")
    page.wait_for_selector("text=Step 5 of 5")
    tab_to(page, "#files")
    # The control is reached by keyboard; the operating system's file dialog that Space opens
    # is not part of the page (and its event is flaky headless), so the file is set directly.
    page.set_input_files("#files", str(evidence))
    press_button(page, "Send my report")
    page.wait_for_selector("#receipt-code")
    assert_accessible(page)
    receipt = page.locator("#receipt-code").inner_text().strip()
    tick(page, "kept", "y")
    press_button(page, "Continue")
    page.wait_for_selector("h1:has-text('What happens next')")

    press_button(page, "Return with your receipt")
    page.wait_for_url("**/return")
    tab_to(page, "#receipt")
    page.keyboard.type(receipt)
    page.keyboard.press("Enter")
    page.wait_for_url("**/your-report")
    assert page.get_by_text(narrative).is_visible()
    assert page.get_by_text("notes.txt").is_visible()
    assert_accessible(page)
    failover.next()  # the receipt session continues on the other server
    page.reload()
    assert page.get_by_text(narrative).is_visible()
    tab_to(page, "#message")
    page.keyboard.type("I can also meet in person.")
    press_button(page, "Send message")
    page.wait_for_selector("text=Your message has been sent.")
    failover.next()
    assert page.get_by_text("I can also meet in person.").is_visible()
    press_button(page, "Leave (close")
    page.wait_for_url(f"**/s/{SCHOOL}/")
    failover.finish()


def test_officer_enrols_signs_in_and_works_a_case(page, deployment):
    """Can a pastoral officer enrol (password, then TOTP), sign in again and claim,
    acknowledge and answer a case over https, with the student reading the answer?"""
    failover = Failover(deployment)
    officer = deployment.create_staff("pastoral_officer")
    narrative = f"Left out of every teaching session ({secrets.token_hex(4)})."
    receipt = file_report(deployment, narrative)
    case_id = newest_case(deployment)

    page.goto(officer.enrolment_url)
    tab_to(page, "#password")
    page.keyboard.type(officer.password)
    page.keyboard.press("Enter")
    page.wait_for_url("**/auth/two-factor")
    assert_accessible(page)
    officer.totp_secret = page.locator("code.secret").inner_text().strip()
    tab_to(page, "#code")
    page.keyboard.type(totp_code(officer))
    page.keyboard.press("Enter")
    page.wait_for_url("**/staff/")
    press_button(page, "Sign out")
    page.wait_for_url("**/auth/login")

    sign_in_by_keyboard(page, officer)  # password and the next TOTP code
    assert_accessible(page)
    failover.next()  # the staff session continues on the other server
    tab_to(page, f"a[href$='/cases/{case_id}']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text(narrative).is_visible()
    assert_accessible(page)
    press_button(page, "Claim this case")
    page.wait_for_selector("text=The case is yours.")
    press_button(page, "Acknowledge")
    page.wait_for_selector("text=Done: acknowledge.")
    failover.next()
    press_button(page, "Start work")
    tab_to(page, "#message-text")
    page.keyboard.type("Thank you for telling us. Would a chat this week help?")
    tab_to(page, "#ask")
    page.keyboard.press("Space")
    press_button(page, "Send to the student")
    page.wait_for_selector("text=Message sent.")
    assert_accessible(page)
    failover.next()
    _find_by_reference_and_export(page, page.locator("dd.case-reference").inner_text())

    student = deployment.session()
    form = student.get(deployment.url(f"/s/{SCHOOL}/return"))
    report = student.post(deployment.url(f"/s/{SCHOOL}/return"),
                          data={"receipt": receipt, "csrf_token": token(form)})
    assert report.url.endswith("/your-report"), report.status_code
    assert "Would a chat this week help?" in report.text
    failover.finish()


def _find_by_reference_and_export(page, reference: str) -> None:
    """From the case page: back to the queue, the case found by its reference, the view
    saved and the metadata downloaded (two POSTs with their CSRF tokens over https)."""
    press_button(page, "Back to the queue")
    tab_to(page, "#queue-reference")
    page.keyboard.type(reference.lower())
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("tbody th.case-reference").all_inner_texts() == [reference]
    assert_accessible(page)
    press_button(page, "Save this view")
    page.wait_for_selector("text=View saved")
    tab_to_button(page, "Download these cases as CSV")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    with open(download.value.path(), encoding="utf-8") as exported:
        assert reference in exported.read()


def test_admin_signs_in_and_opens_the_dashboard(page, deployment):
    """Can an admin sign in with password and TOTP over https and read the dashboard?"""
    failover = Failover(deployment)
    admin = enrol(deployment, deployment.create_staff("admin"))
    file_report(deployment, "Something for the figures.")
    failover.next()
    sign_in_by_keyboard(page, admin, landing="**/admin/")
    assert_accessible(page)
    failover.next()
    page.click("text=Response times")
    page.wait_for_url("**/admin/dashboard")
    assert page.locator("svg.chart-svg[role=img]").count() == 5
    assert_accessible(page)
    failover.next()
    page.select_option("#channel", "pastoral")
    page.click("button:has-text('Show')")
    page.wait_for_url("**channel=pastoral**")
    assert page.locator("h2", has_text="Pastoral and wellbeing support").is_visible()
    failover.finish()
