"""The support directory, for admins: list, add, edit, retire, history, and any past day."""

from __future__ import annotations

from datetime import datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from reporting.admin.forms import (
    EditSupportEntryForm,
    PickDirectoryDateForm,
    RetireSupportEntryForm,
    UrgentContactForm,
    entry_form_data,
)
from reporting.admin.views import bp
from reporting.domain.directory import EntryNotFound, InvalidEntry, end_of_day, zone
from reporting.domain.errors import Conflict
from reporting.domain.numbers import whole_number
from reporting.extensions import db
from reporting.fields import show_problems
from reporting.models import SupportEntry
from reporting.services import directory


def _entry_or_404(entry_id: str | None) -> SupportEntry:
    try:
        return directory.find_entry(db.session, current_user.school_id, entry_id)
    except EntryNotFound:
        abort(404)


def _refused(form: EditSupportEntryForm, error: InvalidEntry | Conflict) -> None:
    """Roll back and put the service's reasons on the form, keeping every answer."""
    db.session.rollback()
    show_problems(form, error)


def _seen(revision: str | None) -> int:
    """The revision the editor started from (0, never a real id, if the form lost it)."""
    return whole_number(revision) or 0


def _entry_page(form: EditSupportEntryForm, entry: SupportEntry | None = None):
    return render_template("admin/directory_entry.html", form=form, entry=entry,
                           school=current_user.school), 400 if form.errors else 200


def _list_page(urgent_form: UrgentContactForm | None = None):
    school = current_user.school
    if urgent_form is None:
        urgent_form = UrgentContactForm(formdata=None, data={
            "urgent_contact": school.urgent_contact, "urgent_contact_cy": school.urgent_contact_cy})
    return render_template(
        "admin/directory.html", school=school, retire_form=RetireSupportEntryForm(),
        entries=directory.school_entries(db.session, current_user.school_id),
        date_form=PickDirectoryDateForm(formdata=None), zone=zone(school.timezone),
        urgent_form=urgent_form,
        urgent_lacks_welsh=bool(school.urgent_contact) and not school.urgent_contact_cy,
    ), 400 if urgent_form.errors else 200


@bp.route("/directory")
def directory_list():
    """Every entry of my school's directory, current ones first, and the urgent contact."""
    return _list_page()


@bp.route("/directory/urgent-contact", methods=["POST"])
def urgent_contact():
    """Change the school's own urgent contact, in English and (optionally) Welsh."""
    form = UrgentContactForm()
    if not form.validate_on_submit():
        return _list_page(form)
    directory.set_urgent_contact(db.session, current_user, current_user.school,
                                 form.urgent_contact.data or "", form.urgent_contact_cy.data or "")
    db.session.commit()
    flash(_("The urgent contact is saved."), "success")
    return redirect(url_for("admin.directory_list"))


@bp.route("/directory/new", methods=["GET", "POST"])
def directory_new():
    """Add an entry to the directory."""
    form = EditSupportEntryForm()
    if form.validate_on_submit():
        try:
            directory.create_entry(db.session, current_user, current_user.school,
                                   form.to_fields())
        except InvalidEntry as error:
            _refused(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s is now in the directory.", name=form.name.data.strip()), "success")
            return redirect(url_for("admin.directory_list"))
    return _entry_page(form)


@bp.route("/directory/edit", methods=["GET", "POST"])
def directory_edit():
    """Change an entry: the current revision ends now and a new one begins."""
    entry = _entry_or_404(request.args.get("entry"))
    current = directory.current_revision(db.session, entry)
    if current is None:  # retired: nothing left to edit
        abort(404)
    form = EditSupportEntryForm(data=entry_form_data(directory.fields_of(current), current.id)
                                if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            directory.edit_entry(db.session, current_user, entry, form.to_fields(),
                                 _seen(form.revision.data))
        except (InvalidEntry, Conflict) as error:
            _refused(form, error)
            newest = directory.current_revision(db.session, entry)  # saving again replaces it
            form.revision.data = str(newest.id) if newest else ""
        else:
            db.session.commit()
            flash(_("%(name)s is updated. The earlier version is kept in its history.",
                    name=form.name.data.strip()), "success")
            return redirect(url_for("admin.directory_list"))
    return _entry_page(form, entry)


@bp.route("/directory/retire", methods=["POST"])
def directory_retire():
    """Take an entry out of the directory from now on; its history stays."""
    form = RetireSupportEntryForm()
    if not form.validate_on_submit():
        abort(400)
    entry = _entry_or_404(form.entry.data)
    try:
        closed = directory.retire_entry(db.session, current_user, entry)
    except Conflict as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("%(name)s is retired. It stays in the directory's history.", name=closed.name),
              "success")
    return redirect(url_for("admin.directory_list"))


@bp.route("/directory/history")
def directory_history():
    """Every version of one entry, newest first, and who made it."""
    entry = _entry_or_404(request.args.get("entry"))
    revisions = directory.entry_history(db.session, entry)
    return render_template("admin/directory_history.html", entry=entry, revisions=revisions,
                           editors=directory.editor_names(db.session, revisions),
                           school=current_user.school, zone=zone(current_user.school.timezone))


@bp.route("/directory/past")
def directory_past():
    """What the directory said at the end of a chosen day."""
    school = current_user.school
    where = zone(school.timezone)
    form = PickDirectoryDateForm(request.args)
    day = form.day(datetime.now(where).date()) if request.args else None
    entries = directory.directory_at(db.session, school.id, end_of_day(day, where)) \
        if day else None
    return render_template("admin/directory_past.html", form=form, day=day, entries=entries,
                           school=school), 400 if form.errors else 200
