"""A volunteer's pages (/volunteer): their profile and their conversations. The gate lets
only the role-model role in; it never reaches /staff (cases) or /admin."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from reporting.domain.errors import BelongError
from reporting.domain.role_models import InvalidProfile, KeyReplaced, NotAllowed
from reporting.extensions import db
from reporting.fields import show_problems
from reporting.role_models.forms import (
    EditProfileForm,
    WithdrawProfileForm,
    posted_thread_form,
    thread_forms,
)
from reporting.services.role_models import profiles, threads
from reporting.staff.views import private_key

bp = Blueprint("volunteer", __name__, url_prefix="/volunteer")


@bp.route("/")
def home():
    """The volunteer's profile, as it stands, and their conversations."""
    return render_template("role_models/volunteer_home.html",
                           profile=profiles.own_profile(db.session, current_user),
                           found=threads.volunteer_threads(db.session, current_user),
                           withdraw_form=WithdrawProfileForm())


@bp.route("/profile", methods=["GET", "POST"])
def profile():
    """Write or edit the profile; it waits for an admin's approval before it shows."""
    own = profiles.own_profile(db.session, current_user)
    data = None if own is None else {
        "display_name": own.display_name, "role_title": own.role_title,
        "specialty": own.specialty, "tags": own.tag_list, "helps": own.help_list,
        "why": own.why, "role_title_cy": own.role_title_cy,
        "specialty_cy": own.specialty_cy, "why_cy": own.why_cy}
    form = EditProfileForm(data=data) if request.method == "GET" else EditProfileForm()
    if form.validate_on_submit():
        try:
            profiles.save_profile(db.session, current_user, form.to_fields())
        except InvalidProfile as error:
            db.session.rollback()
            show_problems(form, error)
        else:
            flash(_("Saved. An admin will approve your profile before students see it."),
                  "success")
            return redirect(url_for("volunteer.home"))
    return render_template("role_models/volunteer_profile.html", form=form)


@bp.route("/profile/withdraw", methods=["POST"])
def withdraw():
    """Take the profile down."""
    if WithdrawProfileForm().validate_on_submit():
        profiles.withdraw_profile(db.session, current_user)
        flash(_("Your profile is no longer shown to students."), "success")
    return redirect(url_for("volunteer.home"))


def _thread(thread_id: str):
    try:
        return threads.find_for_volunteer(db.session, current_user, thread_id)
    except NotAllowed:
        abort(404)


def _page(thread, status: int = 200, **forms):
    forms = thread_forms(**forms)
    try:
        messages = threads.open_for_volunteer(db.session, current_user, thread, private_key())
    except KeyReplaced as error:
        flash(str(error), "error")
        return redirect(url_for("volunteer.home"))
    return render_template("role_models/volunteer_thread.html", thread=thread,
                           messages=messages, **forms), status


@bp.route("/conversations/<thread_id>", methods=["GET", "POST"])
def conversation(thread_id: str):
    """One conversation: read, answer, end or flag it."""
    thread = _thread(thread_id)
    if request.method == "GET":
        return _page(thread)
    try:
        action, form = posted_thread_form()
    except KeyError:
        abort(400)
    if not form.validate_on_submit():
        return _page(thread, 400, **{f"{action}_form": form})
    actor = f"staff:{current_user.id}"
    try:
        if action == "write":
            threads.volunteer_writes(db.session, current_user, thread, private_key(),
                                     form.text.data)
        elif action == "end":
            threads.end_thread(db.session, thread, "volunteer", actor)
        else:
            threads.flag_thread(db.session, thread, "volunteer", actor, form.reason.data,
                                form.excerpt.data or "")
    except BelongError as error:
        db.session.rollback()
        form.form_errors.append(str(error))
        return _page(thread, 409, **{f"{action}_form": form})
    return redirect(url_for("volunteer.conversation", thread_id=thread.id), 303)
