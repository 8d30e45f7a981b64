"""What this browser sent: receipts waiting to be kept, and sends whose receipt was kept.

A stored report or peer request answers with a redirect to a page of its own for the
receipt (post/redirect/get), so a reload shows the receipt again instead of sending twice.
Until the student ticks "I have kept my receipt", the session holds the receipt and the
case it opens, sealed with a server key (the session cookie is signed, not encrypted), so
no text posted from anywhere is ever shown as "your receipt". Once kept, the receipt is
dropped and only a keyed digest of the send's one-time submission id stays, so pressing
Send again on an old tab says what really happened to that send.

A send this session knows nothing of was stored while the answer never arrived (the server
stopped between the commit and the response) or the session was cleared: the report form
says so, and offers to send it again as a repeat.
"""

from __future__ import annotations

import base64
import json
import secrets
from dataclasses import asdict, dataclass, replace

from flask import current_app, session

from reporting import crypto
from reporting.crypto import CryptoError

SENT = "sent"
KEPT_AT_MOST = 3  # a student filing several reports in a row, each in its own tab


@dataclass(frozen=True)
class Sent:
    """One send of this browser: the receipt ('' once kept) and the case it opened."""

    handle: str  # names the receipt's page; useless without this session
    receipt: str
    case_id: str
    not_safe: bool = False
    peer: bool = False


def _key() -> bytes:
    return crypto.server_key(current_app.config["SECRET_KEY"], "session-sent")


def _digest(submission_id: str) -> str:
    return crypto.keyed_digest(current_app.config["BELONG_HMAC_KEY"], "sent:" + submission_id)


def _seal(sent: Sent) -> dict:
    blob = crypto.seal(_key(), json.dumps(asdict(sent)).encode(), b"belong/sent/" +
                       sent.handle.encode())
    return {"h": sent.handle, "b": base64.b64encode(blob).decode()}


def _records() -> list[dict]:
    records = session.get(SENT, [])
    return records if isinstance(records, list) else []


def _open(record: dict) -> Sent | None:
    try:
        handle = record["h"]
        sent = Sent(**json.loads(crypto.unseal(_key(), base64.b64decode(record["b"]),
                                               b"belong/sent/" + handle.encode())))
    except (CryptoError, KeyError, TypeError, ValueError):
        return None  # sealed under an older key, or not ours: as if never sent here
    return sent if sent.handle == handle else None


def _save(records: list[dict]) -> None:
    if records:
        session[SENT] = records[:KEPT_AT_MOST * 2]
    else:
        session.pop(SENT, None)


def remember_sent(submission_id: str | None, receipt: str, case_id: str, *,
                  not_safe: bool = False, peer: bool = False) -> str:
    """Note a send whose receipt is about to be shown; return the handle of its page."""
    sent = Sent(secrets.token_urlsafe(9), receipt, case_id, not_safe, peer)
    record = {**_seal(sent), "s": _digest(submission_id or sent.handle)}
    waiting = [r for r in _records() if (s := _open(r)) is not None and s.receipt]
    kept = [r for r in _records() if (s := _open(r)) is not None and not s.receipt]
    _save([record, *waiting[:KEPT_AT_MOST - 1], *kept[:KEPT_AT_MOST]])
    return sent.handle


def sent_here(handle: str) -> Sent | None:
    """The send this session made under `handle` (its receipt '' once kept)."""
    return next((s for r in _records() if r.get("h") == handle and (s := _open(r))), None)


def sent_before(submission_id: str | None) -> Sent | None:
    """What this session knows of an earlier send of the same submission id, if anything."""
    if not submission_id:
        return None
    digest = _digest(submission_id)
    return next((s for r in _records() if r.get("s") == digest and (s := _open(r))), None)


def keep(handle: str) -> Sent | None:
    """The student kept the receipt: it is never shown again. The send is remembered."""
    records = _records()
    for index, record in enumerate(records):
        if record.get("h") == handle and (sent := _open(record)) is not None:
            records[index] = {**record, **_seal(replace(sent, receipt=""))}
            _save(records)
            return sent
    return None
