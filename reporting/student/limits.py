"""Rate limits for students that a whole campus behind one address can live with.

A university NAT puts hundreds of students behind one address, so an address alone must
never be what locks a student out. What is counted (docs/operations.md, "Rate limits"):
- per form (the client and the form's submission id): each step, and each Send; one person
  clicking, or a script replaying one form thousands of times, is slowed, nobody else;
- per address, only what costs the server (a Send or a receipt: one Argon2id run each),
  with ceilings far above a busy campus hour, and a flood ceiling on every POST;
- follow-up actions per report (the receipt session), not per address.
A hidden field that no person fills (the honeypot) catches form-filling robots.
"""

from __future__ import annotations

from flask import current_app, request, session

from reporting.crypto import keyed_digest
from reporting.extensions import limiter, pseudonymous_client
from reporting.student import REPORTER

HONEYPOT = "website_url"  # styled out of sight and out of the accessibility tree


def _scoped(what: str) -> str:
    """The client's pseudonym joined with a digest of what it is acting on."""
    digest = keyed_digest(current_app.config["BELONG_HMAC_KEY"], what)[:24]
    return f"{pseudonymous_client()}:{digest}"


def per_form() -> str:
    """Key: this client and this form (its one-time submission id)."""
    return _scoped("form:" + (request.form.get("submission_id") or ""))


def per_report() -> str:
    """Key: the report this browser opened with its receipt (or the client, if none)."""
    held = session.get(REPORTER) or {}
    return _scoped("report:" + str(held.get("report", "")))


def _is_send() -> bool:
    """Is this POST the report's Send (the review step, going forward)?"""
    return request.form.get("step") == "review" and request.form.get("action", "next") == "next"


def robot_filled_the_honeypot() -> bool:
    """Did the request fill the field that no person can see?"""
    return bool((request.form.get(HONEYPOT) or "").strip())


def _setting(name: str):
    return lambda: current_app.config[name]


def _stacked(*checks):
    """Several limits as one decorator, each counted on its own."""
    def apply(view):
        for check in reversed(checks):
            view = check(view)
        return view
    return apply


def report_limits(on_breach):
    """The report form: steps and Sends per form, Sends and every POST per address."""
    sending = {"exempt_when": lambda: not _is_send()}
    return _stacked(
        limiter.limit(_setting("REPORT_STEP_LIMIT"), key_func=per_form, methods=["POST"],
                      on_breach=on_breach),
        limiter.limit(_setting("REPORT_SEND_LIMIT"), key_func=per_form, methods=["POST"],
                      on_breach=on_breach, **sending),
        limiter.limit(_setting("CLIENT_SEND_LIMIT"), methods=["POST"], on_breach=on_breach,
                      **sending),
        limiter.limit(_setting("CLIENT_FLOOD_LIMIT"), methods=["POST"], on_breach=on_breach))


def send_limits(on_breach):
    """A form whose every POST sends (a peer request): per form, and per address."""
    return _stacked(
        limiter.limit(_setting("REPORT_SEND_LIMIT"), key_func=per_form, methods=["POST"],
                      on_breach=on_breach),
        limiter.limit(_setting("CLIENT_SEND_LIMIT"), methods=["POST"], on_breach=on_breach))


def followup_limits():
    """Follow-up actions: per report, and the flood ceiling per address."""
    return _stacked(
        limiter.limit(_setting("FOLLOWUP_LIMIT"), key_func=per_report),
        limiter.limit(_setting("CLIENT_FLOOD_LIMIT")))
