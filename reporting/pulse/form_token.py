"""The pulse form's token: signed, not stored, so showing the pulse sets no cookie.

As for "I might come" (spaces/form_token.py): Flask-WTF would keep its CSRF secret in the
session, a cookie. This token is instead signed with SECRET_KEY, timed, and names the
school and the term; inside it is a random per-term token that, once the student answers,
is kept in their cookie and (as a digest) in the used-token table, so the same form cannot
count twice. What refuses a POST another site starts is origin.py.
"""

from __future__ import annotations

import secrets

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

SALT = "belong.pulse.answer"
MAX_AGE = 24 * 60 * 60  # a page left open for a day asks again


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def issue(school_id: int, term_key: str) -> str:
    """A form token for one school's pulse in one term, holding a fresh random token."""
    return _signer().dumps([school_id, term_key, secrets.token_urlsafe(16)])


def token_in(signed: str | None, school_id: int, term_key: str) -> str | None:
    """The random token inside, if we signed it for this school and term within a day."""
    if not signed:
        return None
    try:
        school, term, token = _signer().loads(signed, max_age=MAX_AGE)
    except (BadSignature, ValueError, TypeError):  # SignatureExpired is a BadSignature
        return None
    return token if (school, term) == (school_id, term_key) and isinstance(token, str) else None
