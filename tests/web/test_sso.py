"""Single sign-on against a real OpenID Connect provider (tests/oidc_provider.py), through
the app's own pages: only invited staff come in, the key opens without a password, and the
provider signing someone out or disabling them ends Belong's session."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from reporting.auth import oidc
from reporting.domain.roles import Role
from reporting.models import AuditEntry, SsoProvider, StaffSession, StaffUser
from reporting.services import sso, staff_admin
from reporting.services.staff import create_staff, sso_key
from tests import factories
from tests.conftest import csrf_token, post_form
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, callback_path

NARRATIVE = "Called by the wrong name on every ward round."


@pytest.fixture
def provider(app, session, school, idp):
    """Northfield's staff sign in with the test provider (no trust in its MFA)."""
    admin = factories.make_staff(session, school, Role.ADMIN, email="admin@northfield.example")
    app.config["OIDC_CA_BUNDLE"] = str(idp.ca_file)
    sso.save_provider(session, admin, app.config, issuer=idp.issuer,
                      discovered_issuer=idp.issuer, client_id=CLIENT_ID, secret=CLIENT_SECRET,
                      enabled=True, trust_idp_mfa=False, acr_values="")
    session.commit()
    yield session.get(SsoProvider, school.id)
    app.config["OIDC_CA_BUNDLE"] = None
    app.config["SSO_RECHECK"] = timedelta(minutes=5)
    oidc._unreachable_until.clear()


def invite(app, session, school, email: str = "nia@northfield.example") -> tuple[StaffUser, str]:
    """A pastoral officer invited to sign in with the provider: the account and the token
    its emailed enrolment link carries."""
    new = create_staff(session, "test", school, email=email, display_name="Nia Okafor",
                       role=Role.PASTORAL_OFFICER, password=None, params=factories.FAST,
                       totp_key=factories.TOTP_KEY, enrolment_lifetime=timedelta(days=3),
                       sso=sso_key(app.config))
    session.commit()
    return new.user, new.enrolment_token


def go_to_provider(client, idp, sub: str, start: str) -> object:
    """Follow Belong's link to the provider, sign in there as `sub`, and come back."""
    out = client.get(start)
    assert out.status_code == 302 and out.headers["Location"].startswith(idp.issuer), out.data
    return client.get(callback_path(idp.sign_in(out.headers["Location"], sub)))


def enrol(client, idp, user: StaffUser, token: str, sub: str = "nia-okafor"):
    """The invited person follows their link, signs in at the provider as the invited
    address, and sets up Belong's authenticator: their first page, signed in."""
    idp.set_user(sub, email=user.email, email_verified=True)
    page = client.get(f"/auth/enrol/{token}")
    assert b"Continue to your university" in page.data
    back = go_to_provider(client, idp, sub, f"/auth/sso/northfield?enrol={token}")
    assert back.status_code == 302 and back.headers["Location"].endswith("/auth/two-factor")
    assert b"svg" in client.get("/auth/two-factor").data  # the QR code to set up the app
    return post_form(client, "/auth/two-factor", {"code": factories.totp_code(user)})


def test_an_invited_officer_signs_in_with_the_provider_and_reads_a_case(
        app, client, session, school, provider, idp):
    """Does an invitation lead through the provider and Belong's authenticator to a
    session whose key opens the cases, with no Belong password anywhere?"""
    user, token = invite(app, session, school)
    case = factories.make_report(session, school, narrative=NARRATIVE).case
    session.commit()
    home = enrol(client, idp, user, token)
    assert home.status_code == 302 and home.headers["Location"].endswith("/staff/")
    assert NARRATIVE in client.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    session.expire_all()
    linked = session.get(StaffUser, user.id)
    assert linked.oidc_subject == "nia-okafor" and linked.password_verifier is None
    assert linked.enrolment_digest is None  # the link is spent
    assert staff_admin.state_of(linked, linked.created_at) == "enrolled"

    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/staff/")})
    again = go_to_provider(client, idp, "nia-okafor", "/auth/sso/northfield")
    assert again.headers["Location"].endswith("/auth/two-factor")  # no link needed now
    done = post_form(client, "/auth/two-factor", {"code": factories.totp_code(linked, 1)})
    assert done.headers["Location"].endswith("/staff/")


def test_an_identity_with_no_invitation_is_refused_and_no_account_made(
        app, client, session, school, provider, idp):
    """Does the provider vouching for someone let them in? Never without an invitation,
    even with the address of an account that exists."""
    invite(app, session, school)
    accounts = session.scalar(select(func.count()).select_from(StaffUser))
    idp.set_user("stranger", email="stranger@northfield.example", email_verified=True)
    refused = go_to_provider(client, idp, "stranger", "/auth/sso/northfield")
    assert refused.status_code == 403
    assert "has no Belong invitation" in refused.get_data(as_text=True)
    idp.set_user("impostor", email="nia@northfield.example", email_verified=True)
    assert go_to_provider(client, idp, "impostor", "/auth/sso/northfield").status_code == 403
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(StaffUser)) == accounts
    assert session.scalar(select(func.count()).select_from(StaffSession)) == 0
    reasons = [json.loads(e.detail)["reason"] for e in session.scalars(
        select(AuditEntry).where(AuditEntry.action == "login.failed"))]
    assert reasons == ["not_invited", "not_invited"]
    assert client.get("/staff/").status_code == 302


def test_an_invitation_needs_the_provider_to_vouch_for_the_invited_address(
        app, client, session, school, provider, idp):
    """Can someone who got hold of the link sign in with another university account?"""
    user, token = invite(app, session, school)
    idp.set_user("someone-else", email="other@northfield.example", email_verified=True)
    refused = go_to_provider(client, idp, "someone-else", f"/auth/sso/northfield?enrol={token}")
    assert refused.status_code == 403
    assert "This invitation is for nia@northfield.example" in refused.get_data(as_text=True)
    idp.set_user("unverified", email=user.email, email_verified=False)
    assert go_to_provider(client, idp, "unverified",
                          f"/auth/sso/northfield?enrol={token}").status_code == 403
    session.expire_all()
    assert session.get(StaffUser, user.id).oidc_subject is None



def signed_in_officer(app, client, session, school, idp, sub: str = "nia-okafor"):
    """An officer invited and signed in with the provider; their account."""
    user, token = invite(app, session, school)
    assert enrol(client, idp, user, token, sub).headers["Location"].endswith("/staff/")
    session.expire_all()
    return session.get(StaffUser, user.id)


def test_with_trust_in_the_providers_mfa_a_multi_factor_sign_in_needs_no_belong_code(
        app, client, session, school, provider, idp):
    """If the school trusts the provider's MFA, does `amr` "mfa" (or a listed `acr`) sign
    the person straight in, and a sign-in without it still ask for Belong's code?"""
    provider.trust_idp_mfa, provider.mfa_acr_values = True, "urn:example:mfa"
    session.commit()
    user, token = invite(app, session, school)
    idp.set_user("nia-okafor", email=user.email, email_verified=True, amr=["pwd", "mfa"])
    home = go_to_provider(client, idp, "nia-okafor", f"/auth/sso/northfield?enrol={token}")
    assert home.status_code == 302 and home.headers["Location"].endswith("/staff/")
    assert client.get("/staff/").status_code == 200
    session.expire_all()
    assert staff_admin.state_of(session.get(StaffUser, user.id), user.created_at) == "enrolled"

    other = app.test_client()
    idp.set_user("nia-okafor", email=user.email, email_verified=True, acr="urn:example:mfa")
    assert go_to_provider(other, idp, "nia-okafor",
                          "/auth/sso/northfield").headers["Location"].endswith("/staff/")
    single = app.test_client()
    idp.set_user("nia-okafor", email=user.email, email_verified=True, amr=["pwd"])
    refused = go_to_provider(single, idp, "nia-okafor", "/auth/sso/northfield")
    assert refused.status_code == 403  # no authenticator set up to fall back on
    assert "authenticator app" in refused.get_data(as_text=True)


def test_without_trust_the_providers_mfa_claim_changes_nothing(
        app, client, session, school, provider, idp):
    """Does an `amr` of "mfa" skip Belong's code when the school has not chosen to trust
    it? It must not."""
    user, token = invite(app, session, school)
    idp.set_user("nia-okafor", email=user.email, email_verified=True, amr=["mfa"])
    back = go_to_provider(client, idp, "nia-okafor", f"/auth/sso/northfield?enrol={token}")
    assert back.headers["Location"].endswith("/auth/two-factor")
    assert client.get("/staff/").status_code == 302


def test_an_account_disabled_at_the_provider_loses_its_belong_session(
        app, client, session, school, provider, idp):
    """Once the provider refuses the session's grant (account disabled, tokens revoked),
    does the next page end Belong's session, key copy and all?"""
    user = signed_in_officer(app, client, session, school, idp)
    app.config["SSO_RECHECK"] = timedelta(0)
    assert client.get("/staff/").status_code == 200  # the provider still says yes
    idp.disable("nia-okafor")
    assert client.get("/staff/").headers["Location"].endswith("/auth/login")
    session.expire_all()
    row = session.scalar(select(StaffSession).where(StaffSession.staff_id == user.id,
                                                    StaffSession.second_factor_at.is_not(None)))
    assert row.ended_at is not None and row.sealed_private_key == b""
    assert row.idp_refresh_sealed is None
    ended = session.scalar(select(AuditEntry).where(AuditEntry.action == "logout"))
    assert json.loads(ended.detail) == {"reason": "provider"}


def test_switching_single_sign_on_off_ends_its_sessions(
        app, client, session, school, provider, idp):
    """Does turning the provider off end the sessions it opened, at their next check?"""
    signed_in_officer(app, client, session, school, idp)
    provider.enabled = False
    session.commit()
    app.config["SSO_RECHECK"] = timedelta(0)
    assert client.get("/staff/").headers["Location"].endswith("/auth/login")


def test_the_providers_back_channel_logout_ends_the_session(
        app, client, session, school, provider, idp):
    """Does a logout token the provider signed end that person's sessions at once, while a
    forged, misdirected, stale or malformed one changes nothing?"""
    from joserfc.jwk import RSAKey

    signed_in_officer(app, client, session, school, idp)
    url = "/auth/sso/northfield/backchannel-logout"
    outsider = RSAKey.generate_key(2048, parameters={"kid": idp.signing_key.kid})
    for bad in (idp.logout_token(sub="nia-okafor", key=outsider),
                idp.logout_token(sub="nia-okafor", aud="another-client"),
                idp.logout_token(sub="nia-okafor", issued=1_000_000_000),
                idp.logout_token(sub="nia-okafor", events={}),
                idp.logout_token(),
                "not.a.token", ""):
        assert client.post(url, data={"logout_token": bad}).status_code == 400
    assert client.get("/staff/").status_code == 200
    other = app.test_client()  # the provider's server: no cookie, no CSRF token
    assert other.post(url, data={"logout_token": idp.logout_token(sub="someone")}).status_code \
        == 200
    assert client.get("/staff/").status_code == 200
    assert other.post(url, data={"logout_token": idp.logout_token(sub="nia-okafor")}) \
        .status_code == 200
    assert client.get("/staff/").headers["Location"].endswith("/auth/login")


def test_a_deactivated_account_cannot_come_back_through_the_provider(
        app, client, session, school, provider, idp):
    """After an admin deactivates a leaver, does the provider vouching for them still
    open nothing?"""
    user = signed_in_officer(app, client, session, school, idp)
    admin = session.scalar(select(StaffUser).where(StaffUser.role == "admin"))
    staff_admin.deactivate_staff(session, admin, user)
    session.commit()
    assert client.get("/staff/").headers["Location"].endswith("/auth/login")
    again = go_to_provider(app.test_client(), idp, "nia-okafor", "/auth/sso/northfield")
    assert again.status_code == 403
    session.expire_all()
    assert session.get(StaffUser, user.id).oidc_subject is None


def test_an_sso_account_has_no_password_to_guess(app, client, session, school, provider, idp):
    """Does the password form refuse a single-sign-on account whatever is typed?"""
    user, _ = invite(app, session, school)
    refused = post_form(client, "/auth/login", {"email": user.email, "password": ""})
    assert refused.status_code == 200
    for guess in ("", factories.PASSWORD):
        refused = post_form(client, "/auth/login", {"email": user.email, "password": guess})
        assert "/auth/two-factor" not in refused.headers.get("Location", "")


def test_a_school_without_single_sign_on_offers_none(app, client, session, school, idp):
    """Is there no provider, no link on the sign-in page and no SSO invitation until an
    admin switches it on?"""
    assert client.get("/auth/sso/northfield").status_code == 404
    assert b"university account" not in client.get("/auth/login").data
    admin = factories.make_staff(session, school, Role.ADMIN)
    session.commit()
    with pytest.raises(staff_admin.Conflict):
        staff_admin.invite_staff(session, admin, app.config, email="x@northfield.example",
                                 display_name="X", role=Role.PASTORAL_OFFICER, password=None,
                                 params=factories.FAST, lifetime=timedelta(days=1))


def test_an_admin_sets_up_single_sign_on_and_the_secret_is_kept_sealed(
        app, session, school, login_as, idp, engine):
    """Can an admin point the school at its provider from the page, with a clear message
    for an address that is not one, and is the client secret stored only sealed?"""
    app.config["OIDC_CA_BUNDLE"] = str(idp.ca_file)
    admin = login_as(Role.ADMIN)
    page = admin.get("/admin/sign-in").get_data(as_text=True)
    assert "/auth/sso/northfield/callback" in page and "backchannel-logout" in page
    form = {"enabled": "y", "issuer": idp.issuer, "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET}
    for issuer, message in (("http://127.0.0.1:1", "must be the provider&#39;s https address"),
                            ("https://127.0.0.1:1", "could not read"),
                            (f"{idp.issuer}/realms/x", "could not read")):
        refused = post_form(admin, "/admin/sign-in", {**form, "issuer": issuer})
        assert refused.status_code == 400 and message in refused.get_data(as_text=True)
    assert post_form(admin, "/admin/sign-in", form).status_code == 302
    assert b"Sign in with your" in app.test_client().get("/auth/login").data
    kept = post_form(admin, "/admin/sign-in", {**form, "client_secret": ""})
    assert kept.status_code == 302  # a blank secret keeps the stored one
    stored = session.get(SsoProvider, school.id)
    assert sso.client_secret(app.config, stored) == CLIENT_SECRET
    with engine.connect() as connection:
        row = connection.exec_driver_sql("SELECT * FROM sso_providers").one()
    assert not any(CLIENT_SECRET.encode() in (v if isinstance(v, bytes) else str(v).encode())
                   for v in row)
    saved = session.scalars(select(AuditEntry).where(AuditEntry.action == "sso.save")).all()
    assert len(saved) == 2 and CLIENT_SECRET not in saved[0].detail
    app.config["OIDC_CA_BUNDLE"] = None


def test_signed_in_staff_going_to_the_provider_again_keep_their_session(
        app, client, session, school, provider, idp):
    """Following the university link while signed in goes home: the live session is never
    dropped from the cookie and left open on the server."""
    signed_in_officer(app, client, session, school, idp)
    again = client.get("/auth/sso/northfield")
    assert again.status_code == 302 and again.headers["Location"].endswith("/staff/")
    assert client.get("/staff/").status_code == 200


def test_a_new_client_id_on_the_admin_page_unlinks_and_signs_everyone_out(
        app, client, session, school, provider, idp, login_as):
    """Could a new client (or provider) speak for the old subjects? The admin is warned,
    and saving it ends every single-sign-on session and forgets every link."""
    user = signed_in_officer(app, client, session, school, idp)
    admin = login_as(Role.ADMIN, email="head@northfield.example")
    assert "unlinks every university account" in admin.get("/admin/sign-in").get_data(
        as_text=True)
    saved = post_form(admin, "/admin/sign-in", {"enabled": "y", "issuer": idp.issuer,
                                                "client_id": "another-client"})
    assert saved.status_code == 302
    assert client.get("/staff/").headers["Location"].endswith("/auth/login")
    session.expire_all()
    assert session.get(StaffUser, user.id).oidc_subject is None


def test_an_admin_switches_off_a_provider_that_no_longer_answers(
        app, session, school, provider, login_as):
    """Switching off must not need the provider it switches off."""
    app.config["OIDC_CA_BUNDLE"] = None  # its certificate is no longer trusted: unreachable
    admin = login_as(Role.ADMIN, email="head@northfield.example")
    refused = post_form(admin, "/admin/sign-in", {"enabled": "y", "issuer": provider.issuer,
                                                  "client_id": CLIENT_ID})
    assert refused.status_code == 400 and "could not read" in refused.get_data(as_text=True)
    off = post_form(admin, "/admin/sign-in", {"issuer": provider.issuer,
                                              "client_id": CLIENT_ID})
    assert off.status_code == 302
    session.expire_all()
    assert sso.provider_of(session, school) is None


def test_a_logout_token_signed_with_a_new_key_is_checked_against_fresh_keys(
        app, client, session, school, provider, idp):
    """The provider rotated its keys since Belong read them: an unknown key id reads the
    keys again once, and the token counts."""
    from joserfc.jwk import RSAKey

    signed_in_officer(app, client, session, school, idp)
    stale = RSAKey.generate_key(2048, parameters={"kid": "retired"})
    cached = oidc.client_for(app.config, provider)
    cached.load_server_metadata()
    cached.server_metadata["jwks"] = {"keys": [stale.as_dict(private=False)]}
    logout = app.test_client().post("/auth/sso/northfield/backchannel-logout",
                                    data={"logout_token": idp.logout_token(sub="nia-okafor")})
    assert logout.status_code == 200
    assert client.get("/staff/").headers["Location"].endswith("/auth/login")


@pytest.fixture
def hanging_provider():
    """A server that accepts connections and never answers; how many it accepted."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []

    def accept() -> None:
        with contextlib.suppress(OSError):
            while True:
                accepted.append(listener.accept()[0])

    threading.Thread(target=accept, daemon=True).start()
    yield f"https://127.0.0.1:{listener.getsockname()[1]}", accepted
    listener.close()
    for connection in accepted:
        connection.close()


def test_a_hanging_provider_is_left_alone_and_holds_no_pages(
        app, client, session, school, provider, idp, hanging_provider, monkeypatch):
    """A provider that hangs costs one timeout, then a minute's rest: the pages keep
    working inside the grace, and the sign-in link says at once that it cannot be
    reached, without asking it again."""
    signed_in_officer(app, client, session, school, idp)
    address, accepted = hanging_provider
    monkeypatch.setattr(oidc, "TIMEOUT_SECONDS", (1, 1))
    provider.issuer, provider.updated_at = address, factories.utcnow()
    session.commit()
    app.config["SSO_RECHECK"] = timedelta(0)
    assert client.get("/staff/").status_code == 200  # asked once, timed out, within grace
    assert client.get("/staff/").status_code == 200  # left alone
    assert oidc.left_alone(school.id)
    start = app.test_client().get("/auth/sso/northfield")
    assert start.status_code == 502 and b"cannot be reached" in start.data
    assert len(accepted) == 1
