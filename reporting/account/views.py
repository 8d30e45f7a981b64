"""Your account: change your password, replace your authenticator, see and end sessions.

Open to every staff role (admins too) once signed in with both factors (auth/access.py).
"""

from __future__ import annotations

import base64
from datetime import datetime

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from reporting.account.forms import ChangePasswordForm, EndSessionForm
from reporting.auth import backoff
from reporting.auth.access import timeouts
from reporting.auth.forms import SecondFactorForm
from reporting.auth.qr import qr_code
from reporting.crypto import CryptoError, KdfParams
from reporting.domain import words
from reporting.domain.directory import zone
from reporting.domain.errors import Conflict, InvalidCredentials, InvalidSecondFactor
from reporting.domain.numbers import whole_number
from reporting.extensions import db, limiter
from reporting.services import account, totp

bp = Blueprint("account", __name__, url_prefix="/staff/account")
PENDING = "new_authenticator"


def _limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _when(moment: datetime) -> str:
    """'14 March 2026, 09:30', with the month in the page's language."""
    return f"{words.day_month_year(moment)}, {moment:%H:%M}"


@bp.route("/")
def home():
    """What you can change, and where you are signed in."""
    rows = account.live_sessions(db.session, current_user, timeouts(current_app.config))
    return render_template("account/home.html", sessions=rows, this=g.staff_session.id,
                           zone=zone(current_user.school.timezone), when=_when)


@bp.route("/password", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"])
def password():
    """Change your password; your other sessions end."""
    if current_user.uses_sso:  # no Belong password: the home page says so
        return redirect(url_for("account.home"))
    form = ChangePasswordForm()
    if form.validate_on_submit():
        tries = backoff.password(current_user.email)  # counts with wrong sign-in passwords
        try:
            backoff.check(tries)
            account.change_password(db.session, current_user, g.staff_session,
                                    current=form.current.data, new=form.new.data,
                                    params=KdfParams.from_config(current_app.config))
        except backoff.TooManyTries as wait:
            form.current.errors.append(wait.message)
            return render_template("account/password.html", form=form), 429
        except InvalidCredentials:
            db.session.commit()  # keep the audit entry of the refusal
            backoff.failed(tries)
            form.current.errors.append(_("That is not your current password."))
        except Conflict as problem:
            form.new.errors.append(str(problem))
        else:
            db.session.commit()
            backoff.succeeded(tries)
            flash(_("Your password is changed. You were signed out everywhere else."), "success")
            return redirect(url_for("account.home"))
    return render_template("account/password.html", form=form)


def _pending_authenticator(key: bytes) -> tuple[str, bytes]:
    """The new secret waiting, sealed, in this browser's cookie until a code confirms it
    (a fresh one if there is none, or it does not open for this account)."""
    if PENDING in session:
        sealed = base64.b64decode(session[PENDING])
        try:
            return totp.open_secret(key, current_user.id, sealed), sealed
        except CryptoError:
            pass
    secret, sealed = account.new_authenticator(key, current_user)
    session[PENDING] = base64.b64encode(sealed).decode()
    return secret, sealed


@bp.route("/authenticator", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"])
def authenticator():
    """Replace your authenticator: scan a new QR code, confirm with a code from it."""
    key = totp.totp_key(current_app.config)
    secret, sealed = _pending_authenticator(key)
    form = SecondFactorForm()
    if form.validate_on_submit():
        try:
            account.replace_authenticator(db.session, current_user, g.staff_session, sealed,
                                          form.code.data, key)
        except InvalidSecondFactor:
            db.session.commit()  # keep the audit entry of the refusal
            form.code.errors.append(_("That code is not right. Check it is from the new "
                                      "entry in your app, wait for a new code and try again."))
        else:
            db.session.commit()
            session.pop(PENDING)
            flash(_("Your new authenticator is set up; the old one no longer works. You were "
                    "signed out everywhere else."), "success")
            return redirect(url_for("account.home"))
    return render_template("account/authenticator.html", form=form, secret=secret,
                           qr=qr_code(secret, current_user.email))


@bp.route("/sessions/<int:session_id>/end", methods=["POST"])
def end_session(session_id: int):
    """End one of your sessions at once; ending this one signs you out."""
    form = EndSessionForm()
    if not form.validate_on_submit():
        abort(400)
    if whole_number(session_id) is None \
            or not account.end_own_session(db.session, current_user, session_id):
        abort(404)
    db.session.commit()
    if session_id == g.staff_session.id:
        logout_user()
        session.clear()
        return redirect(url_for("auth.login"))
    flash(_("That session has ended: it is signed out."), "success")
    return redirect(url_for("account.home"))
