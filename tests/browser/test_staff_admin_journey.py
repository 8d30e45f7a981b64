"""An admin invites a pastoral officer, who enrols from the email and reads a case after the
escrow grant; the admin then deactivates them. Keyboard only, axe on every page."""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy import select

from reporting.domain.roles import Role
from reporting.models import Case, StaffUser
from reporting.services.casework import staff_keys
from tests import factories
from tests.browser.conftest import (
    assert_accessible,
    pick,
    press_button,
    set_up_authenticator,
    tab_to,
    type_into,
)
from tests.browser.test_casework_journey import _sign_in_by_keyboard
from tests.services.test_reports import private_key

NARRATIVE = "Told to stay out of theatre because of my headscarf."


def test_invite_enrol_read_then_deactivate(app, page, browser, live_server, session, school,
                                           inline_mail):
    """Can an admin invite a pastoral officer who enrols from the email, reads a case once
    the escrow grants it, and loses everything the moment they are deactivated, the case
    going back to their team?"""
    admin = factories.make_staff(session, school, Role.ADMIN)
    session.commit()
    case_id = factories.make_report(session, school, narrative=NARRATIVE).case.id
    teammate = factories.make_staff(session, school, Role.PASTORAL_OFFICER,
                                    email="teammate@northfield.example")
    session.commit()

    _sign_in_by_keyboard(page, admin, landing="**/admin/")
    press_button(page, "Staff")
    assert_accessible(page)
    press_button(page, "Invite someone")
    assert_accessible(page)
    type_into(page, "#display_name", "Nia Okafor")
    type_into(page, "#email", "nia@northfield.example")
    pick(page, "#role", "pastoral_officer")
    type_into(page, "#password", factories.PASSWORD)
    press_button(page, "Send the invitation")
    page.wait_for_selector("text=Nia Okafor is invited")
    assert_accessible(page)

    [email] = inline_mail.to("nia@northfield.example")
    link = email.get_content().split("http", 1)[1].split()[0]
    officer_context = browser.new_context(base_url=live_server)
    officer_page = officer_context.new_page()
    officer_page.goto(urlsplit("http" + link).path)
    assert_accessible(officer_page)
    type_into(officer_page, "#password", factories.PASSWORD)
    with officer_page.expect_navigation():
        officer_page.keyboard.press("Enter")
    assert_accessible(officer_page)
    set_up_authenticator(officer_page)
    officer_page.goto(f"/staff/cases/{case_id}")
    assert officer_page.get_by_text("You cannot read this case yet").is_visible()

    officer = session.scalar(select(StaffUser).filter_by(email="nia@northfield.example"))
    press_button(page, "School overview")
    pick(page, "#handler", str(officer.id))
    type_into(page, "#passphrase", factories.ESCROW_PASSPHRASE)
    press_button(page, "Grant access")
    page.wait_for_selector("text=Nia Okafor can now read")
    assert_accessible(page)

    officer_page.reload()
    assert officer_page.get_by_text(NARRATIVE).is_visible()
    press_button(officer_page, "Acknowledge")
    press_button(officer_page, "Claim this case")
    officer_page.wait_for_selector("text=The case is yours.")
    assert_accessible(officer_page)

    press_button(page, "Staff")
    press_button(page, "Nia Okafor")
    assert_accessible(page)
    tab_to(page, "#confirm")
    page.keyboard.press("Space")
    type_into(page, "#deactivate_passphrase", factories.ESCROW_PASSPHRASE)
    press_button(page, "Deactivate")
    page.wait_for_selector("text=Nia Okafor's access has ended")
    assert page.locator("#staff-state").inner_text().startswith("Deactivated")
    assert_accessible(page)

    officer_page.reload()
    officer_page.wait_for_url("**/auth/login")
    officer_context.close()
    session.expire_all()
    case = session.get(Case, case_id)
    assert case.assignee_id is None
    assert staff_keys(session, teammate, private_key(teammate), case).content
