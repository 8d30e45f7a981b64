"""Admins and role models (/admin/role-models): approve or send back profiles, and see
flagged conversations' metadata (never their words)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from reporting.admin.staff_views import ESCROW_TRIES
from reporting.admin.views import bp
from reporting.domain.errors import BelongError
from reporting.domain.role_models import FLAG_REASONS, ProfileNotFound
from reporting.extensions import db, limiter
from reporting.models import RoleModelThread
from reporting.role_models.forms import ProfileDecisionForm, ReadExcerptForm
from reporting.services.role_models import profiles, threads


def _list_page(excerpt_form: ReadExcerptForm | None = None, excerpt: tuple | None = None,
               status: int = 200):
    return render_template("role_models/admin_list.html",
                           found=profiles.school_profiles(db.session, current_user),
                           flagged=threads.flagged_threads(db.session, current_user),
                           form=ProfileDecisionForm(),
                           reasons=FLAG_REASONS, excerpt=excerpt,
                           excerpt_form=excerpt_form or ReadExcerptForm(formdata=None)), status


@bp.route("/role-models")
def role_models():
    """Every profile of the school, those waiting first, and flagged conversations."""
    return _list_page()


@bp.route("/role-models/excerpt", methods=["POST"])
@limiter.limit(ESCROW_TRIES)
def role_models_excerpt():
    """What a flagger chose to share, opened with the escrow passphrase (audited)."""
    form = ReadExcerptForm()
    if not form.validate_on_submit():
        return _list_page(form, status=400)
    thread = db.session.get(RoleModelThread, str(form.thread.data)[:32])
    if thread is None or thread.school_id != current_user.school_id:
        abort(404)
    try:
        text = threads.read_flag_excerpt(db.session, current_user, thread, form.passphrase.data)
    except BelongError as error:
        db.session.commit()  # a wrong passphrase is audited
        form.passphrase.errors.append(str(error))
        return _list_page(form, status=400)
    return _list_page(excerpt=(thread.id, text))


def _decide(decision) -> str:
    form = ProfileDecisionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        profile = profiles.find_for_admin(db.session, current_user, form.profile.data)
    except ProfileNotFound:
        abort(404)
    decision(db.session, current_user, profile)
    return profile.display_name


@bp.route("/role-models/approve", methods=["POST"])
def role_models_approve():
    """Show a waiting profile to students."""
    flash(_("%(name)s's profile is now shown to students.",
            name=_decide(profiles.approve_profile)), "success")
    return redirect(url_for("admin.role_models"))


@bp.route("/role-models/decline", methods=["POST"])
def role_models_decline():
    """Hide a profile and send it back to its volunteer."""
    flash(_("%(name)s's profile is hidden and sent back.",
            name=_decide(profiles.decline_profile)), "success")
    return redirect(url_for("admin.role_models"))
