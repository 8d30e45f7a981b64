"""Staff sign-in: password, then the authenticator code; enrolment; sign-out."""

from __future__ import annotations

import base64

from flask import Blueprint, current_app, g, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from reporting.auth import backoff
from reporting.auth.access import SESSION_KEY, home_for, timeouts
from reporting.auth.forms import (
    EnrolmentForm,
    PasswordHelpForm,
    SecondFactorForm,
    SignInForm,
    SignOutForm,
)
from reporting.auth.qr import qr_code
from reporting.crypto import KdfParams
from reporting.domain.errors import InvalidCredentials, InvalidEnrolment, InvalidSecondFactor
from reporting.extensions import db, limiter
from reporting.models import StaffUser
from reporting.services import auth, password_help, sso, totp
from reporting.services.delivery import dispatch

bp = Blueprint("auth", __name__, url_prefix="/auth")
PENDING = "staff_pending"
ENROLMENT = "staff_enrolment"


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _start(email: str, password: str) -> bool:
    """Check the password and park the pending session in the cookie; False if refused.

    Raises backoff.TooManyTries while this email must wait, whatever the password.
    """
    backoff.check(backoff.password(email))
    try:
        params = KdfParams.from_config(current_app.config)
        ticket = auth.sign_in(db.session, email, password, params)
    except InvalidCredentials:
        db.session.commit()  # keep the audit entry of the failure
        backoff.failed(backoff.password(email))
        return False
    db.session.commit()
    backoff.succeeded(backoff.password(email))
    park(ticket)
    return True


def park(ticket: auth.SessionTicket) -> None:
    """Keep a new session's token and key in a fresh cookie, waiting for the second factor."""
    session.clear()
    session[PENDING] = ticket.token
    session[SESSION_KEY] = base64.b64encode(ticket.session_key).decode()


def signed_in(user: StaffUser):
    """The parked session passed its second factor: sign the person in and send them home."""
    user.session_token = session.pop(PENDING)
    session.pop(ENROLMENT, None)
    login_user(user)
    session.pop("_id", None)  # Flask-Login's hash of IP and browser: not needed, not kept
    return redirect(home_for(user))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    """Step one: email and password (the same message whatever was wrong)."""
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = SignInForm()
    if form.validate_on_submit():
        try:
            started = _start(form.email.data, form.password.data)
        except backoff.TooManyTries as wait:
            form.form_errors.append(wait.message)
            return render_template("auth/login.html", form=form,
                                   sso_schools=sso.enabled_providers(db.session)), 429
        if started:
            return redirect(url_for("auth.second_factor"))
        form.form_errors.append(_("That email and password do not match an account."))
    return render_template("auth/login.html", form=form,
                           sso_schools=sso.enabled_providers(db.session))


@bp.route("/two-factor", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def second_factor():
    """Step two: the authenticator code (or, when enrolling, the QR code and a first code)."""
    pending = auth.find_session(db.session, session.get(PENDING, ""),
                                timeouts(current_app.config), pending=True)
    if pending is None:
        session.pop(PENDING, None)
        return redirect(url_for("auth.login"))
    form = SecondFactorForm()
    enrolling, status = pending.staff.totp_enrolled_at is None, 200
    if form.validate_on_submit():
        tries = (backoff.code(pending.staff.email), backoff.pending(session[PENDING]))
        try:
            backoff.check(*tries)
            auth.complete_sign_in(db.session, pending, form.code.data,
                                  totp.totp_key(current_app.config), session.get(ENROLMENT))
        except backoff.TooManyTries as wait:
            form.code.errors.append(wait.message)
            status = 429
        except (InvalidSecondFactor, InvalidEnrolment):
            db.session.commit()
            backoff.failed(*tries)
            form.code.errors.append(_("That code is not right. Wait for a new code and try again."))
        else:
            db.session.commit()
            backoff.succeeded(*tries)
            return signed_in(pending.staff)
    qr = secret = None
    if enrolling and session.get(ENROLMENT):
        secret = totp.secret_of(totp.totp_key(current_app.config), pending.staff)
        qr = qr_code(secret, pending.staff.email)
    return render_template("auth/two_factor.html", form=form, enrolling=enrolling, qr=qr,
                           secret=secret), status


@bp.route("/enrol/<token>", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def enrol(token: str):
    """Open an enrolment link: confirm the password, then set up the authenticator."""
    try:
        user = auth.find_enrolment(db.session, token)
    except InvalidEnrolment:
        return render_template("auth/enrol_invalid.html"), 404
    if user.uses_sso:  # no password: the school's provider vouches for them
        return render_template("auth/enrol_sso.html", user=user, token=token,
                               provider=sso.provider_of(db.session, user.school))
    form = EnrolmentForm()
    if form.validate_on_submit():
        try:
            started = _start(user.email, form.password.data)
        except backoff.TooManyTries as wait:
            form.password.errors.append(wait.message)
            return render_template("auth/enrol.html", form=form, user=user), 429
        if started:
            session[ENROLMENT] = token
            return redirect(url_for("auth.second_factor"))
        form.password.errors.append(_("That is not the password you were given."))
    return render_template("auth/enrol.html", form=form, user=user)


def _help_limit() -> str:
    return current_app.config["HELP_REQUEST_RATE_LIMIT"]


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(_help_limit, methods=["POST"])
def forgot_password():
    """How a lost password is recovered; asking tells the school's admins.

    The answer is the same page whether or not the address has an account.
    """
    form, asked = PasswordHelpForm(), False
    if form.validate_on_submit():
        password_help.ask_for_help(db.session, form.email.data)
        db.session.commit()
        if current_app.config.get("REDIS_URL"):  # always, known address or not: same timing
            dispatch(current_app._get_current_object())
        asked = True
    return render_template("auth/forgot_password.html", form=form, asked=asked)


@bp.route("/logout", methods=["POST"])
def logout():
    """End the session on the server and in the browser."""
    form = SignOutForm()
    if form.validate_on_submit() and current_user.is_authenticated:
        auth.sign_out(db.session, g.staff_session)
        db.session.commit()
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))
