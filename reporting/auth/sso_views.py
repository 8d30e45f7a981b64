"""Single sign-on pages: off to the school's provider, back with an identity, and the
provider's back-channel logout. The rules are in services/sso.py, the protocol in oidc.py."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from reporting.auth import oidc
from reporting.auth.access import home_for
from reporting.auth.views import ENROLMENT, bp, park, signed_in
from reporting.domain.errors import InvalidEnrolment
from reporting.extensions import csrf, db, limiter
from reporting.models import School, SsoProvider, StaffUser
from reporting.services import auth, sso

LOGOUT_LIMIT = "120 per minute"


def _sso_limit() -> str:
    return current_app.config["SSO_RATE_LIMIT"]


def _provider(slug: str) -> SsoProvider:
    school = db.session.scalar(db.select(School).where(School.slug == slug))
    provider = sso.provider_of(db.session, school) if school is not None else None
    if provider is None:
        abort(404)
    return provider


def _enrolment() -> StaffUser | None:
    """The account whose invitation link this browser followed, while the link works."""
    token = session.get(ENROLMENT)
    try:
        return auth.find_enrolment(db.session, token) if token else None
    except InvalidEnrolment:
        return None


def _refused(provider: SsoProvider, reason: str, message: str, status: int):
    sso.refuse(db.session, provider, reason)
    db.session.commit()
    session.clear()
    return render_template("auth/sso_refused.html", message=message,
                           school=provider.school), status


@bp.route("/sso/<slug>")
@limiter.limit(_sso_limit)
def sso_start(slug: str):
    """Off to the school's provider; from an invitation, the link goes along. Someone
    already signed in goes home (their session is never dropped without being ended)."""
    provider = _provider(slug)
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    token = request.args.get("enrol", "")
    session.clear()
    if token:
        session[ENROLMENT] = token
    try:
        return oidc.start(current_app.config, provider,
                          url_for("auth.sso_callback", slug=slug, _external=True))
    except oidc.ProviderError as exc:
        return _refused(provider, "provider", str(exc), 502)


@bp.route("/sso/<slug>/callback")
@limiter.limit(_sso_limit)
def sso_callback(slug: str):
    """Back from the provider: an invited identity signs in; anyone else is refused."""
    provider = _provider(slug)
    try:
        claims, refresh_token = oidc.finish(current_app.config, provider)
        identity = sso.Identity.from_claims(claims)
        enrolment = _enrolment()
        user = sso.match(db.session, provider, identity, enrolment)
    except (oidc.ProviderError, sso.IdentityRefused) as exc:
        db.session.rollback()
        return _refused(provider, "provider", str(exc), 400)
    except sso.NotInvited as exc:
        db.session.rollback()
        return _refused(provider, "not_invited", str(exc), 403)
    ticket, complete = sso.open_session(db.session, current_app.config, provider, user,
                                        identity, refresh_token)
    enrolling = enrolment is not None and enrolment.id == user.id
    if not complete and user.totp_enrolled_at is None and not enrolling:
        db.session.rollback()
        return _refused(provider, "no_second_factor",
                        _("Belong needs a code from your authenticator app, and you have "
                          "not set one up. Ask your school's Belong administrator for a new "
                          "link."),
                        403)
    db.session.commit()
    token = session.get(ENROLMENT)
    park(ticket)
    if not complete:
        if enrolling:
            session[ENROLMENT] = token
        return redirect(url_for("auth.second_factor"))
    return signed_in(user)


@bp.route("/sso/<slug>/backchannel-logout", methods=["POST"])
@csrf.exempt  # the provider's server calls it, with a signed logout token instead
@limiter.limit(LOGOUT_LIMIT)
def sso_backchannel_logout(slug: str):
    """OpenID Connect Back-Channel Logout: the provider signed someone out."""
    provider = _provider(slug)
    try:
        claims = oidc.logout_claims(current_app.config, provider,
                                    request.form.get("logout_token", ""))
        sub, sid = sso.check_logout_claims(claims)
    except (oidc.ProviderError, sso.IdentityRefused, oidc.ProviderUnreachable):
        return {"error": "invalid_request"}, 400
    sso.log_out_from_provider(db.session, provider, sub, sid)
    db.session.commit()
    return "", 200
