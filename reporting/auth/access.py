"""Deny by default: who may reach which part of the app, checked once per request."""

from __future__ import annotations

from flask import Flask, abort, g, redirect, request, session, url_for
from flask_login import current_user

from reporting.domain.roles import HANDLER_ROLES, Role
from reporting.extensions import db, login_manager
from reporting.models import StaffUser
from reporting.services.auth import SessionTimeouts, find_session

# Blueprints anyone may reach; every other blueprint must be listed in STAFF_AREAS.
OPEN_BLUEPRINTS = frozenset({"student", "auth", "health"})
OPEN_ENDPOINTS = frozenset({"static"})
STAFF_AREAS: dict[str, frozenset[Role]] = {
    "staff": HANDLER_ROLES,
    "admin": frozenset({Role.ADMIN}),
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
    db.session.commit()  # keeps the idle timer (or the ending of a timed-out session)
    if row is None:
        return None
    g.staff_session = row
    user = row.staff
    user.session_token = token
    return user


def home_for(user: StaffUser) -> str:
    """Where a signed-in person starts."""
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
