"""The response-time dashboard and its CSV: aggregates only, with disclosure control."""

from __future__ import annotations

import csv
import io

from flask import Response, render_template, request
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from reporting.admin.views import bp
from reporting.domain.roles import CHANNEL_LABELS
from reporting.extensions import db
from reporting.models.base import utcnow
from reporting.services import audit, dashboard
from reporting.services.stats import academic_year


class DashboardForm(FlaskForm):
    """Which year and channel (a GET form: it changes nothing)."""

    class Meta:
        csrf = False

    year = SelectField("Academic year")
    channel = SelectField("Channel", default="", choices=[SelectChoice("", "All channels")] + [
        SelectChoice(kind.value, label) for kind, label in CHANNEL_LABELS.items()])


def _filters() -> tuple[DashboardForm, dashboard.Filters]:
    form = DashboardForm(request.args if request.method == "GET" else request.form)
    years = dashboard.years(db.session, current_user.school_id) or [academic_year(utcnow())]
    form.year.choices = [SelectChoice(y, y) for y in years]
    if not form.validate():
        form.year.data, form.channel.data = years[0], ""
    return form, dashboard.Filters(current_user.school_id, form.year.data or years[0],
                                   form.channel.data or None)


@bp.route("/dashboard")
def dashboard_page():
    """How fast the school responds, by channel, setting, ground and month."""
    form, filters = _filters()
    return render_template("admin/dashboard.html", form=form,
                           data=dashboard.build(db.session, filters))


@bp.route("/dashboard.csv", methods=["POST"])  # a POST: exporting writes an audit entry
def dashboard_csv():
    """The same figures, with the same suppression, as a CSV file (the export is audited)."""
    _, filters = _filters()
    data = dashboard.build(db.session, filters)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "item", "cases", "acknowledged within target"])
    writer.writerow(["summary", "cases", data.total, data.ack_within])
    for timing in data.timings:
        writer.writerow(["timing", f"{timing.label}: median", timing.median, ""])
        writer.writerow(["timing", f"{timing.label}: 90th percentile", timing.p90, ""])
    for section, cells in (("channel", data.by_channel), ("setting", data.by_setting),
                           ("ground", data.by_ground), ("identity", data.by_identity),
                           ("month", data.by_month)):
        writer.writerows([section, c.label, c.shown, c.rate_shown] for c in cells)
    audit.record(db.session, audit.school_chain(current_user.school_id),
                 f"staff:{current_user.id}", "dashboard.export", f"year:{filters.academic_year}",
                 channel=filters.channel or "all")
    db.session.commit()
    name = f"belong-{filters.academic_year.replace('/', '-')}-{filters.channel or 'all'}.csv"
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={name}"})
