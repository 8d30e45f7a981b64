"""A campus behind one address can report; a flood from one address is slowed, alone."""

from __future__ import annotations

import time

from sqlalchemy import func, select

from reporting.models import Report
from tests.web.reporting_pages import ANSWERS, file_report, post_step, start

CAMPUS_HOUR = 300  # genuine reports from one university NAT in an hour
FLOOD = 2000  # identical POSTs replayed by a script


def test_three_hundred_reports_from_one_address_all_succeed(app, session, school):
    """Do 300 students behind one address (a university NAT) all get their receipt?"""
    started = time.perf_counter()
    receipts = {file_report(app.test_client()) for _ in range(CAMPUS_HOUR)}
    took = time.perf_counter() - started
    print(f"\n{CAMPUS_HOUR} reports from one address: all sent in {took:.1f} s "
          f"({CAMPUS_HOUR * 6} requests)")
    assert len(receipts) == CAMPUS_HOUR
    assert session.scalar(select(func.count(Report.id))) == CAMPUS_HOUR


def test_a_flood_of_identical_posts_is_slowed_without_locking_anyone_out(app, session,
                                                                         school):
    """Are thousands of identical POSTs from one address slowed (429), while another student
    behind the same address, and one elsewhere, still report?"""
    flooder = app.test_client()
    data = {**start(flooder), **ANSWERS}
    statuses = [post_step(flooder, "about", data).status_code for _ in range(FLOOD)]
    passed, slowed = statuses.count(200), statuses.count(429)
    print(f"\nflood of {FLOOD} identical POSTs: {passed} answered, {slowed} slowed (429)")
    assert passed == 60 and slowed == FLOOD - 60  # REPORT_STEP_LIMIT: 60 a minute per form
    assert file_report(app.test_client())  # the same address, another student
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    assert file_report(elsewhere)


def test_the_same_report_sent_again_and_again_is_slowed(app, school):
    """Is one form's Send replayed by a script slowed after a few, with the answers kept?"""
    client = app.test_client()
    data = {**start(client), **ANSWERS, "chosen_channel": "pastoral"}
    sent = [post_step(client, "review", data) for _ in range(8)]
    statuses = [response.status_code for response in sent]
    assert statuses[:5] == [303] * 5 and set(statuses[5:]) == {429}  # 5 a minute per form
    # Each Send below the limit leads to the one receipt still waiting (one report stored).
    assert len({response.location for response in sent[:5]}) == 1


def test_a_robot_that_fills_the_hidden_field_sends_nothing(app, session, school):
    """Does a form-filler that fills the field no person sees get nowhere, told nothing
    that blames a person?"""
    client = app.test_client()
    data = {**start(client), **ANSWERS, "chosen_channel": "pastoral",
            "website_url": "http://spam.example"}
    page = post_step(client, "review", data).get_data(as_text=True)
    assert "That did not go through" in page and "receipt-code" not in page
    assert session.scalar(select(func.count(Report.id))) == 0
    assert 'hidden><label for="website_url">' in page  # out of sight and of the tab order
