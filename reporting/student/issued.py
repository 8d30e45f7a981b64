"""Which receipts this browser was just shown: only those are ever shown again.

The "I have kept my receipt" form carries the receipt so it can stay on screen until the
student ticks the box. That form has no CSRF check (an expired token must not cost them
their only sight of it), so anyone could post any text to it: the page shows a receipt
again only if this server issued it to this session. The session keeps a keyed digest,
never the receipt, and forgets it once the student has kept it.
"""

from __future__ import annotations

from flask import current_app, session

from reporting.crypto import keyed_digest

ISSUED = "issued_receipts"
KEPT_AT_MOST = 3  # a student filing several reports in a row, each in its own tab


def _digest(receipt: str) -> str:
    return keyed_digest(current_app.config["BELONG_HMAC_KEY"], "issued-receipt:" + receipt)


def remember_issued(receipt: str) -> None:
    """Note that this session was shown `receipt` (when the report or request was sent)."""
    digest = _digest(receipt)
    earlier = [d for d in session.get(ISSUED, []) if d != digest]
    session[ISSUED] = [digest, *earlier][:KEPT_AT_MOST]


def issued_here(receipt: str | None) -> bool:
    """Was `receipt` issued to this session, and not yet kept?"""
    return bool(receipt) and _digest(receipt) in session.get(ISSUED, [])


def forget_issued(receipt: str) -> None:
    """The student kept it: it is never shown again."""
    remaining = [d for d in session.get(ISSUED, []) if d != _digest(receipt)]
    if remaining:
        session[ISSUED] = remaining
    else:
        session.pop(ISSUED, None)
