"""The quick exit in Chromium: in view at every scroll position, at 400% zoom too, never over
what has focus, on the error pages a student meets; Back does not return; no JavaScript needed."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import NARROW, assert_accessible

WIDE = {"width": 1280, "height": 800}
NARRATIVE = "The registrar mocked my accent in front of patients on the ward round. " * 15
STEP_ANSWERS = [  # the mouse's answers to steps 1 to 4 (step 2 also takes the narrative)
    {"safe": "yes"},
    {"occurred_kind": "period", "setting": "clinical_placement", "responsible": "clinician"},
    {"grounds": "accent_language", "impact": "some", "urgency": "medium"},
    {"wants": "support", "identity": "anonymous"},
]
# Is the focused element (not the exit itself, nor the skip link drawn above it) under the bar?
FOCUS_UNDER_THE_BAR = """() => {
  const focused = document.activeElement;
  if (focused === document.body || focused.matches('#quick-exit, .skip-link')) { return null; }
  const bar = document.querySelector('.quick-exit').getBoundingClientRect();
  const box = focused.getBoundingClientRect();
  return box.top < bar.bottom && box.bottom > bar.top ? focused.outerHTML.slice(0, 80) : null;
}"""


def _answer_up_to(page, last_step: int) -> None:
    """Open the report form and answer its steps before `last_step` (1 to 5)."""
    page.goto("/s/northfield/report")
    for answers in STEP_ANSWERS[:last_step - 1]:
        if page.locator("#narrative").count():
            page.fill("#narrative", NARRATIVE)
        for name, value in answers.items():
            page.check(f"input[name={name}][value={value}]")
        page.click("button[type=submit][value=next]")
    page.wait_for_selector(f"text=Step {last_step} of 5")


def _exit_in_view_wherever_scrolled(page, width: int) -> None:
    """Scrolled to the middle and to the end, is the whole exit link on screen, nothing
    wider than the window, and no axe violation?"""
    for where in ("document.scrollingElement.scrollHeight / 2",
                  "document.scrollingElement.scrollHeight"):
        page.evaluate(f"window.scrollTo(0, {where})")
        expect(page.locator("#quick-exit")).to_be_in_viewport(ratio=1)
    assert page.evaluate("window.scrollY") > 0  # the page was long enough to scroll
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    assert_accessible(page)


@pytest.mark.parametrize("viewport", [NARROW, WIDE], ids=["400% zoom", "desktop"])
def test_quick_exit_stays_in_view_however_far_the_student_scrolls(page, school, viewport):
    """On a long step and on the review, at 400% zoom and on a desktop, is the exit always
    on screen, with no sideways scrolling and no axe violation?"""
    page.set_viewport_size(viewport)
    _answer_up_to(page, 2)
    page.fill("#narrative", NARRATIVE)
    _exit_in_view_wherever_scrolled(page, viewport["width"])
    _answer_up_to(page, 5)
    _exit_in_view_wherever_scrolled(page, viewport["width"])


def test_focus_never_goes_under_the_quick_exit(page, school):
    """At 400% zoom, tabbing down the review step and back up again, is every control that
    takes focus clear of the exit bar (WCAG 2.4.11, focus not obscured)?"""
    page.set_viewport_size(NARROW)
    _answer_up_to(page, 5)
    stops = page.locator("a[href], button, input:not([type=hidden])").count()
    for key in ["Tab"] * stops + ["Shift+Tab"] * stops:
        page.keyboard.press(key)
        assert page.evaluate(FOCUS_UNDER_THE_BAR) is None, key


def test_quick_exit_replaces_the_page_so_back_does_not_return(page, school, neutral_exit):
    """With JavaScript on, does the exit replace Belong's page in the history, so Back goes
    to the page before Belong, never to Belong?"""
    elsewhere = "data:text/html,<title>Elsewhere</title>"
    page.goto(elsewhere)
    page.goto("/s/northfield/report")
    assert page.locator("#quick-exit-hint").is_visible()
    page.click("#quick-exit")
    page.wait_for_url(neutral_exit)
    page.go_back()
    assert page.url == elsewhere


def test_quick_exit_by_shift_three_times_replaces_the_page(page, school, neutral_exit):
    """Does pressing Shift three times leave at once, leaving no way Back to Belong?"""
    page.goto("/s/northfield/support")
    before = page.evaluate("history.length")
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(neutral_exit)
    assert page.evaluate("history.length") == before  # Belong's page was replaced, not stacked


def test_quick_exit_link_works_with_javascript_off(browser, live_server, school, neutral_exit):
    """With JavaScript off, does the quick-exit link still leave the site, and is the
    Shift hint (which needs JavaScript) left out?"""
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    page.goto("/s/northfield/")
    assert page.locator("#quick-exit-hint").is_hidden()
    page.click("#quick-exit")
    page.wait_for_url(neutral_exit)
    context.close()


@pytest.mark.parametrize("url", ["/s/no-such-school/", "/s/northfield/no-such-page"])
def test_not_found_pages_keep_the_quick_exit(page, school, neutral_exit, url):
    """On a 404 for an unknown school or page, at 400% zoom, is the exit there, accessible,
    and does it leave?"""
    page.set_viewport_size(NARROW)
    assert page.goto(url).status == 404
    assert_accessible(page)
    page.click("#quick-exit")
    page.wait_for_url(neutral_exit)


def test_too_many_attempts_page_keeps_the_quick_exit(app, page, school, neutral_exit,
                                                     monkeypatch):
    """On the 'too many attempts' page (429), is the exit there, accessible, and does it
    leave?"""
    monkeypatch.setitem(app.config, "RECEIPT_RATE_LIMIT", "1 per minute")
    page.goto("/s/northfield/return")
    for _ in range(2):
        page.fill("#receipt", "AAAA-BBBB-CCCC-DDDD-EEEE")
        with page.expect_navigation() as sent:
            page.click("button[type=submit]")
    assert sent.value.status == 429
    assert_accessible(page)
    page.click("#quick-exit")
    page.wait_for_url(neutral_exit)
