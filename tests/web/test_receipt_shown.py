"""Only a receipt this server issued to this browser is ever shown as "your receipt"."""

from __future__ import annotations

import re

import pytest

from tests.conftest import CSRF, csrf_token
from tests.web.reporting_pages import RECEIPT, file_report

KEPT = "/s/northfield/report/receipt"
PLANTED = "K7QF-9XM2-P4TD-W8HN-3RCV"


def _session_cookie(client) -> str:
    cookie = client.get_cookie("session")
    return cookie.value if cookie else ""


@pytest.mark.parametrize("posted", [PLANTED, "CALL-0800-000-0000-NOW!", "<b>x</b>", ""])
def test_a_receipt_posted_from_elsewhere_is_never_shown(client, school, posted):
    """Does a POST from a browser that was issued nothing show no receipt, only the way on?"""
    for data in ({"receipt": posted}, {"receipt": posted, "kept": "y"}):
        page = client.post(KEPT, data=data)
        body = page.get_data(as_text=True)
        assert page.status_code == 200 and "A receipt is shown only once" in body
        assert not RECEIPT.search(body) and (not posted or posted not in body)
        assert "What happens next" not in body  # nobody is told a report of theirs was sent


def test_a_browser_is_shown_again_only_the_receipt_it_was_issued(client, school):
    """Is the student's own receipt shown until kept, while another one posted is not?"""
    receipt = file_report(client)
    token = csrf_token(client, "/s/northfield/return")
    assert receipt not in _session_cookie(client)  # only a keyed digest is kept
    other = client.post(KEPT, data={"csrf_token": token, "receipt": PLANTED})
    assert PLANTED not in other.get_data(as_text=True)
    again = client.post(KEPT, data={"receipt": receipt})  # an expired token: still shown
    assert RECEIPT.search(again.get_data(as_text=True)).group(1) == receipt
    assert "Tick the box" in again.get_data(as_text=True)
    done = client.post(KEPT, data={"csrf_token": token, "receipt": receipt, "kept": "y"})
    assert "What happens next" in done.get_data(as_text=True)
    later = client.post(KEPT, data={"csrf_token": token, "receipt": receipt})  # kept: gone
    assert receipt not in later.get_data(as_text=True)
    assert "A receipt is shown only once" in later.get_data(as_text=True)


def test_another_browser_cannot_have_a_receipt_shown(app, client, school):
    """Does a second browser posting the first one's receipt get nothing back?"""
    receipt = file_report(client)
    stranger = app.test_client()
    page = stranger.post(KEPT, data={"receipt": receipt}).get_data(as_text=True)
    assert receipt not in page and "A receipt is shown only once" in page


def test_a_peer_request_receipt_is_shown_again_until_kept(client, school):
    """Is a peer request's receipt, like a report's, shown again to its own browser only?"""
    page = client.get("/s/northfield/peer").get_data(as_text=True)
    sent = client.post("/s/northfield/peer", data={
        "csrf_token": CSRF.search(page).group(1), "tags": ["race"],
        "submission_id": re.search(r'name="submission_id" type="hidden" value="([^"]+)"',
                                   page).group(1)})
    receipt = RECEIPT.search(sent.get_data(as_text=True)).group(1)
    again = client.post(KEPT, data={"receipt": receipt}).get_data(as_text=True)
    assert receipt in again and "Tick the box" in again
