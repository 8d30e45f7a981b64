"""Deny by default: who may reach which part of the app, checked once per request."""

from __future__ import annotations

import base64
import binascii

from flask import Flask, abort, g, redirect, request, session, url_for
from flask_login import current_user

from reporting.auth import oidc
from reporting.crypto import CryptoError
from reporting.domain.roles import HANDLER_ROLES, Role
from reporting.extensions import db, login_manager
from reporting.models import StaffSession, StaffUser
from reporting.models.base import utcnow
from reporting.services import sso
from reporting.services.auth import SessionTimeouts, find_session

# Blueprints anyone may reach; every other blueprint must be listed in STAFF_AREAS.
OPEN_BLUEPRINTS = frozenset({"student", "auth", "health"})
OPEN_ENDPOINTS = frozenset({"static"})
STAFF_AREAS: dict[str, frozenset[Role]] = {
    "staff": HANDLER_ROLES,
    "admin": frozenset({Role.ADMIN}),
    "volunteer": frozenset({Role.ROLE_MODEL}),  # role models: their profile and threads only
    "account": frozenset(Role),  # your own password, authenticator and sessions
}
SESSION_KEY = "staff_key"


def timeouts(config: dict) -> SessionTimeouts:
    """The session timeouts from configuration."""
    return SessionTimeouts(config["STAFF_IDLE_TIMEOUT"], config["STAFF_MAX_SESSION"],
                           config["STAFF_PENDING_2FA_TIMEOUT"])


def load_user(token: str) -> StaffUser | None:
    """Flask-Login loader: the staff member of a live, second-factor-verified session."""
    from flask import current_app

    row = find_session(db.session, token, timeouts(current_app.config))
    if row is not None and sso.check_due(row, utcnow(), current_app.config["SSO_RECHECK"]):
        row = _ask_provider(row)
    if db.session.dirty:  # the idle timer moved, or a session ended: keep it
        db.session.commit()
    if row is None:
        return None
    g.staff_session = row
    user = row.staff
    user.session_token = token
    return user


def _ask_provider(row: StaffSession) -> StaffSession | None:
    """A single-sign-on session asks the school's provider, now and then, whether the
    account is still live: a refusal (signed out, disabled) ends it at once. One request
    at a time asks (the turn is taken in the database), and a provider that cannot be
    reached is asked again a minute later, until the grace runs out."""
    from flask import current_app

    config = current_app.config
    provider = sso.provider_of(db.session, row.staff.school)
    if provider is not None and oidc.left_alone(provider.school_id):
        return row
    last_answer = sso.take_check(db.session, row, utcnow())
    if last_answer is None:  # another request of this session is asking now
        return row
    db.session.commit()
    try:
        if provider is None:
            raise oidc.ProviderError("single sign-on is off")
        key = base64.b64decode(session.get(SESSION_KEY, ""))
        sso.still_live(row, key, oidc.refresh(config, provider,
                                              sso.refresh_token_of(row, key)))
    except (oidc.ProviderError, CryptoError, binascii.Error):
        sso.ended_by_provider(db.session, row, "provider")
        return None
    except oidc.ProviderUnreachable:
        row.idp_checked_at = last_answer  # not answered: ask again once it can be reached
        if utcnow() - last_answer > config["SSO_UNREACHABLE_GRACE"]:
            sso.ended_by_provider(db.session, row, "provider_unreachable")
            return None
    return row


def home_for(user: StaffUser) -> str:
    """Where a signed-in person starts."""
    if user.staff_role is Role.ROLE_MODEL:
        return url_for("volunteer.home")
    return url_for("admin.home" if user.staff_role is Role.ADMIN else "staff.queue")


def gate():
    """Before every request: let open areas through, require the right role everywhere else."""
    if request.endpoint is None or request.endpoint in OPEN_ENDPOINTS \
            or request.blueprint in OPEN_BLUEPRINTS:
        return None
    roles = STAFF_AREAS.get(request.blueprint)
    if roles is None:
        abort(404)
    if not current_user.is_authenticated:
        session.pop("_user_id", None)
        return redirect(url_for("auth.login"))
    if current_user.staff_role not in roles:
        abort(403)
    return None


def init_app(app: Flask) -> None:
    """Wire the loader and the gate."""
    login_manager.user_loader(load_user)
    login_manager.session_protection = None  # sessions are server-side rows with timeouts
    login_manager.login_view = "auth.login"
    app.before_request(gate)
