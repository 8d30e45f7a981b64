"""The school's access log for admins: filter by person, case and days; page; export as CSV."""

from __future__ import annotations

import re

from flask import render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, ValidationError
from wtforms.validators import NumberRange, Optional

from reporting.admin.views import bp
from reporting.domain import references
from reporting.extensions import db
from reporting.fields import DayField, PageNumber
from reporting.http import csv_download
from reporting.models.base import utcnow
from reporting.services import access_log, queries

CASE_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def one_case(typed: str) -> str:
    """A typed case filter in its stored form: a reference as shown, an id in lower case."""
    typed = typed.strip()
    return references.normalise(typed) or typed.lower()


class AuditFilterForm(FlaskForm):
    """Filters for the log (read with GET; the export resends them with the CSRF token)."""

    class Meta:
        csrf = False  # the export POST is checked by the app-wide CSRF protection

    user = SelectField(_l("Done by"), default="", validate_choice=False)
    case = StringField(_l("Case reference"), filters=[lambda value: one_case(value or "")],
                       validators=[Optional()])
    since = DayField(_l("From"), validators=[Optional()])
    until = DayField(_l("To"), validators=[Optional()])
    page = PageNumber(_l("Page"), default=1, validators=[Optional(), NumberRange(
        1, 100_000, message=_l("The page must be between 1 and 100,000."))])

    def validate_user(self, field: SelectField) -> None:
        if field.data not in {value for value, _ in field.choices}:
            raise ValidationError(_("Choose someone from the list."))

    def validate_case(self, field: StringField) -> None:
        if field.data and not (CASE_ID.fullmatch(field.data)
                               or references.normalise(field.data) == field.data):
            raise ValidationError(_("Enter a case reference as it appears in the log, for "
                                    "example NF-7K3Q (or a case's id from its page's address)."))

    def validate_until(self, field: DayField) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_("The end date must be the same as or after the start date."))

    def wanted(self) -> access_log.AuditFilter:
        """The validated filters."""
        return access_log.AuditFilter(actor=self.user.data or "", case_id=self.case.data or "",
                                      since=self.since.data, until=self.until.data,
                                      page=self.page.data or 1)


def _filter_form(formdata) -> AuditFilterForm:
    form = AuditFilterForm(formdata)
    form.user.choices = [("", _("Anyone")), ("reporter", _("Students (with their receipt)"))] + [
        (f"staff:{u.id}", f"{u.display_name} ({u.staff_role.label})")
        for u in queries.school_staff(db.session, current_user.school_id)]
    return form


def _kept(wanted: access_log.AuditFilter) -> dict[str, str]:
    """The filters in force, for the pager's links and the export form."""
    values = {"user": wanted.actor, "case": wanted.case_id,
              "since": wanted.since.isoformat() if wanted.since else "",
              "until": wanted.until.isoformat() if wanted.until else ""}
    return {name: value for name, value in values.items() if value}


@bp.route("/audit")
def audit_log():
    """The school's audit log, newest first, filtered and paged; nothing is decrypted."""
    form = _filter_form(request.args)
    if not form.validate():
        return render_template("admin/audit.html", form=form, entries=[], total=0,
                               wanted=None), 400
    wanted = form.wanted()
    entries, total = access_log.audit_page(db.session, current_user.school, wanted)
    return render_template("admin/audit.html", form=form, entries=entries, total=total,
                           wanted=wanted, page_size=access_log.PAGE_SIZE,
                           kept=_kept(wanted))


@bp.route("/audit/export", methods=["POST"])
def audit_export():
    """Download the filtered log as CSV; the download is itself recorded in the log."""
    form = _filter_form(request.form)
    if not form.validate():
        return render_template("admin/audit.html", form=form, entries=[], total=0,
                               wanted=None), 400
    wanted = form.wanted()
    entries = access_log.all_entries(db.session, current_user.school, wanted)
    access_log.record_export(db.session, current_user, wanted, len(entries))
    db.session.commit()
    return csv_download(f"audit-log-{current_user.school.slug}-{utcnow().date().isoformat()}"
                        ".csv", access_log.csv_rows(entries))
