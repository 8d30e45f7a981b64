"""Admins name the staff who may publish sessions, and stop them."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from reporting.admin.views import bp
from reporting.extensions import db
from reporting.services.spaces import leads
from reporting.services.staff_admin import StaffNotFound
from reporting.spaces.forms import NameLeadForm, RemoveLeadForm


def _name_form() -> NameLeadForm:
    form = NameLeadForm()
    form.staff.choices = [("", _("Choose a member of staff"))] + [
        (str(u.id), f"{u.display_name} ({u.staff_role.label})")
        for u in leads.candidates(db.session, current_user.school_id)]
    return form


@bp.route("/spaces/leads", methods=["GET", "POST"])
def spaces_leads():
    """The leads who publish sessions, and naming another."""
    form = _name_form()
    if form.validate_on_submit():
        try:
            user = leads.name_lead(db.session, current_user, form.staff.data)
        except StaffNotFound as error:
            db.session.rollback()
            form.staff.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("%(name)s can now publish sessions.", name=user.display_name), "success")
            return redirect(url_for("admin.spaces_leads"))
    return render_template("spaces/leads.html", form=form, remove_form=RemoveLeadForm(),
                           leads=leads.leads(db.session, current_user.school_id),
                           school=current_user.school), 400 if form.errors else 200


@bp.route("/spaces/leads/remove", methods=["POST"])
def spaces_lead_remove():
    """Stop a lead publishing sessions (what they published stays)."""
    form = RemoveLeadForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        user = leads.remove_lead(db.session, current_user, form.staff.data)
    except StaffNotFound:
        abort(404)
    db.session.commit()
    flash(_("%(name)s no longer publishes sessions.", name=user.display_name), "success")
    return redirect(url_for("admin.spaces_leads"))
