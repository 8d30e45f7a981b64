"""Over https in Chromium, against deploy/ run for real: a student whose form hits the rate
limit, or whose Send meets a stopped database, gets the step back with every answer, the quick
exit and (not safe) the emergency routes, and sends once it clears."""

from __future__ import annotations

import re
import secrets

import pytest

from tests.browser.conftest import assert_accessible, press_button, walk_to_review
from tests.production.harness import SCHOOL, Harness

SUBMISSION = re.compile(r'name="submission_id" type="hidden" value="([^"]+)"')


@pytest.fixture
def student(https_browser, harness: Harness):
    """A fresh Chromium context on the one-server deployment."""
    context = https_browser.new_context(base_url=harness.base_url)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def _answers_kept(page, narrative: str) -> None:
    """The review step is back with the narrative and every answer, the quick exit and the
    emergency routes above it, and passes axe."""
    assert page.locator("text=Step 5 of 5").is_visible()
    assert page.get_by_text(narrative).is_visible()  # the review lists every answer
    assert page.get_by_text("Race, ethnicity or nationality").is_visible()
    assert page.locator("#quick-exit").is_visible()
    assert page.locator("main #emergency").is_visible()
    assert_accessible(page)


def _reports(harness: Harness) -> int:
    return int(harness.postgres.psql("SELECT count(*) FROM reports"))


def test_a_form_over_its_limit_keeps_every_answer(student, harness: Harness):
    """When this form has used its steps' limit (a script replaying it), does the student's
    Send show the review again (429) with every answer, and send once the limit is reset?"""
    narrative = f"The charge nurse mocks my hijab at handover ({secrets.token_hex(4)})."
    walk_to_review(student, narrative, safe="no", slug=SCHOOL)
    submission = student.locator("input[name='submission_id']").input_value()
    replay = harness.session()
    for _ in range(60):  # REPORT_STEP_LIMIT: 60 a minute for one form
        replay.post(harness.url(f"/s/{SCHOOL}/report"),
                    data={"step": "about", "submission_id": submission})
    before = _reports(harness)
    with student.expect_response(lambda r: r.request.method == "POST") as sent:
        press_button(student, "Send my report")
    assert sent.value.status == 429
    assert student.get_by_text("Belong is receiving a lot from your connection").is_visible()
    _answers_kept(student, narrative)
    assert _reports(harness) == before
    harness.reset_rate_limits()
    press_button(student, "Send my report")
    student.wait_for_selector("#receipt-code")
    assert _reports(harness) == before + 1


def test_a_send_with_the_database_stopped_keeps_every_answer(student, harness: Harness):
    """With PostgreSQL stopped at the moment of Send, is the review shown again (503) with
    every answer and 'nothing was stored', and does Send work once it is back?"""
    narrative = f"A patient's relative shouted slurs at me on the ward ({secrets.token_hex(4)})."
    walk_to_review(student, narrative, safe="no", slug=SCHOOL)
    before = _reports(harness)
    harness.postgres.stop()
    try:
        with student.expect_response(lambda r: r.request.method == "POST") as sent:
            press_button(student, "Send my report")
        assert sent.value.status == 503
        assert student.get_by_text("We could not save your report just now").is_visible()
        _answers_kept(student, narrative)
    finally:
        harness.postgres.start()
    press_button(student, "Send my report")
    student.wait_for_selector("#receipt-code")
    assert_accessible(student)
    assert _reports(harness) == before + 1
