"""A handler with a full queue finds a case by its reference and filters by ground, saves
the view and takes the metadata as CSV: keyboard only, axe on every state, and at 320 px."""

from __future__ import annotations

from reporting.domain.report import Ground
from reporting.domain.roles import Role
from tests import factories
from tests.browser.conftest import assert_accessible, pick, press_button, tab_to, tab_to_button
from tests.browser.test_casework_journey import _sign_in_by_keyboard


def test_search_by_reference_and_filter_by_ground(page, session, school):
    """Can a handler find one case by its reference, then every disability case, keep that
    as their view and download it, by keyboard, with no axe violation?"""
    officer = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    cases = [factories.make_report(session, school).case for _ in range(4)]
    disability = [factories.make_report(session, school, grounds=frozenset(
        {Ground.DISABILITY})).case for _ in range(2)]
    session.commit()
    wanted = cases[2]

    _sign_in_by_keyboard(page, officer)
    tab_to(page, "#queue-reference")
    page.keyboard.type(wanted.reference.lower().replace("-", ""))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    rows = page.locator("tbody th.case-reference").all_inner_texts()
    assert rows == [wanted.reference]
    assert page.get_by_text(f"1 case with reference {wanted.reference}").is_visible()
    assert_accessible(page)

    page.goto("/staff/")
    pick(page, "#ground", "disability")
    press_button(page, "Show cases")
    assert sorted(page.locator("tbody th.case-reference").all_inner_texts()) == sorted(
        c.reference for c in disability)
    assert_accessible(page)

    press_button(page, "Save this view")
    page.wait_for_selector("text=View saved")
    assert page.get_by_text("This is your saved view.").is_visible()
    assert len(page.locator("tbody tr").all()) == 2
    tab_to_button(page, "Download these cases as CSV")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    with open(download.value.path(), encoding="utf-8") as exported:
        lines = exported.read().splitlines()
    assert len(lines) == 3 and all(c.reference in "".join(lines) for c in disability)

    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page)
