"""In Chromium, keyboard only, axe on every page: a limit hit mid-report keeps every answer;
a report whose receipt never reached the browser is told the truth and sent again; a reload
of the receipt sends nothing twice; the student's own copy prints, its file downloads, and
Leave leaves nothing behind."""

from __future__ import annotations

from playwright.sync_api import Error as PlaywrightError
from sqlalchemy import func, select

from reporting.models import Case, Report
from tests.browser.conftest import (
    assert_accessible,
    choose,
    press_button,
    tab_to,
    tick,
    walk_to_review,
)

NARRATIVE = "The consultant called me by another student's name all rotation."


def _reports(session) -> int:
    session.expire_all()
    return session.scalar(select(func.count(Report.id)))


def test_a_limit_hit_mid_report_gives_the_step_back_with_every_answer(app, page, school):
    """Is the step shown again (429) with the answers, the quick exit, the emergency routes
    and a word that is not the student's fault, and does it go on once the limit allows?"""
    original = app.config["REPORT_STEP_LIMIT"]
    app.config["REPORT_STEP_LIMIT"] = "2 per minute"
    try:
        page.goto("/s/northfield/report")
        choose(page, "safe", "no")
        press_button(page, "Continue")  # the 1st step sent: allowed
        tab_to(page, "#narrative")
        page.keyboard.type(NARRATIVE)
        choose(page, "occurred_kind", "period")
        choose(page, "setting", "clinical_placement")
        choose(page, "responsible", "clinician")
        press_button(page, "Continue")  # the 2nd: allowed
        page.wait_for_selector("text=Step 3 of 5")
        tick(page, "grounds", "race")
        choose(page, "impact", "some")
        choose(page, "urgency", "medium")
        with page.expect_response(lambda r: r.request.method == "POST") as sent:
            press_button(page, "Continue")  # the 3rd: over the limit
        assert sent.value.status == 429
        assert page.get_by_text("Belong is receiving a lot from your connection").is_visible()
        assert page.locator("text=Step 3 of 5").is_visible()
        assert page.locator("input[name='grounds'][value='race']").is_checked()
        assert page.locator("input[name='urgency'][value='medium']").is_checked()
        assert page.locator(f"input[type=hidden][value=\"{NARRATIVE}\"]").count() == 1
        assert page.locator("#quick-exit").is_visible()
        assert page.locator("main #emergency").is_visible()
        assert_accessible(page)
    finally:
        app.config["REPORT_STEP_LIMIT"] = original
    press_button(page, "Continue")
    page.wait_for_selector("text=Step 4 of 5")


def test_a_report_whose_receipt_was_lost_is_told_the_truth_and_sent_again(page, session,
                                                                          school):
    """When the answer to Send never arrives (the server stopped after storing it; nginx
    answers 502), does Send again say the report reached the team, offer to send it again,
    and give a receipt for a second copy that repeats the first?"""
    walk_to_review(page, NARRATIVE)

    def lost(route):  # the server stores the report; its answer, and cookie, never arrive
        # As the browser sent it (Playwright's fetch would mark it cross-site otherwise).
        headers = {**route.request.all_headers(), "sec-fetch-site": "same-origin"}
        cookies = page.context.cookies()
        stored = route.fetch(headers=headers, max_redirects=0)
        assert stored.status == 303, stored.text()[:2000]
        page.context.clear_cookies()  # the fetch shares the browser's jar: undo its cookie
        page.context.add_cookies(cookies)
        route.abort("connectionreset")

    page.route("**/s/northfield/report", lost)
    tab_to(page, "button[value='next']")
    try:
        with page.expect_navigation():
            page.keyboard.press("Enter")
    except PlaywrightError as error:
        assert "ERR_CONNECTION_RESET" in str(error)
    page.unroute("**/s/northfield/report")
    assert _reports(session) == 1
    page.reload()  # the browser's own "try again": the same POST, sent again
    page.wait_for_selector("text=Your report reached the team")
    assert_accessible(page)
    assert _reports(session) == 1
    press_button(page, "Send it again")
    page.wait_for_selector("#receipt-code")
    assert_accessible(page)
    first, second = session.scalars(select(Case).order_by(Case.created_at)).all()
    assert second.repeats_case_id == first.id


def test_a_reload_or_back_shows_the_same_receipt_and_sends_nothing(page, session, school):
    """Does reloading the receipt page, or Back then Send, show the same receipt, one
    report stored; and once kept, is the receipt gone?"""
    walk_to_review(page, NARRATIVE)
    press_button(page, "Send my report")
    receipt = page.locator("#receipt-code").inner_text().strip()
    page.reload()
    assert page.locator("#receipt-code").inner_text().strip() == receipt
    tick(page, "kept", "y")
    press_button(page, "Continue")
    page.wait_for_selector("h1:has-text('What happens next')")
    page.go_back()
    page.wait_for_selector("h1:has-text('What happens next')")  # the receipt: not again
    assert receipt not in page.content()
    assert _reports(session) == 1


def test_the_student_prints_their_copy_downloads_a_file_and_leaves(page, school, tmp_path):
    """With the receipt: the copy passes axe on screen, prints without the site's chrome,
    the file downloads as it was sent, and after Leave nothing of it is in the browser."""
    evidence = tmp_path / "rota.txt"
    evidence.write_text("Rota change emailed on 3 October.")
    walk_to_review(page, NARRATIVE)
    page.set_input_files("#files", str(evidence))
    press_button(page, "Send my report")
    receipt = page.locator("#receipt-code").inner_text().strip()
    tick(page, "kept", "y")
    press_button(page, "Continue")
    press_button(page, "Return with your receipt")
    tab_to(page, "#receipt")
    page.keyboard.type(receipt)
    press_button(page, "Open my report")
    press_button(page, "See a copy of your report")
    page.wait_for_selector("h1:has-text('Your own copy of your report')")
    assert page.get_by_text(NARRATIVE).is_visible()
    assert page.get_by_text("Quite a lot").is_visible()
    assert_accessible(page)
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator("#quick-exit").is_visible()
    assert page.get_by_text(NARRATIVE).is_visible()
    page.emulate_media(media="screen")
    tab_to(page, "a[href*='/files/']")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == "rota.txt"
    assert open(download.value.path()).read() == "Rota change emailed on 3 October."
    press_button(page, "Leave")
    page.wait_for_url("**/s/northfield/")
    assert page.context.cookies() == []
    page.go_back()
    assert NARRATIVE not in page.content()
    assert page.evaluate("() => localStorage.length + sessionStorage.length") == 0
