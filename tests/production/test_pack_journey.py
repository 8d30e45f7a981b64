"""The evidence pack over https in production mode: an admin reads the year's pack,
downloads its PDF, and publishes "You said, we did", which a student reads with no cookie."""

from __future__ import annotations

import secrets

from tests.browser.conftest import assert_accessible, press_button, tab_to, type_into
from tests.production.web import enrol, file_report, sign_in_by_keyboard


def test_admin_downloads_the_pack_and_publishes_you_said_we_did(harness, open_page):
    admin = enrol(harness, harness.create_staff("admin"))
    page = open_page(harness)
    file_report(harness, f"Mocked for my accent on the ward ({secrets.token_hex(4)}).")
    sign_in_by_keyboard(page, admin, landing="**/admin/")
    press_button(page, "Evidence pack")
    assert_accessible(page)
    tab_to(page, "form[action='/admin/pack.pdf'] button")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    changed = f"We rewrote the placement induction ({secrets.token_hex(4)})."
    type_into(page, "#body", changed)
    tab_to(page, "#publish")
    page.keyboard.press("Space")
    press_button(page, "Save")
    page.wait_for_selector("text=is published for students")
    assert page.locator("p", has_text=changed).is_visible()  # in the pack itself
    assert_accessible(page)

    student = open_page(harness)
    student.goto("/s/northfield/")
    press_button(student, "You said, we did")
    assert student.get_by_text(changed).is_visible()
    assert_accessible(student)
    assert student.context.cookies() == []
