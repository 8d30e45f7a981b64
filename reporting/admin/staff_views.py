"""The admin's staff pages: the list, an invitation, and one person's page with its
actions (move, reset, deactivate). The rules are in services/staff_admin.py."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from reporting.admin.staff_forms import (
    PASSWORD_HINT,
    DeactivateStaffForm,
    InviteStaffForm,
    MoveStaffForm,
    ResetStaffForm,
    without_sso,
)
from reporting.admin.views import bp
from reporting.crypto import KdfParams
from reporting.domain import disclosure
from reporting.domain.errors import BelongError
from reporting.domain.roles import Role
from reporting.extensions import db, limiter
from reporting.models import Channel, StaffUser
from reporting.models.base import utcnow
from reporting.services import sso, staff_admin
from reporting.services.delivery import dispatch
from reporting.services.rerouting import WrongPassphrase

ESCROW_TRIES = "10 per hour"  # each try is a deliberate Argon2id derivation


def _person(staff_id: int) -> StaffUser:
    try:
        return staff_admin.find_staff(db.session, current_user, staff_id)
    except staff_admin.StaffNotFound:
        abort(404)


def _params() -> KdfParams:
    return KdfParams.from_config(current_app.config)


@bp.route("/staff")
def staff_list():
    """Every account of the school with its state, last sign-in and live sessions."""
    return render_template("admin/staff_list.html",
                           rows=staff_admin.staff_rows(db.session, current_user))


def _sso_on() -> bool:
    return sso.provider_of(db.session, current_user.school) is not None


@bp.route("/staff/invite", methods=["GET", "POST"])
def staff_invite():
    """Invite someone: an account in a role, and an enrolment link by email."""
    form = InviteStaffForm() if _sso_on() else without_sso(InviteStaffForm(), "sign_in")
    if form.validate_on_submit():
        try:
            user = staff_admin.invite_staff(
                db.session, current_user, current_app.config, email=form.email.data,
                display_name=form.display_name.data, role=Role(form.role.data),
                password=form.password.data, params=_params(),
                lifetime=current_app.config["ENROLMENT_LINK_LIFETIME"], lead=form.lead.data)
        except BelongError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            db.session.commit()
            dispatch(current_app._get_current_object())
            flash(_("%(name)s is invited: the link is on its way to %(email)s.",
                    name=user.display_name, email=user.email)
                  + ("" if user.uses_sso else " " + _("Give them their first password yourself.")),
                  "success")
            return redirect(url_for("admin.staff_detail", staff_id=user.id))
    status = 400 if form.is_submitted() else 200
    return render_template("admin/staff_invite.html", form=form, hint=PASSWORD_HINT), status


def _forms(user: StaffUser) -> dict:
    move = MoveStaffForm()
    move.channel.choices = [SelectChoice(c.id, c.name) for c in current_user.school.channels
                            if c.id not in user.channel_ids]
    reset = ResetStaffForm() if _sso_on() else without_sso(ResetStaffForm(), "reset_sign_in")
    if "reset_sign_in" in reset and not reset.is_submitted():  # as they sign in today
        reset.reset_sign_in.data = "sso" if user.uses_sso else "password"
    return {"move": move, "reset": reset, "deactivate": DeactivateStaffForm()}


def _detail(user: StaffUser, forms: dict, status: int = 200):
    return render_template("admin/staff_detail.html", person=user, forms=forms,
                           state=staff_admin.state_of(user, utcnow()), hint=PASSWORD_HINT), status


@bp.route("/staff/<int:staff_id>")
def staff_detail(staff_id: int):
    """One person: their state and channels, and what an admin can do for them."""
    user = _person(staff_id)
    return _detail(user, _forms(user))


def _act(user: StaffUser, name: str, action: Callable[[object], int], done: str):
    """Validate one of the person's forms, run its service, and answer."""
    forms = _forms(user)
    form = forms[name]
    if not form.validate_on_submit():
        return _detail(user, forms, 400)
    passphrase = form[f"{name}_passphrase"]
    try:
        granted = action(form)
    except WrongPassphrase as exc:
        db.session.commit()  # keeps the audit entry of the failed unlock; nothing else changed
        passphrase.errors.append(str(exc))
        return _detail(user, forms, 400)
    except BelongError as exc:
        db.session.rollback()
        form.form_errors.append(str(exc))
        return _detail(user, forms, 400)
    db.session.commit()
    dispatch(current_app._get_current_object())
    granted_text = (" " + ngettext("The escrow granted %(shown)s cases.",
                                   "The escrow granted %(shown)s cases.", granted,
                                   shown=disclosure.count_text(granted))
                    if passphrase.data else "")
    flash(done + granted_text, "success")
    return redirect(url_for("admin.staff_detail", staff_id=user.id))


@bp.route("/staff/<int:staff_id>/deactivate", methods=["POST"])
@limiter.limit(ESCROW_TRIES)
def staff_deactivate(staff_id: int):
    """A leaver: access ends now, their open cases go back to their team."""
    user = _person(staff_id)
    return _act(user, "deactivate", lambda form: staff_admin.deactivate_staff(
        db.session, current_user, user, form.deactivate_passphrase.data),
        _("%(name)s's access has ended and their open cases are back with the team.",
          name=user.display_name))


@bp.route("/staff/<int:staff_id>/move", methods=["POST"])
@limiter.limit(ESCROW_TRIES)
def staff_move(staff_id: int):
    """Move a handler to another channel."""
    user = _person(staff_id)
    return _act(user, "move", lambda form: staff_admin.move_staff(
        db.session, current_user, user, db.session.get(Channel, form.channel.data),
        form.move_passphrase.data), _("%(name)s has moved channel.", name=user.display_name))


@bp.route("/staff/<int:staff_id>/reset", methods=["POST"])
@limiter.limit(ESCROW_TRIES)
def staff_reset(staff_id: int):
    """A lost password or authenticator: a new password and a new enrolment link."""
    user = _person(staff_id)
    return _act(user, "reset", lambda form: staff_admin.reset_staff(
        db.session, current_user, current_app.config, user, password=form.reset_password.data,
        params=_params(), lifetime=current_app.config["ENROLMENT_LINK_LIFETIME"],
        passphrase=form.reset_passphrase.data),
        _("%(name)s has a new sign-in and a new enrolment link by email.",
          name=user.display_name))
