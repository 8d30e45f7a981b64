"""The single-sign-on rules, without a provider: who an identity signs in to, when the
provider's MFA counts, what a logout token ends, and how the key is kept."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from reporting import crypto
from reporting.domain.errors import Conflict
from reporting.domain.roles import Role
from reporting.models import AuditEntry, SsoProvider, StaffSession, StaffUser
from reporting.services import sso
from reporting.services.staff import create_staff, open_for_sso, sso_key
from tests import factories

CONFIG = {"BELONG_HMAC_KEY": factories.HMAC_KEY}
ISSUER = "https://login.northfield.example"


def identity(sub: str = "sub-1", **claims) -> sso.Identity:
    return sso.Identity.from_claims({"sub": sub, **claims})


def provider_for(session, school, **settings) -> SsoProvider:
    admin = factories.make_staff(session, school, Role.ADMIN)
    provider = sso.save_provider(session, admin, CONFIG, issuer=ISSUER, discovered_issuer=ISSUER,
                                 client_id="belong", secret="s3cret", enabled=True,
                                 trust_idp_mfa=settings.get("trust", False),
                                 acr_values=settings.get("acr", ""))
    session.flush()
    return provider


def sso_account(session, school, email: str = "nia@northfield.example"):
    new = create_staff(session, "test", school, email=email, display_name="Nia",
                       role=Role.PASTORAL_OFFICER, password=None, params=factories.FAST,
                       totp_key=factories.TOTP_KEY, enrolment_lifetime=timedelta(days=1),
                       sso=sso_key(CONFIG))
    session.flush()
    return new.user


def test_claims_without_a_subject_sign_nobody_in():
    """Is a token with no `sub` (or an absurd one) refused, and odd claim types ignored?"""
    for claims in ({}, {"sub": ""}, {"sub": 7}, {"sub": "x" * 256}):
        with pytest.raises(sso.IdentityRefused):
            sso.Identity.from_claims(claims)
    odd = sso.Identity.from_claims({"sub": "s", "email": 3, "amr": "mfa", "acr": [1],
                                    "email_verified": "yes"})
    assert (odd.email, odd.amr, odd.acr, odd.email_verified) == (None, frozenset(), None, None)
    # Some providers send the boolean as text: "false" still refuses an invitation.
    assert [identity(email_verified=text).email_verified
            for text in ("true", "False", ["x"])] == [True, False, None]
    assert identity(email=" Nia@Northfield.Example ").email == "nia@northfield.example"


def test_the_providers_mfa_counts_only_when_the_school_trusts_it(session, school):
    """`amr` "mfa" or a listed `acr`, and only with the school's trust switched on."""
    trusting = provider_for(session, school, trust=True, acr="urn:a urn:b")
    assert sso.vouches_for_mfa(trusting, identity(amr=["pwd", "mfa"]))
    assert sso.vouches_for_mfa(trusting, identity(acr="urn:b"))
    assert not sso.vouches_for_mfa(trusting, identity(amr=["pwd"], acr="urn:c"))
    trusting.trust_idp_mfa = False
    assert not sso.vouches_for_mfa(trusting, identity(amr=["mfa"], acr="urn:a"))


def test_an_identity_matches_an_invitation_once_and_then_its_subject(session, school):
    """Linking needs the invitation and the same, not unverified, address; then the subject
    alone decides, within the school; nothing ever creates an account."""
    provider = provider_for(session, school)
    user = sso_account(session, school)
    with pytest.raises(sso.NotInvited):
        sso.match(session, provider, identity(email=user.email), None)
    with pytest.raises(sso.NotInvited):
        sso.match(session, provider, identity(email="x@northfield.example"), user)
    with pytest.raises(sso.NotInvited):
        sso.match(session, provider, identity(email=user.email, email_verified=False), user)
    assert sso.match(session, provider, identity(email=user.email), user) is user
    assert sso.match(session, provider, identity(email="changed@example"), None) is user
    with pytest.raises(sso.NotInvited):  # a second identity cannot take the same invitation
        sso.match(session, provider, identity("sub-2", email=user.email), user)

    elsewhere = factories.make_school(session, slug="southbank")
    stranger = sso_account(session, elsewhere, email="s@southbank.example")
    stranger.oidc_subject = "sub-1"  # the same subject at another school's provider
    session.flush()
    assert sso.match(session, provider, identity(), None) is user
    user.active = False
    with pytest.raises(sso.NotInvited):
        sso.match(session, provider, identity(), None)


def test_a_password_account_is_never_reached_through_the_provider(session, school):
    """Does an invitation to a password account link no identity?"""
    provider = provider_for(session, school)
    officer = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    officer.enrolment_digest = b"x" * 32
    with pytest.raises(sso.NotInvited):
        sso.match(session, provider, identity(email=officer.email), officer)


def test_the_provider_must_name_the_issuer_it_was_set_up_with(session, school):
    """Mix-ups: discovery naming another issuer, plain http, or no secret are refused."""
    admin = factories.make_staff(session, school, Role.ADMIN)
    common = dict(client_id="belong", enabled=True, trust_idp_mfa=False, acr_values="")
    with pytest.raises(Conflict, match="says its issuer is"):
        sso.save_provider(session, admin, CONFIG, issuer=ISSUER, secret="s",
                          discovered_issuer="https://evil.example", **common)
    for bad in ("http://login.example", "https://login.example/?x=1", "login.example"):
        with pytest.raises(Conflict):
            sso.check_issuer(bad)
    with pytest.raises(Conflict, match="client secret"):
        sso.save_provider(session, admin, CONFIG, issuer=ISSUER, secret=None,
                          discovered_issuer=ISSUER, **common)


def test_the_issuer_is_kept_as_the_provider_spells_it(session, school):
    """ID tokens carry the discovered issuer exactly, trailing slash and all."""
    admin = factories.make_staff(session, school, Role.ADMIN)
    provider = sso.save_provider(session, admin, CONFIG, issuer=ISSUER, secret="s",
                                 discovered_issuer=f"{ISSUER}/", client_id="belong",
                                 enabled=True, trust_idp_mfa=False, acr_values="")
    assert provider.issuer == f"{ISSUER}/"


def test_switching_off_needs_no_provider_but_switching_on_does(session, school):
    """An admin can switch off a provider that no longer answers; never switch one on
    unchecked."""
    provider = provider_for(session, school)
    admin = session.scalar(select(StaffUser).where(StaffUser.role == "admin"))
    common = dict(issuer=ISSUER, client_id="belong", secret=None, trust_idp_mfa=False,
                  acr_values="")
    with pytest.raises(Conflict, match="read the provider"):
        sso.save_provider(session, admin, CONFIG, discovered_issuer=None, enabled=True,
                          **common)
    sso.save_provider(session, admin, CONFIG, discovered_issuer=None, enabled=False, **common)
    assert not provider.enabled and sso.provider_of(session, school) is None


def test_another_issuer_or_client_unlinks_every_account(session, school):
    """Another provider could assert the same subject for someone else: a new issuer or
    client ID forgets every link and ends every single-sign-on session."""
    provider = provider_for(session, school)
    admin = session.scalar(select(StaffUser).where(StaffUser.role == "admin"))
    user = sso_account(session, school)
    user.oidc_subject = "sub-1"
    sso.open_session(session, CONFIG, provider, user, identity(), None)
    session.flush()
    common = dict(issuer=ISSUER, secret=None, enabled=True, trust_idp_mfa=False,
                  acr_values="")
    sso.save_provider(session, admin, CONFIG, discovered_issuer=ISSUER, client_id="belong",
                      **common)
    assert user.oidc_subject == "sub-1"  # the same provider and client: nothing changes
    sso.save_provider(session, admin, CONFIG, discovered_issuer=ISSUER, client_id="belong-2",
                      **common)
    session.flush()
    assert user.oidc_subject is None
    assert all(ended is not None for ended in session.scalars(select(StaffSession.ended_at)))
    with pytest.raises(sso.NotInvited):
        sso.match(session, provider, identity(email=user.email), None)
    unlinked = session.scalar(select(AuditEntry).where(AuditEntry.action == "sso.unlinked"))
    assert json.loads(unlinked.detail) == {"accounts": 1, "sessions": 1}


def test_one_request_at_a_time_asks_the_provider(session, school, engine):
    """Two tabs reach their check together: only one takes the turn (a refresh token must
    not be spent twice)."""
    provider = provider_for(session, school)
    user = sso_account(session, school)
    sso.open_session(session, CONFIG, provider, user, identity(), "refresh-1")
    session.commit()
    now = factories.utcnow() + timedelta(minutes=10)
    with Session(engine) as first, Session(engine) as second:
        mine = first.scalar(select(StaffSession))
        theirs = second.scalar(select(StaffSession))
        last = mine.idp_checked_at
        assert sso.take_check(first, mine, now) == last
        first.commit()
        assert sso.take_check(second, theirs, now) is None
        second.rollback()


def test_an_sso_key_opens_only_with_the_server_key_on_its_own_row(session, school, engine):
    """A database dump alone opens no key: the sealed key needs BELONG_HMAC_KEY's derived
    key, and moved to another row it does not open either."""
    user = sso_account(session, school)
    session.commit()
    private = open_for_sso(sso_key(CONFIG), user)
    assert len(private) == 32  # an X25519 private key
    with pytest.raises(crypto.CryptoError):
        open_for_sso(sso_key({"BELONG_HMAC_KEY": "another server"}), user)
    other = sso_account(session, school, email="other@northfield.example")
    other.private_key_sealed = user.private_key_sealed
    with pytest.raises(crypto.CryptoError):
        open_for_sso(sso_key(CONFIG), other)
    with engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT * FROM staff").all()
    assert not any(private in bytes(v) for row in rows for v in row
                   if isinstance(v, bytes | memoryview))


def test_a_logout_token_must_be_one(session, school):
    """Back-Channel Logout 1.0: the event, no nonce, and a subject or a session."""
    event = {sso.BACKCHANNEL_EVENT: {}}
    assert sso.check_logout_claims({"events": event, "sub": "a"}) == ("a", None)
    assert sso.check_logout_claims({"events": event, "sid": "s"}) == (None, "s")
    for claims in ({"sub": "a"}, {"events": {"other": {}}, "sub": "a"},
                   {"events": event, "sub": "a", "nonce": "n"}, {"events": event}):
        with pytest.raises(sso.IdentityRefused):
            sso.check_logout_claims(claims)


def test_a_logout_by_session_id_ends_that_session_only(session, school):
    """With only `sid`, the provider's other sessions of the school stay."""
    provider = provider_for(session, school)
    user = sso_account(session, school)
    user.oidc_subject = "sub-1"
    for sid in ("one", "two"):
        sso.open_session(session, CONFIG, provider, user, identity(sid=sid), None)
    session.flush()
    assert sso.log_out_from_provider(session, provider, None, "one") == 1
    live = session.scalars(select(StaffSession.idp_sid).where(
        StaffSession.ended_at.is_(None))).all()
    assert live == ["two"]
    assert sso.log_out_from_provider(session, provider, "sub-1", None) == 1


def test_an_sso_account_changes_no_password(session, school):
    """Does the account page's service refuse a password change for it?"""
    from reporting.services.account import change_password

    user = sso_account(session, school)
    with pytest.raises(Conflict):
        change_password(session, user, None, current="", new="a long new password",
                        params=factories.FAST)
    assert session.get(StaffUser, user.id).password_verifier is None


def test_a_reset_moves_a_password_account_to_single_sign_on(session, school):
    """Can an admin move someone to the provider? A new key pair, sealed for single sign-on,
    no password left, the old identity unlinked, a new enrolment link."""
    from reporting.services.staff_admin import reset_staff

    provider_for(session, school)
    admin = session.scalar(select(StaffUser).where(StaffUser.role == "admin"))
    officer = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    old_public = officer.public_key
    reset_staff(session, admin, CONFIG | {"BASE_URL": "https://belong.example"}, officer,
                password=None, params=factories.FAST, lifetime=timedelta(days=1))
    assert officer.uses_sso and officer.password_verifier is None
    assert officer.public_key != old_public and officer.enrolment_digest is not None
    assert len(open_for_sso(sso_key(CONFIG), officer)) == 32
