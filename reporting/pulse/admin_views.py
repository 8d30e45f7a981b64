"""The admin's pulse pages: results by term and identity (suppressed), and the items."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from reporting.admin.views import bp
from reporting.domain.directory import zone
from reporting.domain.pulse.items import InvalidItems
from reporting.domain.terms import parse, recent, term_at
from reporting.extensions import db
from reporting.models.base import utcnow
from reporting.pulse.forms import EditPulseItemsForm
from reporting.services.pulse.answers import terms_answered
from reporting.services.pulse.items import current_items, set_items, source_note, source_of
from reporting.services.pulse.results import results

SHOWN_TERMS = 6  # the trend covers two academic years at most


@bp.route("/pulse")
def pulse():
    """Belonging over time: the trend across terms, this term by statement and identity."""
    school = current_user.school
    now = term_at(utcnow(), zone(school.timezone))
    answered = [t for t in map(parse, terms_answered(db.session, school.id)) if t]
    terms = [t for t in recent(now, SHOWN_TERMS) if t >= min([now, *answered])]
    data = results(db.session, school.id, terms)
    latest = next((t for t in reversed(data.terms) if t.overall.people), data.terms[-1])
    return render_template("pulse/results.html", data=data, latest=latest,
                           source=source_note(db.session, school))


@bp.route("/pulse/items", methods=["GET", "POST"])
def pulse_items():
    """Change the school's statements, citing a published scale if it loads one."""
    school_id = current_user.school_id
    form = EditPulseItemsForm()
    if not form.is_submitted():
        source = source_of(db.session, school_id)
        form.items.data = "\n".join(i.text for i in current_items(db.session, school_id))
        form.source.data = "published" if source.published else "own"
        form.citation.data, form.licence.data = source.citation, source.licence
    elif form.validate():
        try:
            set_items(db.session, current_user, school_id, form.items.data or "",
                      form.source.data == "published", form.citation.data or "",
                      form.licence.data or "")
        except InvalidItems as error:
            db.session.rollback()
            for name, message in error.problems.items():
                getattr(form, name).errors = [*getattr(form, name).errors, message]
        else:
            db.session.commit()
            flash(_("The pulse's statements are saved. Students see them from now on."))
            return redirect(url_for("admin.pulse_items"), 303)
    status = 400 if form.errors else 200
    db.session.commit()  # the default items, written in on first use
    return render_template("pulse/items.html", form=form,
                           source=source_note(db.session, current_user.school)), status
