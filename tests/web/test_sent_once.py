"""A send is stored once and its receipt shown on a page of its own (post/redirect/get); a
report stored whose receipt never reached the student is told the truth and can be sent
again, the team seeing that the second repeats the first."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from reporting.domain.roles import Role
from reporting.models import Case, Report
from reporting.services import retention
from tests import factories
from tests.conftest import CSRF
from tests.web.reporting_pages import RECEIPT, post_step, ready_to_send

REPEATS = re.compile(r'name="repeats" type="hidden" value="([^"]+)"')
SUBMISSION = re.compile(r'name="submission_id" type="hidden" value="([^"]+)"')
REACHED = "Your report reached the team, but the page with its receipt did not reach you"


def _reports(session) -> int:
    session.expire_all()
    return session.scalar(select(func.count(Report.id)))


def _send(client, data, **kwargs):
    return post_step(client, "review", data, content_type="multipart/form-data", **kwargs)


def _cookie(app, client) -> str | None:
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    return cookie.value if cookie else None


def _lose_the_answer(app, client, data):
    """Send, but as if the server stopped after the commit and before answering: the
    browser never gets the response, nor the session cookie it carried."""
    before = _cookie(app, client)
    assert _send(client, data).status_code == 303
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], before)


def _sent_again(app, client, session) -> tuple[Case, Case]:
    """A report whose answer was lost, then sent again as the page offers: both cases."""
    data = ready_to_send(client)
    _lose_the_answer(app, client, data)
    page = _send(client, data).get_data(as_text=True)
    _send(client, {**data, "submission_id": SUBMISSION.search(page).group(1),
                   "repeats": REPEATS.search(page).group(1)})
    return tuple(session.scalars(select(Case).order_by(Case.created_at)).all())


def test_the_receipt_has_its_own_page_and_a_reload_sends_nothing(app, client, school,
                                                                 session):
    """Does Send answer with a redirect to the receipt, which a reload shows again, with one
    report stored?"""
    data = ready_to_send(client)
    sent = _send(client, data)
    assert sent.status_code == 303 and "/s/northfield/receipt/" in sent.location
    first = RECEIPT.search(client.get(sent.location).get_data(as_text=True)).group(1)
    again = client.get(sent.location)
    assert RECEIPT.search(again.get_data(as_text=True)).group(1) == first
    assert again.headers["Cache-Control"] == "no-store"
    assert first not in _cookie(app, client)  # sealed in the session, never in the clear
    assert _reports(session) == 1


def test_send_pressed_again_leads_to_the_receipt_still_waiting(client, school, session):
    """Back, then Send again, before keeping the receipt: the same receipt, nothing new?"""
    data = ready_to_send(client)
    location = _send(client, data).location
    again = _send(client, data)
    assert again.status_code == 303 and again.location == location
    assert _reports(session) == 1


def test_what_next_is_not_shown_before_the_receipt_is_kept(client, school):
    """Can the 'what happens next' page be reached by its address before the student has
    confirmed keeping the receipt? No: it leads back to the receipt."""
    location = _send(client, ready_to_send(client)).location
    early = client.get(location.replace("/receipt/", "/sent/"))
    assert early.status_code == 303 and early.location == location


def test_send_pressed_again_after_keeping_the_receipt_says_so(client, school, session):
    """After 'I have kept my receipt', does Send on the old page say it was sent and kept?"""
    data = ready_to_send(client)
    location = _send(client, data).location
    page = client.get(location).get_data(as_text=True)
    kept = client.post(location, data={"csrf_token": CSRF.search(page).group(1), "kept": "y"})
    assert kept.status_code == 303 and "/s/northfield/sent/" in kept.location
    assert "What happens next" in client.get(kept.location).get_data(as_text=True)
    assert client.get(location).status_code == 303  # the receipt is not shown again
    again = _send(client, data).get_data(as_text=True)
    assert "This report was already sent, and you kept its receipt" in again
    assert "Send it again" not in again and _reports(session) == 1


def test_a_report_whose_receipt_never_arrived_is_told_the_truth_and_sent_again(
        app, client, school, session):
    """When the answer to Send was lost, is the student told the report reached the team,
    offered to send it again with every answer kept, and does the team see the repeat?"""
    data = ready_to_send(client)
    _lose_the_answer(app, client, data)
    told = _send(client, data)
    page = told.get_data(as_text=True)
    assert told.status_code == 200 and REACHED in page
    assert "its receipt was shown then" not in page
    assert "Send it again" in page and data["narrative"] in page  # every answer is kept
    assert REPEATS.search(page).group(1) == data["submission_id"]
    fresh = SUBMISSION.search(page).group(1)
    assert fresh != data["submission_id"]
    resent = _send(client, {**data, "submission_id": fresh,
                            "repeats": data["submission_id"]}, follow_redirects=True)
    assert RECEIPT.search(resent.get_data(as_text=True))
    session.expire_all()
    first, second = session.scalars(select(Case).order_by(Case.created_at)).all()
    assert second.repeats_case_id == first.id and first.repeats_case_id is None


def test_the_team_sees_that_the_second_report_repeats_the_first(app, client, school, session,
                                                                login_as):
    """Do both copies' case pages say which repeats which, and where to write?"""
    handler = login_as(Role.PASTORAL_OFFICER)
    first, second = _sent_again(app, client, session)
    later = handler.get(f"/staff/cases/{second.id}").get_data(as_text=True)
    assert "repeats one received" in later and f"/staff/cases/{first.id}" in later
    earlier = handler.get(f"/staff/cases/{first.id}").get_data(as_text=True)
    assert "The student sent this again" in earlier and f"/staff/cases/{second.id}" in earlier
    assert "write to them on the later copy" in earlier


def test_a_repeat_names_only_a_report_of_the_same_school(client, school, session):
    """Does a hand-made `repeats` (unknown, or another school's submission) link nothing?"""
    other = factories.make_school(session, slug="southbank")
    elsewhere = factories.make_report(session, other)
    elsewhere.report.submission_digest = b"x" * 32
    session.commit()
    for repeats in ("not-a-submission", "A" * 5000):
        data = ready_to_send(client)
        assert _send(client, {**data, "repeats": repeats}).status_code == 303
    session.expire_all()
    assert session.scalar(select(func.count(Case.id)).where(
        Case.repeats_case_id.is_not(None))) == 0


def test_shredding_the_first_copy_keeps_the_repeat(app, client, school, session):
    """When the first copy is deleted, does the repeat stay, repeating nothing?"""
    first, second = _sent_again(app, client, session)
    retention.delete_on_request(session, first)
    session.commit()
    session.expire_all()
    assert session.get(Case, second.id).repeats_case_id is None
    assert session.get(Case, first.id) is None


def test_a_peer_request_whose_receipt_never_arrived_can_be_sent_again(app, client, school,
                                                                       session):
    """Is a peer request, like a report, told the truth and sent again as a repeat?"""
    page = client.get("/s/northfield/peer").get_data(as_text=True)
    data = {"csrf_token": CSRF.search(page).group(1), "tags": ["race"],
            "submission_id": SUBMISSION.search(page).group(1)}
    before = _cookie(app, client)
    assert client.post("/s/northfield/peer", data=data).status_code == 303
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], before)
    told = client.post("/s/northfield/peer", data=data).get_data(as_text=True)
    assert "Your request reached the team" in told and "Send it again" in told
    resent = client.post("/s/northfield/peer", follow_redirects=True, data={
        **data, "submission_id": SUBMISSION.search(told).group(1),
        "repeats": REPEATS.search(told).group(1)})
    assert RECEIPT.search(resent.get_data(as_text=True))
    first, second = session.scalars(select(Case).order_by(Case.created_at)).all()
    assert second.repeats_case_id == first.id and second.kind == "peer_connection"
