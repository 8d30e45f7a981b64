"""Belonging over https in production mode, keyboard only, axe on every page: a student
writes to a role model and reads the answer with the receipt; a student answers the pulse
once, and a second tab is refused. Both rest on forms that set no cookie before the
student acts (their own tokens, and the origin check), which only a real browser and
nginx in front of Gunicorn show working."""

from __future__ import annotations

import re
import secrets

from tests.browser.conftest import (
    assert_accessible,
    choose,
    press_button,
    tick,
    type_into,
)
from tests.production.processes import wait_until
from tests.production.web import enrol, sign_in_by_keyboard


def _volunteer_link(harness, address: str) -> str:
    """The link in the newest email to the volunteer (the notice of a message)."""
    wait_until(lambda: len(harness.mail.to(address)) >= 1, f"an email to {address}",
               timeout=30, interval=0.1)
    text = harness.mail.to(address)[-1].get_content()
    return re.findall(re.escape(harness.url("/volunteer/")) + r"\S*", text)[0]


def test_a_student_writes_to_a_role_model_and_reads_the_answer(harness, open_page):
    admin = enrol(harness, harness.create_staff("admin"))
    volunteer = enrol(harness, harness.create_staff("role_model"))
    mine = open_page(harness)
    sign_in_by_keyboard(mine, volunteer, landing="**/volunteer/")
    press_button(mine, "Write your profile")
    name = f"Ade{secrets.token_hex(2)}"
    type_into(mine, "#display_name", name)
    type_into(mine, "#role_title", "Consultant")
    tick(mine, "tags", "race")
    tick(mine, "helps", "conversation")
    type_into(mine, "#why", "I was the first doctor in my family.")
    press_button(mine, "Save your profile")
    mine.wait_for_selector("text=Waiting for an admin")
    assert_accessible(mine)

    boss = open_page(harness)
    sign_in_by_keyboard(boss, admin, landing="**/admin/")
    press_button(boss, "Role models")
    press_button(boss, "Approve")
    boss.wait_for_selector(f"text={name}'s profile is now shown")

    student = open_page(harness)
    student.goto("/s/northfield/")
    press_button(student, "Role models")
    tick(student, "tag", "race")
    press_button(student, "Show role models")
    press_button(student, name)
    assert student.context.cookies() == []  # browsing set nothing
    press_button(student, f"Write to {name}")
    question = f"How did you find your feet on the wards? ({secrets.token_hex(3)})"
    type_into(student, "#text", question)
    press_button(student, "Send")
    receipt = student.locator("#receipt").inner_text()
    assert_accessible(student)

    mine.goto(_volunteer_link(harness, volunteer.email))
    press_button(mine, mine.locator("td a").first.inner_text())
    assert mine.get_by_text(question).is_visible()
    type_into(mine, "#text", "Slowly, with a mentor. Happy to talk.")
    press_button(mine, "Send")
    assert question not in harness.mail.to(volunteer.email)[-1].get_content()

    again = open_page(harness)  # another day: only the receipt
    again.goto("/s/northfield/role-models")
    press_button(again, "Come back to a conversation")
    type_into(again, "#receipt", receipt)
    press_button(again, "Open the conversation")
    assert again.get_by_text("Slowly, with a mentor. Happy to talk.").is_visible()
    assert_accessible(again)


def test_the_pulse_is_answered_once_and_a_second_tab_is_refused(harness, open_page):
    student = open_page(harness)
    student.goto("/s/northfield/pulse")
    later = student.context.new_page()
    later.goto("/s/northfield/pulse")
    assert student.context.cookies() == []
    names = student.eval_on_selector_all(
        "input[type=radio][name^=item_]", "els => [...new Set(els.map(e => e.name))]")
    for name in names:
        choose(student, name, "4")
    press_button(student, "Send my answer")
    assert student.get_by_role("heading", name="You have answered this term").is_visible()
    assert_accessible(student)
    for name in names:
        choose(later, name, "1")
    press_button(later, "Send my answer")
    assert later.get_by_text("You have already answered the pulse this term").is_visible()
