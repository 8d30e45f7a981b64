"""Only a receipt this server issued to this browser is ever shown as "your receipt"."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest

from tests.conftest import CSRF
from tests.web.reporting_pages import RECEIPT, post_step, ready_to_send

PLANTED = "K7QF-9XM2-P4TD-W8HN-3RCV"
NOT_SHOWN = "A receipt is shown only once"


def _session(app, client) -> str:
    """Everything the session cookie holds, as text (it is signed, not encrypted)."""
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie, "no session cookie"
    return json.dumps(app.session_interface.get_signing_serializer(app).loads(cookie.value))


def _send(client):
    """Send a report; return its receipt page's path and the page (post/redirect/get)."""
    shown = post_step(client, "review", ready_to_send(client),
                      content_type="multipart/form-data", follow_redirects=True)
    assert shown.status_code == 200 and "/s/northfield/receipt/" in shown.request.path
    return shown.request.path, shown.get_data(as_text=True)


def _shows_nothing(page, *withheld: str) -> None:
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and NOT_SHOWN in body
    assert not RECEIPT.search(body)
    assert not any(text and text in body for text in withheld)
    assert "What happens next" not in body  # nobody is told a report of theirs was sent


@pytest.mark.parametrize("handle", ["not-a-handle", PLANTED, "\"><b>x", "CALL-0800-NOW!"])
@pytest.mark.parametrize("posted", [PLANTED, "CALL-0800-000-0000-NOW!", "<b>x</b>", ""])
def test_a_receipt_posted_from_elsewhere_is_never_shown(client, school, handle, posted):
    """Does a browser that was issued nothing, asking for any receipt page or posting any
    text to it, get no receipt, only the way on?"""
    url = f"/s/northfield/receipt/{handle}"
    _shows_nothing(client.get(url), posted)
    for data in ({"receipt": posted}, {"receipt": posted, "kept": "y"}):
        _shows_nothing(client.post(url, data=data), posted)


def test_a_browser_is_shown_again_only_the_receipt_it_was_issued(app, client, school):
    """Is the student's own receipt shown until kept, while nothing posted ever is?"""
    url, page = _send(client)
    receipt = RECEIPT.search(page).group(1)
    token = CSRF.search(page).group(1)
    held = _session(app, client)
    assert '"sent"' in held and receipt not in held  # sealed into the session, not in clear
    other = client.post(url, data={"csrf_token": token, "receipt": PLANTED})
    assert PLANTED not in other.get_data(as_text=True)
    assert RECEIPT.search(other.get_data(as_text=True)).group(1) == receipt
    _shows_nothing(client.get(url + "x"), receipt)  # only the handle it was issued
    again = client.post(url, data={"kept": "y"})  # an expired token: still shown, with why
    assert RECEIPT.search(again.get_data(as_text=True)).group(1) == receipt
    assert "This page was open for a long time" in again.get_data(as_text=True)
    done = client.post(url, data={"csrf_token": token, "kept": "y"})
    assert done.status_code == 303 and "/s/northfield/sent/" in done.location
    assert "What happens next" in client.get(done.location).get_data(as_text=True)
    later = client.get(url, follow_redirects=True)  # kept: gone from the page and session
    assert later.request.path == urlsplit(done.location).path
    assert receipt not in later.get_data(as_text=True)
    assert receipt not in _session(app, client)


def test_another_browser_cannot_have_a_receipt_shown(app, client, school):
    """Does a second browser opening or posting to the first one's receipt page get
    nothing back?"""
    url, page = _send(client)
    receipt = RECEIPT.search(page).group(1)
    stranger = app.test_client()
    _shows_nothing(stranger.get(url), receipt)
    _shows_nothing(stranger.post(url, data={"receipt": receipt, "kept": "y"}), receipt)
    next_page = stranger.get(url.replace("/receipt/", "/sent/"))
    assert next_page.status_code == 302 and next_page.location.endswith("/s/northfield/")
    assert RECEIPT.search(client.get(url).get_data(as_text=True)).group(1) == receipt


def test_a_peer_request_receipt_is_shown_again_until_kept(app, client, school):
    """Is a peer request's receipt, like a report's, shown again to its own browser only?"""
    page = client.get("/s/northfield/peer").get_data(as_text=True)
    sent = client.post("/s/northfield/peer", data={
        "csrf_token": CSRF.search(page).group(1), "tags": ["race"],
        "submission_id": re.search(r'name="submission_id" type="hidden" value="([^"]+)"',
                                   page).group(1)})
    assert sent.status_code == 303 and "/s/northfield/receipt/" in sent.location
    shown = client.get(sent.location).get_data(as_text=True)
    receipt = RECEIPT.search(shown).group(1)
    again = client.post(sent.location, data={"csrf_token": CSRF.search(shown).group(1)})
    assert receipt in again.get_data(as_text=True)
    assert "Tick the box" in again.get_data(as_text=True)
    _shows_nothing(app.test_client().get(sent.location), receipt)
