"""'I am not safe right now', in Chromium, keyboard only, axe on every page: the student's
review, receipt and follow-up; both officers working the shared case; the admin's preview."""

from __future__ import annotations

from sqlalchemy import select

from reporting.domain.directory import EntryFields, Kind
from reporting.domain.report import Urgency
from reporting.domain.roles import ChannelKind, Role
from reporting.models import Case
from reporting.services.directory import create_entry
from tests import factories
from tests.browser.conftest import assert_accessible, choose, press_button, tab_to, tick
from tests.browser.test_casework_journey import _sign_in_by_keyboard
from tests.services.test_reports import NAMED

EDI, PASTORAL = "Formal complaints and EDI office", "Pastoral and wellbeing support"
EMERGENCY = ("999", "NHS 111", "116 123", "0113 496 0000")


def _emergency_on_top(page) -> None:
    """The emergency routes are shown, complete, above the page's main heading."""
    box = page.locator("main #emergency")
    assert box.is_visible()
    text = box.inner_text()
    assert all(route in text for route in EMERGENCY), text
    assert box.bounding_box()["y"] < page.locator("main h1").bounding_box()["y"]


def _directory(session, school) -> None:
    for name, kind, channels, confidential in (
            ("EDI and Complaints Office", Kind.EDI_COMPLAINTS, ("institutional",), False),
            ("Student Wellbeing Service", Kind.WELLBEING, ("pastoral",), True)):
        create_entry(session, "test", school, EntryFields(
            kind.value, name, "What it offers.", channels=channels, confidential=confidential,
            url="https://support.example.ac.uk/"))


def test_student_who_is_not_safe_is_told_exactly_who_reads_and_keeps_emergency_help(
        page, session, school):
    """Review, receipt and follow-up: both teams named (the lead first), the name's reach
    said, and 999, NHS 111, Samaritans and the school's line kept on top throughout?"""
    _directory(session, school)
    session.commit()
    page.goto("/s/northfield/report")
    choose(page, "safe", "no")
    assert page.locator("#emergency-early").is_visible()  # at once, with JavaScript
    press_button(page, "Continue")
    page.wait_for_selector("text=Step 2 of 5")
    _emergency_on_top(page)
    tab_to(page, "#narrative")
    page.keyboard.type("My supervisor follows me to my car after night shifts.")
    choose(page, "occurred_kind", "period")
    choose(page, "setting", "clinical_placement")
    choose(page, "responsible", "clinician")
    press_button(page, "Continue")
    tick(page, "grounds", "sex")
    choose(page, "impact", "severe")
    choose(page, "urgency", "high")
    press_button(page, "Continue")
    tick(page, "wants", "support")
    choose(page, "identity", "named")
    tab_to(page, "#name")
    page.keyboard.type("Sam Student")
    tick(page, "share_identity_with", "institutional")
    press_button(page, "Continue")

    page.wait_for_selector("text=Step 5 of 5")
    _emergency_on_top(page)
    who = page.locator("#who-reads").inner_text()
    assert f"two teams can read your report: {EDI}, who lead, and {PASTORAL}" in who
    assert f"Your name and contact details go only to {EDI}, the team you ticked." in who
    assert page.locator("input[name=chosen_channel][value=institutional]").is_checked()
    assert_accessible(page)
    press_button(page, "Send my report")

    page.wait_for_selector("#receipt-code")
    _emergency_on_top(page)
    panel = page.locator(".success-panel").inner_text()
    assert f"It is with two teams: {EDI}, who lead, and {PASTORAL}." in panel
    assert f"Your name and contact details go only to {EDI}." in panel
    entries = page.locator(".entry-name").all_inner_texts()
    assert entries == ["Student Wellbeing Service", "EDI and Complaints Office"]
    assert_accessible(page)
    receipt = page.locator("#receipt-code").inner_text().strip()
    press_button(page, "Continue")  # without ticking: the receipt and the routes stay
    assert page.locator("#receipt-code").inner_text().strip() == receipt
    _emergency_on_top(page)
    tick(page, "kept", "y")
    press_button(page, "Continue")
    page.wait_for_selector("h1:has-text('What happens next')")
    _emergency_on_top(page)
    assert_accessible(page)

    press_button(page, "Return with your receipt")
    tab_to(page, "#receipt")
    page.keyboard.type(receipt)
    page.keyboard.press("Enter")
    page.wait_for_url("**/your-report")
    _emergency_on_top(page)
    status = page.locator(".status-panel").inner_text()
    assert f"It is with two teams: {EDI}, who lead, and {PASTORAL}." in status
    assert_accessible(page)
    case = session.scalar(select(Case))
    assert (case.channel.kind, case.also_channel.kind, case.urgent) == (
        "institutional", "pastoral", True)


def test_both_officers_see_the_shared_case_and_act_on_it(page, browser, live_server, session,
                                                         school):
    """The lead officer and the pastoral officer: both queues, both read it, each acts as
    their team may, the lead is shown, and the student reads who wrote?"""
    edi = factories.make_staff(session, school, Role.INSTITUTIONAL_OFFICER)
    pastoral = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    submitted = factories.make_report(
        session, school, narrative="I am frightened to go back on the ward.", not_safe=True,
        urgency=Urgency.HIGH, identity=NAMED,
        share_identity_with=frozenset({ChannelKind.INSTITUTIONAL}))
    session.commit()

    _sign_in_by_keyboard(page, edi)
    row = page.locator("tbody tr").first.inner_text()
    assert f"{EDI} (leads), also {PASTORAL}" in row and "Urgent" in row
    assert_accessible(page)
    press_button(page, "Received")
    assert page.get_by_text("I am frightened to go back on the ward.").is_visible()
    assert page.get_by_text("Ada Lovelace").first.is_visible()
    assert page.locator("#shared-case").inner_text().startswith(f"Shared with {PASTORAL}.")
    assert_accessible(page)
    press_button(page, "Acknowledge")
    page.wait_for_selector("text=Done: acknowledge.")
    press_button(page, "Claim this case")
    page.wait_for_selector("text=The case is yours.")
    assert_accessible(page)

    other = browser.new_context(base_url=live_server)
    second = other.new_page()
    _sign_in_by_keyboard(second, pastoral)
    row = second.locator("tbody tr").first.inner_text()
    assert f"Shared with {EDI} (leads)" in row
    assert_accessible(second)
    press_button(second, "Received")
    assert second.get_by_text("I am frightened to go back on the ward.").is_visible()
    assert second.get_by_text("not shared their name with this team").is_visible()
    assert second.get_by_text("Ada Lovelace").count() == 0
    assert second.locator("#shared-case").inner_text().startswith(
        f"Shared with {EDI} (leads).")
    assert second.get_by_role("button", name="Claim this case").count() == 0
    assert second.get_by_role("button", name="Move to another team").count() == 0
    tab_to(second, "#message-text")
    second.keyboard.type("This is pastoral support. We can meet you before your next shift.")
    press_button(second, "Send to the student")
    second.wait_for_selector("text=Message sent.")
    assert_accessible(second)
    other.close()

    page.reload()
    assert page.get_by_text("We can meet you before your next shift.").is_visible()
    assert page.get_by_text(f"Pastoral officer ({PASTORAL})").is_visible()

    student_context = browser.new_context(base_url=live_server)
    student = student_context.new_page()
    student.goto("/s/northfield/return")
    tab_to(student, "#receipt")
    student.keyboard.type(submitted.receipt)
    student.keyboard.press("Enter")
    student.wait_for_url("**/your-report")
    _emergency_on_top(student)
    message = student.locator(".message").first.inner_text()
    assert PASTORAL in message and "before your next shift" in message
    assert_accessible(student)
    student_context.close()


def test_admin_preview_names_both_teams_and_who_leads(page, session, school):
    """Does the routing preview for a not-safe example say exactly who could read it?"""
    admin = factories.make_staff(session, school, Role.ADMIN)
    session.commit()
    _sign_in_by_keyboard(page, admin, landing="**/admin/")
    page.goto("/admin/routing")
    choose(page, "example-safe", "no")
    tick(page, "example-wants", "support")
    choose(page, "example-urgency", "high")
    choose(page, "example-setting", "clinical_placement")
    choose(page, "example-responsible", "clinician")
    tick(page, "example-grounds", "sex")
    choose(page, "example-identity", "anonymous")
    press_button(page, "Preview")
    preview = page.locator("#preview").inner_text()
    assert f"These rules would suggest: {EDI}, shared with {PASTORAL}, urgent" in preview
    assert f"the handlers of {EDI}, who lead" in preview
    assert f"and of {PASTORAL}, who can read it" in preview
    assert "Nobody else can read it." in preview
    assert_accessible(page)
