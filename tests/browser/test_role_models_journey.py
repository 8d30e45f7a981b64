"""Role models in Chromium, keyboard only, axe on every page state and reflow at 320 px: an
admin invites a volunteer, who enrols and writes a profile; the admin approves it; a student
filters by two identities, finds the volunteer and writes; the volunteer answers from the
email link; the student reads the answer with the receipt, ends the conversation and flags
it with an excerpt, which the admin opens with the escrow passphrase."""

from __future__ import annotations

from urllib.parse import urlsplit

from reporting.domain.roles import Role
from tests import factories
from tests.browser.conftest import (
    assert_accessible,
    pick,
    press_button,
    set_up_authenticator,
    tab_to,
    tick,
    type_into,
)
from tests.browser.test_casework_journey import _sign_in_by_keyboard
from tests.browser.test_directory_journey import _reflows


def _path(email) -> str:
    """The path of the one link an email carries."""
    return urlsplit("http" + email.get_content().split("http", 1)[1].split()[0]).path


def _check(page) -> None:
    assert_accessible(page)
    assert _reflows(page)


def test_a_volunteer_is_invited_approved_found_written_to_and_answers(
        page, browser, live_server, session, school, inline_mail):
    """Keyboard only, from the invitation to the student reading the answer with the
    receipt, with no cookie while the student browses."""
    admin = factories.make_staff(session, school, Role.ADMIN)
    session.commit()
    _sign_in_by_keyboard(page, admin, landing="**/admin/")
    press_button(page, "Staff")
    press_button(page, "Invite someone")
    type_into(page, "#display_name", "Ade Bello")
    type_into(page, "#email", "ade@northfield.example")
    pick(page, "#role", "role_model")
    type_into(page, "#password", factories.PASSWORD)
    press_button(page, "Send the invitation")
    page.wait_for_selector("text=Ade Bello is invited")

    volunteer = browser.new_context(base_url=live_server).new_page()
    [invitation] = inline_mail.to("ade@northfield.example")
    volunteer.goto(_path(invitation))
    type_into(volunteer, "#password", factories.PASSWORD)
    with volunteer.expect_navigation():
        volunteer.keyboard.press("Enter")
    set_up_authenticator(volunteer, landing="**/volunteer/")
    _check(volunteer)
    press_button(volunteer, "Write your profile")
    press_button(volunteer, "Save your profile")  # nothing filled in: every problem named
    assert volunteer.locator(".error-summary").is_visible()
    _check(volunteer)
    type_into(volunteer, "#display_name", "Ade")
    type_into(volunteer, "#role_title", "Consultant")
    type_into(volunteer, "#specialty", "Cardiology")
    tick(volunteer, "tags", "race")
    tick(volunteer, "tags", "socio_economic")
    tick(volunteer, "helps", "mentoring")
    tick(volunteer, "helps", "conversation")
    type_into(volunteer, "#why", "I was the first doctor in my family.")
    press_button(volunteer, "Save your profile")
    volunteer.wait_for_selector("text=Waiting for an admin")
    _check(volunteer)

    press_button(page, "Role models")
    _check(page)
    press_button(page, "Approve")
    page.wait_for_selector("text=Ade's profile is now shown")
    _check(page)

    student = browser.new_context(base_url=live_server).new_page()
    student.goto("/s/northfield/")
    press_button(student, "Role models")
    _check(student)
    tick(student, "tag", "race")
    tick(student, "tag", "socio_economic")
    press_button(student, "Show role models")
    assert "tag=race" in student.url and "tag=socio_economic" in student.url
    _check(student)
    press_button(student, "Ade")
    _check(student)
    assert student.context.cookies() == []
    press_button(student, "Write to Ade")
    _check(student)
    type_into(student, "#text", "How did you find your feet on the wards?")
    press_button(student, "Send")
    receipt = student.locator("#receipt").inner_text()
    _check(student)

    email = inline_mail.to("ade@northfield.example")[-1]
    assert "find your feet" not in email.get_content()
    volunteer.goto(_path(email))
    press_button(volunteer, volunteer.locator("td a").first.inner_text())
    assert volunteer.get_by_text("How did you find your feet on the wards?").is_visible()
    _check(volunteer)
    type_into(volunteer, "#text", "Slowly, with a mentor. Happy to talk.")
    press_button(volunteer, "Send")
    assert volunteer.get_by_text("Slowly, with a mentor.").is_visible()
    _check(volunteer)

    student.goto("/s/northfield/role-models")
    press_button(student, "Come back to a conversation")
    _check(student)
    type_into(student, "#receipt", receipt)
    press_button(student, "Open the conversation")
    assert student.get_by_text("Slowly, with a mentor. Happy to talk.").is_visible()
    assert student.get_by_text("ade@northfield.example").count() == 0
    _check(student)
    tab_to(student, "#end-confirm")
    student.keyboard.press("Space")
    press_button(student, "End the conversation")
    assert student.get_by_text("This conversation was ended by the student").is_visible()
    _check(student)
    pick(student, "#reason", "boundaries")
    type_into(student, "#excerpt", "Asked me to meet off campus")
    press_button(student, "Flag the conversation")
    assert student.get_by_text("This conversation is flagged.").is_visible()
    _check(student)

    page.goto("/admin/role-models")
    assert page.locator("td", has_text="Asked for something beyond").is_visible()
    assert page.get_by_text("How did you find your feet").count() == 0
    _check(page)
    type_into(page, "#passphrase", factories.ESCROW_PASSPHRASE)
    press_button(page, "Open the excerpt")
    assert page.get_by_text("Asked me to meet off campus").is_visible()
    _check(page)
