"""The "I might come" form's token: signed, not stored, so showing the form sets no cookie.

Flask-WTF keeps its CSRF secret in the session, so a page that renders its token sets a
cookie. This token is instead the session's id, signed with SECRET_KEY and timed, so the
page stays cookie-free until the student presses the button. It proves only that the form
came from one of our pages in the last day: it is not bound to a browser (there is no
cookie to bind it to). What refuses a POST another site starts is origin.py (Sec-Fetch-Site
and Origin, checked before any view); docs/threat-model.md explains the choice.
"""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

SALT = "belong.spaces.might-come"
MAX_AGE = 24 * 60 * 60  # a page left open for a day asks again


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def issue(space_id: int) -> str:
    """A token for the form of one session."""
    return _signer().dumps(space_id)


def valid(token: str | None, space_id: int) -> bool:
    """Was this token issued by us, for this session, within the last day?"""
    if not token:
        return False
    try:
        return _signer().loads(token, max_age=MAX_AGE) == space_id
    except BadSignature:  # SignatureExpired is one too
        return False
