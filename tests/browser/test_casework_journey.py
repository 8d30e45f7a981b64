"""The welfare officer's day, keyboard only, with axe on every staff page."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select

from reporting.domain.roles import Role
from reporting.models import CaseNote, Message
from tests import factories
from tests.browser.conftest import assert_accessible, press_button, tab_to


def _sign_in_by_keyboard(page, user, landing: str = "**/staff/", password: str | None = None,
                         code: Callable[[], str] | None = None) -> None:
    """Password, then the authenticator code, by keyboard (a factory user's by default)."""
    page.goto("/auth/login")
    tab_to(page, "#email")
    page.keyboard.type(user.email)
    page.keyboard.press("Tab")
    page.keyboard.type(password or factories.PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/auth/two-factor")
    tab_to(page, "#code")
    page.keyboard.type(code() if code else factories.totp_code(user))
    page.keyboard.press("Enter")
    page.wait_for_url(landing)


def test_officer_acknowledges_claims_replies_and_resolves(page, browser, live_server, session,
                                                          school):
    """Can a pastoral officer work a case end to end while the student answers?"""
    officer = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    session.commit()
    submitted = factories.make_report(session, school, narrative="Left out of every ward round.")
    session.commit()

    _sign_in_by_keyboard(page, officer)
    assert_accessible(page)
    press_button(page, "Received")
    assert page.get_by_text("Left out of every ward round.").is_visible()
    assert_accessible(page)
    press_button(page, "Acknowledge")
    page.wait_for_selector("text=Done: acknowledge.")
    press_button(page, "Claim this case")
    page.wait_for_selector("text=The case is yours.")
    press_button(page, "Start work")
    tab_to(page, "#message-text")
    page.keyboard.type("Thank you for telling us. Would a chat this week help?")
    tab_to(page, "#ask")
    page.keyboard.press("Space")
    press_button(page, "Send to the student")
    page.wait_for_selector("text=Message sent.")
    assert_accessible(page)

    student_context = browser.new_context(base_url=live_server)
    student = student_context.new_page()
    student.goto("/s/northfield/return")
    tab_to(student, "#receipt")
    student.keyboard.type(submitted.receipt)
    student.keyboard.press("Enter")
    student.wait_for_url("**/your-report")
    assert student.get_by_text("Would a chat this week help?").is_visible()
    tab_to(student, "#message")
    student.keyboard.type("Yes please, Thursday.")
    press_button(student, "Send message")
    student.wait_for_selector("text=Your message has been sent.")
    student_context.close()

    page.reload()
    assert page.get_by_text("Yes please, Thursday.").is_visible()
    tab_to(page, "form[action$='/outcome'] textarea")
    page.keyboard.type("Met on Thursday; placement lead briefed.")
    press_button(page, "Record outcome and resolve")
    page.wait_for_selector("text=Outcome recorded and the case resolved.")
    assert_accessible(page)
    press_button(page, "Back to the queue")
    page.wait_for_url("**/staff/")
    assert page.get_by_text("There are no cases in your channels").is_visible()
    assert_accessible(page)


def test_a_note_written_by_clicking_its_label_stays_private(page, browser, live_server,
                                                            session, school):
    """Does clicking "Private note" put the cursor in the note box, and does the note saved
    there stay a note that the student never sees?"""
    officer = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    session.commit()
    submitted = factories.make_report(session, school, narrative="Passed over for theatre.")
    session.commit()

    _sign_in_by_keyboard(page, officer)
    page.goto(f"/staff/cases/{submitted.case.id}")
    page.get_by_text("Private note (only this team can read it)", exact=True).click()
    assert page.evaluate("document.activeElement.id") == "note-text"
    page.keyboard.type("Student seemed shaken; check in after the rota changes.")
    press_button(page, "Save note")
    page.wait_for_selector("text=Note saved.")
    assert page.get_by_text("check in after the rota changes").is_visible()
    assert_accessible(page)

    session.expire_all()
    case_id = submitted.case.id
    assert session.scalar(select(func.count(CaseNote.id)).where(
        CaseNote.case_id == case_id, CaseNote.kind == "note")) == 1
    assert session.scalar(select(func.count(Message.id)).where(Message.case_id == case_id)) == 0
    student_context = browser.new_context(base_url=live_server)
    student = student_context.new_page()
    student.goto("/s/northfield/return")
    student.fill("#receipt", submitted.receipt)
    student.click("button[type=submit]")
    student.wait_for_url("**/your-report")
    assert student.get_by_text("Passed over for theatre.").is_visible()
    assert "rota changes" not in student.content()
    assert_accessible(student)
    student_context.close()
