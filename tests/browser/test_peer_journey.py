"""A student asks to talk to a peer; a supporter accepts and replies; the student reads that
it is being handled, and the reply. Keyboard only, axe."""

from __future__ import annotations

from reporting.domain.roles import Role
from reporting.services import peer
from tests import factories
from tests.browser.conftest import assert_accessible, press_button, tab_to, tick
from tests.browser.test_casework_journey import _sign_in_by_keyboard


def test_student_asks_for_a_peer_and_a_supporter_accepts_and_replies(page, browser,
                                                                     live_server, session,
                                                                     school):
    """Can a student ask for someone who shares their experience and hear back anonymously?"""
    supporter = factories.make_staff(session, school, Role.PEER_SUPPORTER)
    session.commit()
    peer.set_offers(session, supporter, frozenset({"first_generation"}))
    session.commit()

    student_context = browser.new_context(base_url=live_server)
    student = student_context.new_page()
    student.goto("/s/northfield/")
    press_button(student, "Talk to someone who has been there")
    assert_accessible(student)
    tick(student, "tags", "first_generation")
    tab_to(student, "#message")
    student.keyboard.type("Nobody in my family has done this before.")
    press_button(student, "Ask for a peer supporter")
    student.wait_for_selector("#receipt-code")
    assert student.get_by_text("Your request has been sent").is_visible()
    assert_accessible(student)
    receipt = student.locator("#receipt-code").inner_text().strip()

    _sign_in_by_keyboard(page, supporter)
    press_button(page, "Received")
    assert page.get_by_text("First in my family at university").first.is_visible()
    assert page.get_by_text("Nobody in my family has done this before.").is_visible()
    assert_accessible(page)
    press_button(page, "Accept this request")
    page.wait_for_selector("text=You have accepted this request.")
    tab_to(page, "#message-text")
    page.keyboard.type("Hi, I was the first in my family too. Happy to talk.")
    press_button(page, "Send to the student")
    page.wait_for_selector("text=Message sent.")
    assert_accessible(page)
    page.goto("/staff/settings")
    assert_accessible(page)

    student.goto("/s/northfield/return")
    tab_to(student, "#receipt")
    student.keyboard.type(receipt)
    student.keyboard.press("Enter")
    student.wait_for_url("**/your-report")
    assert student.get_by_text("I was the first in my family too.").is_visible()
    assert student.get_by_role("heading", name="Your request to talk to a peer").is_visible()
    status = student.locator(".status-panel").inner_text()
    assert "In progress. A peer supporter has taken on your request and is handling it." in \
        status and "Nobody has opened" not in status
    assert [line.split(": ", 1)[1] for line in student.locator(".timeline li").all_inner_texts()
            ] == ["Submitted", "Acknowledged", "In progress"]
    assert_accessible(student)
    tick(student, "confirm", "y")
    press_button(student, "End this conversation")
    student.wait_for_selector("text=Your report has been withdrawn.")
    student_context.close()
