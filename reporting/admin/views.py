"""The admin's pages: configuration and aggregates, never report contents."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import ngettext
from flask_login import current_user

from reporting.admin.forms import GrantForm
from reporting.domain import disclosure
from reporting.domain.errors import BelongError
from reporting.extensions import db, limiter
from reporting.models import StaffUser
from reporting.services import dashboard, queries
from reporting.services.rerouting import grant_from_escrow

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _grant_form() -> GrantForm:
    form = GrantForm()
    form.handler.choices = [(u.id, f"{u.display_name} ({u.staff_role.label})")
                            for u in queries.school_staff(db.session, current_user.school_id)
                            if u.active and u.staff_role.channel is not None]
    return form


@bp.route("/")
def home():
    """My school at a glance: channels with case counts, the staff, and escrow grants."""
    return _home_page(_grant_form())


def _home_page(grant_form: GrantForm, status: int = 200):
    return render_template(
        "admin/home.html",
        channels=dashboard.channel_counts(db.session, current_user.school_id),
        staff=queries.school_staff(db.session, current_user.school_id),
        grant_form=grant_form,
    ), status


@bp.route("/grant", methods=["POST"])
@limiter.limit("10 per hour")  # each try is a deliberate Argon2id derivation of the passphrase
def grant():
    """Give a handler who joined later (or was reset) the keys of their channels' cases."""
    form = _grant_form()
    if not form.validate_on_submit():
        return _home_page(form, 400)
    handler = db.session.get(StaffUser, form.handler.data)
    try:
        count = grant_from_escrow(db.session, current_user, current_user.school,
                                  form.passphrase.data, handler)
    except BelongError as exc:
        db.session.commit()  # keeps the audit entry of a failed unlock; nothing else was added
        form.passphrase.errors.append(str(exc))
        return _home_page(form, 400)
    db.session.commit()
    flash(ngettext("%(name)s can now read %(shown)s more cases.",
                   "%(name)s can now read %(shown)s more cases.", count,
                   name=handler.display_name, shown=disclosure.count_text(count)), "success")
    return redirect(url_for("admin.home"))
