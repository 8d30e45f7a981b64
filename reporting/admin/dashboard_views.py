"""The response-time dashboard and its CSV: aggregates only, with disclosure control."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from reporting.admin.views import bp
from reporting.domain.roles import CHANNEL_LABELS
from reporting.extensions import db
from reporting.http import csv_download
from reporting.models.base import utcnow
from reporting.services import audit, dashboard
from reporting.services.placements import figures
from reporting.services.stats import academic_year


class DashboardForm(FlaskForm):
    """Which year and channel (a GET form: it changes nothing)."""

    class Meta:
        csrf = False

    year = SelectField(_l("Academic year"))
    channel = SelectField(_l("Channel"), default="", choices=[
        SelectChoice("", _l("All channels")),
        *(SelectChoice(kind.value, label) for kind, label in CHANNEL_LABELS.items())])


def year_choices(form: FlaskForm) -> list[str]:
    """The academic years with cases, newest first (this year if none), as the form's
    choices for its `year` field."""
    years = dashboard.years(db.session, current_user.school_id) or [academic_year(utcnow())]
    form.year.choices = [SelectChoice(y, y) for y in years]
    return years


def _filters() -> tuple[DashboardForm, dashboard.Filters]:
    form = DashboardForm(request.args if request.method == "GET" else request.form)
    years = year_choices(form)
    if not form.validate():
        form.year.data, form.channel.data = years[0], ""
    return form, dashboard.Filters(current_user.school_id, form.year.data or years[0],
                                   form.channel.data or None)


@bp.route("/dashboard")
def dashboard_page():
    """How fast the school responds, by channel, setting, ground and month."""
    form, filters = _filters()
    return render_template("admin/dashboard.html", form=form,
                           data=dashboard.build(db.session, filters),
                           providers=placement_cells(filters))


def placement_cells(filters: dashboard.Filters) -> list:
    """Reports by provider for the year, if the school keeps a list (else none shown)."""
    return figures.by_provider(db.session, filters.school_id, filters.academic_year)


@bp.route("/dashboard.csv", methods=["POST"])  # a POST: exporting writes an audit entry
def dashboard_csv():
    """The same figures, with the same suppression, as a CSV file (the export is audited)."""
    _, filters = _filters()
    data = dashboard.build(db.session, filters)
    rows = [["section", "item", "cases", "acknowledged within target"],
            ["summary", "cases", data.total, data.ack_within]]
    for timing in data.timings:
        rows += [["timing", f"{timing.label}: median", timing.median, ""],
                 ["timing", f"{timing.label}: 90th percentile", timing.p90, ""]]
    for section, cells in (("channel", data.by_channel), ("setting", data.by_setting),
                           ("ground", data.by_ground), ("identity", data.by_identity),
                           ("month", data.by_month)):
        rows += [[section, c.label, c.shown, c.rate_shown] for c in cells]
    rows += [["provider", c.label, c.shown, c.rate_shown] for c in placement_cells(filters)]
    audit.record(db.session, audit.school_chain(current_user.school_id),
                 f"staff:{current_user.id}", "dashboard.export", f"year:{filters.academic_year}",
                 channel=filters.channel or "all")
    db.session.commit()
    return csv_download(f"belong-{filters.academic_year.replace('/', '-')}-"
                        f"{filters.channel or 'all'}.csv", rows)
