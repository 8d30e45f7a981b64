"""Placement providers, for admins: the school's list (add, rename, retire), the per-term
alert threshold, and each provider's aggregate-only export for its guardian."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from reporting.admin.placement_forms import (
    AddProviderForm,
    ExportProviderForm,
    RenameProviderForm,
    RetireProviderForm,
    ThresholdForm,
)
from reporting.admin.views import bp
from reporting.domain.numbers import whole_number
from reporting.domain.placements import InvalidProvider, ProviderNotFound
from reporting.extensions import db
from reporting.fields import show_problems
from reporting.http import csv_download
from reporting.models import PlacementProvider
from reporting.models.base import utcnow
from reporting.services import audit, dashboard, placements
from reporting.services.placements import figures
from reporting.services.stats import academic_year


def _provider_or_404(provider_id: str | None) -> PlacementProvider:
    try:
        return placements.find_provider(db.session, current_user.school_id, provider_id)
    except ProviderNotFound:
        abort(404)


def _export_form() -> ExportProviderForm:
    form = ExportProviderForm()
    form.provider.choices = [(str(p.id), p.name) for p in placements.school_providers(
        db.session, current_user.school_id)]
    form.year.choices = dashboard.years(db.session, current_user.school_id) or [
        academic_year(utcnow())]
    return form


def _page(add_form=None, threshold_form=None, export_form=None, status: int = 200):
    school_id = current_user.school_id
    threshold = placements.threshold_of(db.session, school_id)
    return render_template(
        "admin/placements.html", school=current_user.school,
        providers=placements.school_providers(db.session, school_id),
        add_form=add_form or AddProviderForm(formdata=None), retire_form=RetireProviderForm(),
        threshold_form=threshold_form or ThresholdForm(
            formdata=None, data={"threshold": "" if threshold is None else str(threshold)}),
        threshold=threshold, export_form=export_form or _export_form()), status


@bp.route("/placements")
def placements_list():
    """My school's placement providers, the alert threshold and the guardians' exports."""
    return _page()


@bp.route("/placements/add", methods=["POST"])
def placements_add():
    """Add a provider to the list students choose from."""
    form = AddProviderForm()
    if form.validate_on_submit():
        try:
            provider = placements.add_provider(db.session, current_user, current_user.school_id,
                                               form.name.data)
        except InvalidProvider as error:
            db.session.rollback()
            show_problems(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s is now on the list.", name=provider.name), "success")
            return redirect(url_for("admin.placements_list"))
    return _page(add_form=form, status=400)


@bp.route("/placements/rename", methods=["GET", "POST"])
def placements_rename():
    """Rename a provider; the reports that named it follow."""
    provider = _provider_or_404(request.args.get("provider"))
    form = RenameProviderForm(data={"name": provider.name} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            placements.rename_provider(db.session, current_user, provider, form.name.data)
        except InvalidProvider as error:
            db.session.rollback()
            show_problems(form, error)
        else:
            db.session.commit()
            flash(_("The provider is now called %(name)s.", name=provider.name), "success")
            return redirect(url_for("admin.placements_list"))
    return render_template("admin/placements_rename.html", form=form, provider=provider,
                           school=current_user.school), 400 if form.errors else 200


@bp.route("/placements/retire", methods=["POST"])
def placements_retire():
    """Take a provider off the report form from now on; its reports stay counted."""
    form = RetireProviderForm()
    if not form.validate_on_submit():
        abort(400)
    provider = placements.retire_provider(db.session, current_user,
                                          _provider_or_404(form.provider.data))
    db.session.commit()
    flash(_("%(name)s is retired: students no longer see it, and its reports stay counted.",
            name=provider.name), "success")
    return redirect(url_for("admin.placements_list"))


@bp.route("/placements/threshold", methods=["POST"])
def placements_threshold():
    """Set the per-term threshold for rising-pattern alerts (empty: no alerts)."""
    form = ThresholdForm()
    if form.validate_on_submit():
        typed = (form.threshold.data or "").strip()
        value = whole_number(typed, 10**6) if typed else None
        try:
            if typed and value is None:
                raise InvalidProvider({"threshold": _("Enter a whole number, like 10.")})
            placements.set_threshold(db.session, current_user, current_user.school_id, value)
        except InvalidProvider as error:
            db.session.rollback()
            show_problems(form, error)
        else:
            db.session.commit()
            flash(_("Alerts are off.") if value is None else
                  _("You will be told when a term's reports about one provider, setting or "
                    "ground reach %(count)s.", count=value), "success")
            return redirect(url_for("admin.placements_list"))
    return _page(threshold_form=form, status=400)


@bp.route("/placements/export", methods=["POST"])  # a POST: exporting writes an audit entry
def placements_export():
    """One provider's figures for its Freedom to Speak Up Guardian: aggregates only,
    suppressed as the dashboard is (the export is audited)."""
    form = _export_form()
    if not form.validate_on_submit():  # a provider or year not on the lists
        return _page(export_form=form, status=400)
    provider = _provider_or_404(form.provider.data)
    data = figures.for_provider(db.session, provider, form.year.data)
    audit.record(db.session, audit.school_chain(current_user.school_id),
                 f"staff:{current_user.id}", "placement.export",
                 f"placement_provider:{provider.id}", year=form.year.data)
    db.session.commit()
    return csv_download(f"belong-provider-{provider.id}-{form.year.data.replace('/', '-')}.csv",
                        figures.csv_rows(data))
