"""Organising sessions: the same pages for admins (/admin/spaces) and for the leads they
name (/staff/spaces); the services refuse anyone else, and so do these pages, with a 403."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from reporting.admin.views import bp as admin_bp
from reporting.domain.directory import zone
from reporting.domain.errors import Conflict
from reporting.domain.spaces.fields import InvalidSession, SessionNotFound
from reporting.extensions import db
from reporting.fields import show_problems
from reporting.models import SpaceSession
from reporting.services.spaces import leads, sessions
from reporting.services.spaces.interest import interest_shown
from reporting.spaces.forms import CancelSessionForm, EditSessionForm, session_form_data
from reporting.staff.views import bp as staff_bp


def _organiser() -> None:
    """Refuse this school's staff who are neither admins nor named leads."""
    if not leads.is_organiser(db.session, current_user):
        abort(403)


def _here(endpoint: str, **values) -> str:
    """A page of this area (admin or staff), whichever the organiser came through."""
    return url_for(f"{request.blueprint}.{endpoint}", **values)


def _space_or_404(space_id: str | None) -> SpaceSession:
    try:
        return sessions.find_session(db.session, current_user.school_id, space_id)
    except SessionNotFound:
        abort(404)


def _list_page(past: bool):
    _organiser()
    school = current_user.school
    lister = sessions.archive if past else sessions.upcoming
    return render_template("spaces/organiser_list.html", school=school, past=past,
                           found=lister(db.session, school.id), zone=zone(school.timezone),
                           shown=interest_shown, cancel_form=CancelSessionForm(), here=_here)


def spaces():
    """Upcoming sessions, with how many said they might come."""
    return _list_page(past=False)


def spaces_past():
    """Sessions that have ended: the archive."""
    return _list_page(past=True)


def _session_page(form: EditSessionForm, space: SpaceSession | None = None):
    return render_template("spaces/organiser_session.html", form=form, space=space,
                           school=current_user.school, here=_here), \
        400 if form.errors or form.form_errors else 200


def _refused(form: EditSessionForm, error: InvalidSession | Conflict) -> None:
    """Roll back and put the service's reasons on the form, keeping every answer."""
    db.session.rollback()
    show_problems(form, error)


def spaces_new():
    """Publish a session."""
    _organiser()
    form = EditSessionForm()
    if form.validate_on_submit():
        try:
            sessions.create_session(db.session, current_user, current_user.school,
                                    form.to_fields())
        except InvalidSession as error:
            _refused(form, error)
        else:
            db.session.commit()
            flash(_("%(title)s is published.", title=form.title.data.strip()), "success")
            return redirect(_here("spaces"))
    return _session_page(form)


def spaces_edit():
    """Change an upcoming session."""
    _organiser()
    space = _space_or_404(request.args.get("session"))
    data = session_form_data(sessions.fields_of(space, current_user.school)) \
        if request.method == "GET" else None
    form = EditSessionForm(data=data)
    if form.validate_on_submit():
        try:
            sessions.edit_session(db.session, current_user, space, form.to_fields())
        except (InvalidSession, Conflict) as error:
            _refused(form, error)
        else:
            db.session.commit()
            flash(_("%(title)s is updated.", title=form.title.data.strip()), "success")
            return redirect(_here("spaces"))
    return _session_page(form, space)


def spaces_cancel():
    """Call off an upcoming session."""
    _organiser()
    form = CancelSessionForm()
    if not form.validate_on_submit():
        abort(400)
    space = _space_or_404(form.session.data)
    try:
        sessions.cancel_session(db.session, current_user, space)
    except Conflict as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("%(title)s is cancelled. Students see that it is off.", title=space.title),
              "success")
    return redirect(_here("spaces"))


for area in (admin_bp, staff_bp):
    area.add_url_rule("/spaces", view_func=spaces)
    area.add_url_rule("/spaces/past", view_func=spaces_past)
    area.add_url_rule("/spaces/new", view_func=spaces_new, methods=["GET", "POST"])
    area.add_url_rule("/spaces/edit", view_func=spaces_edit, methods=["GET", "POST"])
    area.add_url_rule("/spaces/cancel", view_func=spaces_cancel, methods=["POST"])


@staff_bp.app_template_global("spaces_organiser")
def spaces_organiser() -> bool:
    """For the staff navigation: may the signed-in person organise sessions?"""
    return current_user.is_authenticated and leads.is_organiser(db.session, current_user)
