"""The admin's response-time settings: targets per channel, counting, the holiday calendar."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from reporting.admin.policy_forms import (
    AddHolidayForm,
    RemoveHolidayForm,
    ResponseTargetsForm,
    targets_form_data,
)
from reporting.admin.views import bp
from reporting.domain import words
from reporting.domain.errors import BelongError
from reporting.extensions import db
from reporting.services import sla_settings


def _moved(count: int) -> str:
    return " " + ngettext("%(num)d open case now has a new deadline.",
                          "%(num)d open cases now have a new deadline.", count) if count else ""


def _targets_form() -> ResponseTargetsForm:
    return ResponseTargetsForm(formdata=None, data=targets_form_data(
        sla_settings.current_targets(current_user.school)))


def _page(form: ResponseTargetsForm, holiday_form: AddHolidayForm):
    school = current_user.school
    return render_template(
        "admin/response_times.html", form=form, holiday_form=holiday_form, school=school,
        holidays=sla_settings.holidays(db.session, school),
    ), 400 if form.errors or holiday_form.errors else 200


@bp.route("/response-times", methods=["GET", "POST"])
def response_times():
    """Set the school's response-time targets; open cases' deadlines follow at once."""
    form = ResponseTargetsForm() if request.method == "POST" else _targets_form()
    if form.validate_on_submit():
        try:
            moved = sla_settings.update_targets(db.session, current_user, current_user.school,
                                                form.to_targets())
        except sla_settings.InvalidTargets as error:
            db.session.rollback()
            for name, message in error.problems.items():
                (form[name].errors if name in form else form.form_errors).append(message)
        else:
            db.session.commit()
            flash(_("The response-time targets are saved.") + _moved(moved), "success")
            return redirect(url_for("admin.response_times"))
    return _page(form, AddHolidayForm(formdata=None))


@bp.route("/response-times/holidays", methods=["POST"])
def holiday_add():
    """Add a day to the school's holiday calendar."""
    form = AddHolidayForm()
    if form.validate_on_submit():
        try:
            moved = sla_settings.add_holiday(db.session, current_user, current_user.school,
                                             form.day.data, form.name.data or "")
        except BelongError as error:
            db.session.rollback()
            form.day.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("%(day)s is now a holiday.", day=words.day_month_year(form.day.data))
                  + _moved(moved), "success")
            return redirect(url_for("admin.response_times"))
    return _page(_targets_form(), form)


@bp.route("/response-times/holidays/remove", methods=["POST"])
def holiday_remove():
    """Take a day off the school's holiday calendar."""
    form = RemoveHolidayForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        moved = sla_settings.remove_holiday(db.session, current_user, current_user.school,
                                            form.chosen)
    except sla_settings.HolidayNotFound:
        abort(404)
    db.session.commit()
    flash(_("%(day)s is no longer a holiday.", day=words.day_month_year(form.chosen))
          + _moved(moved), "success")
    return redirect(url_for("admin.response_times"))
