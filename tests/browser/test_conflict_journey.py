"""Conflicts of interest in a real browser, keyboard only, with axe: the student says who may
be involved and is told who reads the report; a lead keeps a colleague off; a handler steps
away."""

from __future__ import annotations

from reporting.domain.roles import Role
from tests import factories
from tests.browser.conftest import assert_accessible, press_button, tab_to, walk_to_review
from tests.browser.test_casework_journey import _sign_in_by_keyboard


def test_the_review_says_plainly_that_the_avoided_team_reads_it(page, school):
    """The person may work in pastoral support, and only pastoral support fits: does the
    review step say so before Send, and pass axe?"""
    walk_to_review(page, "My personal tutor keeps mocking my accent.", works_in="pastoral")
    notice = page.locator("#avoided-team")
    assert notice.inner_text().startswith(
        "This report will be read by Pastoral and wellbeing support, the team you said the "
        "person may work in.")
    assert_accessible(page)


def test_a_lead_keeps_a_colleague_off_and_a_handler_steps_away(page, session, school):
    """By keyboard: a lead keeps a colleague off a case, then steps away from it themselves
    and lands on a queue without it; every page passes axe."""
    lead = factories.make_staff(session, school, Role.PASTORAL_OFFICER, lead=True)
    factories.make_staff(session, school, Role.PASTORAL_OFFICER, email="kim@n.example")
    factories.make_staff(session, school, Role.PASTORAL_OFFICER, email="sam@n.example")
    session.commit()
    factories.make_report(session, school, narrative="The person is in the wellbeing team.")
    session.commit()
    _sign_in_by_keyboard(page, lead)
    press_button(page, "Received")
    assert_accessible(page)
    press_button(page, "Keep this colleague off the case")
    page.wait_for_selector("text=Your colleague is kept off this case")
    assert_accessible(page)
    tab_to(page, "#conflict-confirm")
    page.keyboard.press("Space")
    press_button(page, "Step away from this case")
    page.wait_for_selector("text=You have stepped away from this case.")
    assert page.get_by_text("There are no cases in your channels.").is_visible()
    assert_accessible(page)
