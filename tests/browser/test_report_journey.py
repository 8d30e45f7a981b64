"""The student's whole journey, keyboard only, with axe on every page."""

from __future__ import annotations

from reporting.domain.roles import Role
from tests import factories
from tests.browser.conftest import (
    ask_the_student,
    assert_accessible,
    choose,
    press_button,
    tab_to,
    tick,
)


def test_anonymous_report_with_a_file_then_reply_and_withdraw(page, session, school, tmp_path):
    """Can a student report with a file, keep the receipt, read a reply, answer and withdraw?"""
    officer = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    session.commit()
    evidence = tmp_path / "what-they-said.txt"
    evidence.write_text("Notes I wrote straight after the ward round.")

    page.goto("/s/northfield/")
    press_button(page, "Report what happened")
    page.wait_for_url("**/report")
    assert_accessible(page)
    choose(page, "safe", "yes")
    press_button(page, "Continue")

    page.wait_for_selector("text=Step 2 of 5")
    assert_accessible(page)
    tab_to(page, "#narrative")
    page.keyboard.type("The registrar mocked my accent in front of patients.")
    choose(page, "occurred_kind", "period")
    choose(page, "setting", "clinical_placement")
    choose(page, "responsible", "clinician")
    press_button(page, "Continue")

    page.wait_for_selector("text=Step 3 of 5")
    assert_accessible(page)
    tick(page, "grounds", "accent_language")
    choose(page, "impact", "some")
    choose(page, "urgency", "medium")
    press_button(page, "Continue")

    page.wait_for_selector("text=Step 4 of 5")
    assert_accessible(page)
    tick(page, "wants", "support")
    choose(page, "identity", "anonymous")
    press_button(page, "Continue")

    page.wait_for_selector("text=Step 5 of 5")
    assert page.get_by_text("Pastoral and wellbeing staff can listen").is_visible()
    assert_accessible(page)
    tab_to(page, "#files")
    # The control is reached by keyboard; the operating system's file dialog that Space opens
    # is not part of the page (and its event is flaky headless), so the file is set directly.
    page.set_input_files("#files", str(evidence))
    press_button(page, "Send my report")

    page.wait_for_selector("#receipt-code")
    assert_accessible(page)
    receipt = page.locator("#receipt-code").inner_text().strip()
    press_button(page, "Continue")  # without confirming: the receipt stays
    assert page.locator("#receipt-code").inner_text().strip() == receipt
    tick(page, "kept", "y")
    press_button(page, "Continue")
    page.wait_for_selector("h1:has-text('What happens next')")
    assert_accessible(page)

    ask_the_student(session, school, officer, receipt, "Thank you. Could we meet on Tuesday?")

    press_button(page, "Return with your receipt")
    page.wait_for_url("**/return")
    assert_accessible(page)
    tab_to(page, "#receipt")
    page.keyboard.type(receipt.lower())
    page.keyboard.press("Enter")
    page.wait_for_url("**/your-report")
    assert page.get_by_text("Could we meet on Tuesday?").is_visible()
    assert page.get_by_text("what-they-said.txt").is_visible()
    assert_accessible(page)
    tab_to(page, "#message")
    page.keyboard.type("Yes, Tuesday is good.")
    press_button(page, "Send message")
    page.wait_for_selector("text=Your message has been sent.")
    assert page.get_by_text("Yes, Tuesday is good.").is_visible()
    assert_accessible(page)

    tick(page, "confirm", "y")
    press_button(page, "Withdraw my report")
    page.wait_for_selector("text=Your report has been withdrawn.")
    assert_accessible(page)
    press_button(page, "Leave (close")
    page.wait_for_url("**/s/northfield/")

