"""The belonging pulse in Chromium, keyboard only, axe on every page state and reflow at
320 px: a student answers once (no cookie before), is refused a second answer in the same
term, and the admin's dashboard leads to the result, shown as "fewer than 5"."""

from __future__ import annotations

from reporting.domain.disclosure import FEWER
from reporting.domain.roles import Role
from reporting.services.pulse.items import current_items
from tests import factories
from tests.browser.conftest import assert_accessible, choose, press_button, tick
from tests.browser.test_casework_journey import _sign_in_by_keyboard
from tests.browser.test_directory_journey import _reflows


def _answer_every_statement(page, item_ids, value: str = "4") -> None:
    for item_id in item_ids:
        choose(page, f"item_{item_id}", value)


def test_answered_once_refused_the_second_time_and_shown_suppressed(
        page, browser, live_server, session, school):
    """Keyboard only: the pulse from the home page, an unfinished answer asked to finish,
    one answer counted, the second refused, and the admin sees "fewer than 5"."""
    admin = factories.make_staff(session, school, Role.ADMIN)
    item_ids = [item.id for item in current_items(session, school.id)]
    session.commit()

    context = browser.new_context(base_url=live_server)
    student = context.new_page()
    student.goto("/s/northfield/")
    press_button(student, "how far you feel you belong")
    assert "/s/northfield/pulse" in student.url
    assert_accessible(student)
    assert _reflows(student)
    later = context.new_page()  # the same form, left open in a second tab
    later.goto("/s/northfield/pulse")
    assert context.cookies() == []  # reading the pulse sets nothing

    _answer_every_statement(student, item_ids[:-1])
    press_button(student, "Send my answer")  # one statement left out
    assert student.locator(".error-summary").is_visible()
    assert_accessible(student)
    _answer_every_statement(student, item_ids[-1:], "5")
    tick(student, "tags", "race")
    press_button(student, "Send my answer")
    assert student.get_by_role("heading", name="You have answered this term").is_visible()
    assert len(context.cookies()) == 1
    assert_accessible(student)
    assert _reflows(student)

    student.goto("/s/northfield/pulse")  # back again: no form, only the thank-you
    assert student.get_by_role("heading", name="You have answered this term").is_visible()
    assert student.locator("form[action$='/pulse']").count() == 0

    _answer_every_statement(later, item_ids, "1")  # the second tab tries again
    press_button(later, "Send my answer")
    assert later.get_by_text("You have already answered the pulse this term").is_visible()
    assert_accessible(later)
    context.close()

    _sign_in_by_keyboard(page, admin, landing="**/admin/")
    page.goto("/admin/dashboard")
    press_button(page, "see belonging over time")
    assert page.get_by_role("heading", name="Belonging over time", level=1).is_visible()
    trend = page.locator("figure", has=page.get_by_text("Agreeing, term by term"))
    assert trend.locator("td", has_text=str(FEWER)).count() == 1
    assert "%" not in " ".join(trend.locator("td").all_text_contents()).replace(
        "not shown", "")
    drawn = trend.locator("svg text[data-figure]").all_text_contents()
    assert drawn == trend.locator("td[data-figure] >> nth=1").all_text_contents()
    assert_accessible(page)
    assert _reflows(page)
