"""Role models for students: browse by identities and kind of help (no account, no cookie:
the filter is a GET form and lives only in the URL), write to a volunteer, and come back
to the conversation with its receipt. Writing is acting, so the write and receipt pages
carry Flask-WTF's token and set the session cookie, as the report form does."""

from __future__ import annotations

import base64
import time

from flask import abort, current_app, redirect, render_template, request, session, url_for

from reporting.domain.errors import BelongError, InvalidReceipt
from reporting.domain.role_models import HELP_LABELS, ProfileNotFound
from reporting.domain.words import N_
from reporting.extensions import db, limiter
from reporting.models import RoleModelThread, School
from reporting.role_models.forms import (
    FilterRoleModelsForm,
    ThreadReceiptForm,
    WriteForm,
    posted_thread_form,
    thread_forms,
)
from reporting.services.delivery import dispatch
from reporting.services.role_models import profiles, threads
from reporting.student import bp, school_or_404

bp.add_app_template_global(HELP_LABELS, "role_model_help")  # for profile cards on any page

HELD = "role_model_thread"  # the session key of a student who opened a thread
LOST = N_("That receipt does not match a conversation here. Check each group of four and "
          "try again. If it is lost, nobody can open the conversation for you: you can write "
          "again.")


def _profile_or_404(school: School, profile_id: int):
    try:
        return profiles.shown_profile(db.session, school.id, profile_id)
    except ProfileNotFound:
        abort(404)


@bp.route("/s/<slug>/role-models")
def role_models(slug: str):
    """Volunteers students can write to, the best overlap with what they ticked first."""
    school = school_or_404(slug)
    form = FilterRoleModelsForm(request.args)
    shown = not request.args or form.validate()
    tags = (form.tag.data or ()) if shown else ()
    helps = (form.help.data or ()) if shown else ()
    return render_template("role_models/student_list.html", school=school, form=form,
                           found=profiles.browse(db.session, school.id, tags, helps),
                           tags=set(tags)), 200 if shown else 400


@bp.route("/s/<slug>/role-models/<int:profile_id>")
def role_model(slug: str, profile_id: int):
    """One volunteer's profile."""
    school = school_or_404(slug)
    return render_template("role_models/student_profile.html", school=school,
                           profile=_profile_or_404(school, profile_id))


@bp.route("/s/<slug>/role-models/<int:profile_id>/write", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def role_model_write(slug: str, profile_id: int):
    """Write to a volunteer; the receipt is shown once."""
    school = school_or_404(slug)
    profile = _profile_or_404(school, profile_id)
    form = WriteForm()
    if form.validate_on_submit():
        try:
            started = threads.start_thread(db.session, school, profile, form.text.data)
        except BelongError as error:
            db.session.rollback()
            form.text.errors.append(str(error))
        else:
            session.clear()
            dispatch(current_app._get_current_object())
            return render_template("role_models/student_sent.html", school=school,
                                   profile=profile, receipt=started.receipt)
    return render_template("role_models/student_write.html", school=school, profile=profile,
                           form=form)


@bp.route("/s/<slug>/role-models/return", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RECEIPT_RATE_LIMIT"], methods=["POST"])
def role_model_return(slug: str):
    """Come back to a conversation with its receipt."""
    school = school_or_404(slug)
    form = ThreadReceiptForm()
    if form.validate_on_submit():
        try:
            access = threads.open_with_receipt(db.session, school, form.receipt.data)
        except InvalidReceipt:
            form.receipt.errors.append(LOST)
        else:
            session.clear()
            session[HELD] = {"school": school.id, "thread": access.thread.id,
                             "key": base64.b64encode(access.key).decode(),
                             "at": int(time.time())}
            return redirect(url_for("student.role_model_thread", slug=slug))
    return render_template("role_models/student_return.html", school=school, form=form)


def _held(school: School) -> threads.StudentAccess | None:
    held = session.get(HELD)
    if not held or held.get("school") != school.id \
            or time.time() - held["at"] > current_app.config["REPORTER_SESSION_SECONDS"]:
        return None
    thread = db.session.get(RoleModelThread, held["thread"])
    return None if thread is None else threads.StudentAccess(
        thread, base64.b64decode(held["key"]))


def _thread_page(school: School, access: threads.StudentAccess, status: int = 200, **forms):
    forms = thread_forms(**forms)
    return render_template("role_models/student_thread.html", school=school,
                           thread=access.thread, messages=threads.read(access.thread, access.key),
                           **forms), status


def _per_thread() -> str:
    """Key: the conversation this browser opened with its receipt."""
    return "role-model-thread:" + str((session.get(HELD) or {}).get("thread", ""))


@bp.route("/s/<slug>/role-models/conversation", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["FOLLOWUP_LIMIT"], key_func=_per_thread,
               methods=["POST"])
@limiter.limit(lambda: current_app.config["CLIENT_FLOOD_LIMIT"], methods=["POST"])
def role_model_thread(slug: str):
    """The conversation: read, answer, end or flag it."""
    school = school_or_404(slug)
    access = _held(school)
    if access is None:
        return redirect(url_for("student.role_model_return", slug=slug))
    if request.method == "GET":
        return _thread_page(school, access)
    try:
        action, form = posted_thread_form()
    except KeyError:
        abort(400)
    if not form.validate_on_submit():
        return _thread_page(school, access, 400, **{f"{action}_form": form})
    try:
        if action == "write":
            threads.student_writes(db.session, access, form.text.data)
            dispatch(current_app._get_current_object())
        elif action == "end":
            threads.end_thread(db.session, access.thread, "student", "student")
        else:
            threads.flag_thread(db.session, access.thread, "student", "student",
                                form.reason.data, form.excerpt.data or "")
    except BelongError as error:
        db.session.rollback()
        form.form_errors.append(str(error))
        return _thread_page(school, access, 409, **{f"{action}_form": form})
    return redirect(url_for("student.role_model_thread", slug=slug), 303)
