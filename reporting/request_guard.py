"""Requests no browser sends are refused before they reach a view or the database: a 400 or
a 404, never a 500.

- A NUL byte in the path (no page has one): 404. PostgreSQL cannot take NUL in text, so
  a path segment (a school's slug, a case id) holding one must never reach a query. (Query
  strings and forms are each checked by their own form, with a message.)
- A body that cannot be read or parsed (a malformed chunked encoding, say: Gunicorn raises
  its own parse errors, not OSError): 400, wherever the form is first read, by the CSRF
  check or by a view.
"""

from __future__ import annotations

from flask import Flask, Request, abort, request
from werkzeug.exceptions import BadRequest, HTTPException

UNREADABLE = "The request body could not be read."


class CheckedRequest(Request):
    """A request whose unreadable body is the client's error (400), not ours (500)."""

    unreadable = False  # once the body failed, every later read fails the same way

    def _load_form_data(self) -> None:
        if self.unreadable:
            raise BadRequest(UNREADABLE)
        try:
            super()._load_form_data()
        except HTTPException:
            raise  # already an answer: too large (413), disconnected (400)
        except Exception as exc:  # a boundary: what the client sent could not be read
            self.unreadable = True
            raise BadRequest(UNREADABLE) from exc


def check_request() -> None:
    """404 for a NUL in the path, 400 for an unreadable body.

    The body is read here, first, so that no later hook (the rate limiter's keys, the CSRF
    check) meets it unreadable; every view of a POST reads it anyway.
    """
    if "\x00" in request.path:
        abort(404)
    if request.method == "POST":
        request.form  # noqa: B018 (parsed now: raises BadRequest if it cannot be read)


def init_app(app: Flask) -> None:
    """Use the checked request class; check each request before every other hook."""
    app.request_class = CheckedRequest
    app.before_request(check_request)
