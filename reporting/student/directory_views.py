"""Finding support without a report: the filtered directory and a printable copy.

Only GET forms without a CSRF token, so browsing the directory never sets a cookie.
"""

from __future__ import annotations

from flask import render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectMultipleField, ValidationError
from wtforms.fields.choices import SelectChoice

from reporting.domain import words
from reporting.domain.directory import KIND_LABELS, TAG_LABELS, label_of
from reporting.extensions import db
from reporting.models import School
from reporting.services import directory, suggestions
from reporting.student import bp, school_or_404

bp.add_app_template_global(label_of, "support_label")  # for entries on any page
bp.add_app_template_global(words.day_month_year, "day_month_year")  # "2 Rhagfyr 2026"


class FilterSupportForm(FlaskForm):
    """Who the support is for and what kind it is (a GET form: no token, no cookie)."""

    class Meta:
        csrf = False

    tag = SelectMultipleField(
        _l("Who is it for?"), validate_choice=False,
        choices=[SelectChoice(value, label) for value, label in TAG_LABELS.items()],
        description=_l("Tick any that apply to you. Services open to every student are "
                       "always shown too."))
    kind = RadioField(_l("What kind of support?"), default="", choices=[
        SelectChoice("", _l("Any kind")),
        *(SelectChoice(value, label) for value, label in KIND_LABELS.items())])

    def validate_tag(self, field: SelectMultipleField) -> None:
        if set(field.data or ()) - set(TAG_LABELS):
            raise ValidationError(_l("Choose from the list."))


def support_page(school: School):
    """The emergency routes, the filter, and the school's current entries that match it."""
    form = FilterSupportForm(request.args)
    shown = not request.args or form.validate()
    entries = directory.current_entries(
        db.session, school.id, tags=(form.tag.data or ()) if shown else (),
        kind=form.kind.data if shown else None)
    tags = set(form.tag.data or ()) if shown else set()
    return render_template("student/support.html", school=school, form=form, entries=entries,
                           tags=tags, suggestions=suggestions.for_identities(
                               db.session, school, tags) if tags else None), \
        200 if shown else 400


@bp.route("/s/<slug>/support/print")
def support_print(slug: str):
    """The whole directory on one page, to print or keep: the school's single source."""
    school = school_or_404(slug)
    return render_template("student/support_print.html", school=school, kinds=KIND_LABELS,
                           entries=directory.current_entries(db.session, school.id),
                           changed=directory.last_changed(db.session, school.id))
