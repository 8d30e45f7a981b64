"""In Welsh, keyboard only, axe on every page: the language link (no cookie), the whole report,
a return with the receipt, and the support directory."""

from __future__ import annotations

from reporting.domain.directory import EntryFields, Kind
from reporting.domain.roles import Role
from reporting.services.directory import create_entry
from tests import factories
from tests.browser.conftest import (
    ask_the_student,
    assert_welsh,
    choose,
    press_button,
    tab_to,
    tick,
)
from tests.web.welsh import cy


def test_a_report_in_welsh_then_a_return_with_the_receipt(page, session, school):
    officer = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    session.commit()
    page.goto("/s/northfield/")
    assert page.evaluate("document.documentElement.lang") == "en-GB"
    press_button(page, "Cymraeg")
    page.wait_for_url("**/s/northfield/?lang=cy")
    assert_welsh(page)
    assert page.context.cookies() == []  # choosing the language set nothing

    press_button(page, cy("Report what happened"))
    assert_welsh(page)
    choose(page, "safe", "yes")
    press_button(page, cy("Continue"))
    tab_to(page, "#narrative")
    page.keyboard.type("Roedd y cofrestrydd yn gwawdio fy acen o flaen cleifion.")
    choose(page, "occurred_kind", "period")
    choose(page, "setting", "clinical_placement")
    choose(page, "responsible", "clinician")
    assert_welsh(page)
    press_button(page, "English")  # the language button mid-report: every answer kept
    assert page.evaluate("document.documentElement.lang") == "en-GB"
    assert page.locator("#narrative").input_value().startswith("Roedd y cofrestrydd")
    press_button(page, "Cymraeg")
    assert page.evaluate("document.documentElement.lang") == "cy"
    press_button(page, cy("Continue"))
    assert_welsh(page)
    tick(page, "grounds", "accent_language")
    choose(page, "impact", "some")
    choose(page, "urgency", "medium")
    press_button(page, cy("Continue"))
    assert_welsh(page)
    tick(page, "wants", "support")
    choose(page, "identity", "anonymous")
    press_button(page, cy("Continue"))
    assert_welsh(page)
    press_button(page, cy("Send my report"))

    page.wait_for_selector("#receipt-code")
    assert_welsh(page)
    receipt = page.locator("#receipt-code").inner_text().strip()
    tick(page, "kept", "y")
    press_button(page, cy("Continue"))
    assert_welsh(page)

    ask_the_student(session, school, officer, receipt, "Diolch. Allwn ni gwrdd ddydd Mawrth?")

    press_button(page, cy("Return with your receipt"))
    assert_welsh(page)
    tab_to(page, "#receipt")
    page.keyboard.type(receipt)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url("**/your-report?lang=cy")
    assert page.get_by_text("Allwn ni gwrdd ddydd Mawrth?").is_visible()
    assert_welsh(page)
    assert page.context.cookies()  # the student's own session: only once they returned


def test_the_directory_in_welsh(page, session, school):
    create_entry(session, "test", school, EntryFields(
        Kind.PEER_NETWORK.value, "BAME Medics", "Cyfarfodydd misol a mentora.",
        tags=("race",), channels=("peer",), url="https://support.example.ac.uk/"))
    session.commit()
    page.goto("/s/northfield/support?lang=cy")
    assert_welsh(page)
    tick(page, "tag", "race")
    press_button(page, cy("Show support"))
    assert_welsh(page)
    assert page.get_by_text("BAME Medics").is_visible()
    assert page.context.cookies() == []
