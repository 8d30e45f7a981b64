"""The admin's single-sign-on page: the school's OpenID Connect provider (services/sso.py)."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from reporting.admin.sso_forms import SsoSettingsForm
from reporting.admin.views import bp
from reporting.auth import oidc
from reporting.domain.errors import Conflict
from reporting.extensions import db
from reporting.models import SsoProvider
from reporting.services import sso


def _stored() -> SsoSettingsForm:
    provider = db.session.get(SsoProvider, current_user.school_id)
    if provider is None:
        return SsoSettingsForm(formdata=None)
    return SsoSettingsForm(formdata=None, data={
        "enabled": provider.enabled, "issuer": provider.issuer,
        "client_id": provider.client_id, "trust_idp_mfa": provider.trust_idp_mfa,
        "acr_values": provider.mfa_acr_values})


@bp.route("/sign-in", methods=["GET", "POST"])
def sso_settings():
    """Set up (or switch off) sign-in with the university's identity provider."""
    form = SsoSettingsForm() if request.method == "POST" else _stored()
    if form.validate_on_submit():
        try:
            issuer = sso.check_issuer(form.issuer.data)
            discovered = (oidc.discover(current_app.config, issuer)["issuer"]
                          if form.enabled.data else None)  # switching off needs no provider
            sso.save_provider(
                db.session, current_user, current_app.config, issuer=issuer,
                discovered_issuer=discovered, client_id=form.client_id.data,
                secret=form.client_secret.data or None, enabled=form.enabled.data,
                trust_idp_mfa=form.trust_idp_mfa.data, acr_values=form.acr_values.data or "")
        except (Conflict, oidc.ProviderError) as exc:
            db.session.rollback()
            form.issuer.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("Single sign-on is saved.") if form.enabled.data
                  else _("Single sign-on is saved and switched off."), "success")
            return redirect(url_for("admin.sso_settings"))
    slug = current_user.school.slug
    return render_template(
        "admin/sso.html", form=form,
        has_secret=db.session.get(SsoProvider, current_user.school_id) is not None,
        recheck_minutes=int(current_app.config["SSO_RECHECK"].total_seconds() // 60),
        redirect_uri=url_for("auth.sso_callback", slug=slug, _external=True),
        logout_uri=url_for("auth.sso_backchannel_logout", slug=slug, _external=True),
    ), 400 if form.errors else 200
