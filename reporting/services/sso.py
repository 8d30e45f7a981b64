"""Single sign-on with a school's OpenID Connect provider: its settings, who may sign in,
how their private key opens without a password, and when the provider ends a session.

Everything here works on claims that reporting/auth/oidc.py has already verified (the ID
token's signature, issuer, audience, expiry and nonce); the rules are plain and tested
without a provider. docs/threat-model.md records the design.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from reporting import crypto
from reporting.domain.errors import BelongError, Conflict
from reporting.domain.words import N_
from reporting.models import School, SsoProvider, StaffSession, StaffUser
from reporting.models.base import utcnow
from reporting.services import audit
from reporting.services.auth import SESSION_KEY_CONTEXT, SessionTicket, end_session
from reporting.services.staff import open_for_sso, sso_key

SECRET_PURPOSE = "sso-client-secret"  # noqa: S105 (a key purpose label, not a secret)
REFRESH_CONTEXT = b"belong/sso-refresh-token"
MFA_AMR = "mfa"  # RFC 8176: the person used more than one factor
BACKCHANNEL_EVENT = "http://schemas.openid.net/event/backchannel-logout"


class NotInvited(BelongError):
    """The identity the provider asserts matches no invitation of this school."""


class IdentityRefused(BelongError):
    """The provider's answer cannot sign anyone in (a message for the person)."""


@dataclass(frozen=True)
class Identity:
    """What a verified ID token says about the person."""

    subject: str
    email: str | None
    email_verified: bool | None
    amr: frozenset[str]
    acr: str | None
    sid: str | None

    @classmethod
    def from_claims(cls, claims: dict) -> Identity:
        """Read the claims Belong uses, ignoring any of the wrong type; a token without a
        `sub` signs nobody in."""
        subject = claims.get("sub")
        if not isinstance(subject, str) or not subject or len(subject) > 255:
            raise IdentityRefused(N_("Your university's sign-in did not say who you are."))

        def text(name: str) -> str | None:
            value = claims.get(name)
            return value if isinstance(value, str) and len(value) <= 255 else None

        amr = claims.get("amr")
        verified = claims.get("email_verified")
        if isinstance(verified, str):  # some providers send the boolean as text
            verified = {"true": True, "false": False}.get(verified.lower())
        email = text("email")
        return cls(
            subject=subject,
            email=email.strip().lower() if email else None,
            email_verified=verified if isinstance(verified, bool) else None,
            amr=frozenset(a for a in amr if isinstance(a, str)) if isinstance(amr, list)
            else frozenset(),
            acr=text("acr"),
            sid=text("sid"),
        )


def provider_of(session: Session, school: School) -> SsoProvider | None:
    """The school's provider, if single sign-on is switched on."""
    provider = session.get(SsoProvider, school.id)
    return provider if provider is not None and provider.enabled else None


def enabled_providers(session: Session) -> list[School]:
    """The schools whose staff can sign in with their provider (for the sign-in page)."""
    return list(session.scalars(select(School).join(SsoProvider).where(
        SsoProvider.enabled.is_(True)).order_by(School.name)))


def check_issuer(issuer: str) -> str:
    """An issuer Belong may use: an https URL without query or fragment (typed without a
    trailing slash; save_provider keeps the provider's own spelling)."""
    issuer = issuer.strip().rstrip("/")
    parts = urlsplit(issuer)
    if parts.scheme != "https" or not parts.hostname or parts.query or parts.fragment:
        raise Conflict(N_("The issuer must be the provider's https address, such as "
                          "https://login.example.ac.uk/realms/staff."))
    return issuer


def _secret_context(school_id: int) -> bytes:
    return f"belong/sso-client-secret/{school_id}".encode()


def client_secret(config: dict, provider: SsoProvider) -> str:
    """The client secret Belong shows the provider's token endpoint."""
    key = crypto.server_key(config["BELONG_HMAC_KEY"], SECRET_PURPOSE)
    return crypto.unseal(key, provider.client_secret_sealed,
                         _secret_context(provider.school_id)).decode()


def save_provider(session: Session, admin: StaffUser, config: dict, *, issuer: str,
                  discovered_issuer: str | None, client_id: str, secret: str | None,
                  enabled: bool, trust_idp_mfa: bool, acr_values: str) -> SsoProvider:
    """Set the school's provider. To switch it on, discovery must name the same issuer (no
    mix-ups), kept exactly as the provider writes it; switching off needs no provider. A
    blank secret keeps the one stored. A new issuer or client unlinks every account."""
    issuer, client_id = check_issuer(issuer), client_id.strip()
    if discovered_issuer is not None:
        if discovered_issuer.rstrip("/") != issuer:
            raise Conflict(N_("The provider says its issuer is %(found)s, not %(issuer)s.")
                           % {"found": discovered_issuer, "issuer": issuer})
        issuer = discovered_issuer
    elif enabled:
        raise Conflict(N_("Belong must read the provider's settings to switch single "
                          "sign-on on."))
    provider = session.get(SsoProvider, admin.school_id)
    if provider is None:
        if not secret:
            raise Conflict(N_("Enter the client secret the provider gave Belong."))
        provider = SsoProvider(school_id=admin.school_id)
        session.add(provider)
    elif (provider.issuer, provider.client_id) != (issuer, client_id):
        _unlink_everyone(session, admin)
    if secret:
        key = crypto.server_key(config["BELONG_HMAC_KEY"], SECRET_PURPOSE)
        provider.client_secret_sealed = crypto.seal(key, secret.encode(),
                                                    _secret_context(admin.school_id))
    provider.issuer, provider.client_id, provider.enabled = issuer, client_id, enabled
    provider.trust_idp_mfa, provider.mfa_acr_values = trust_idp_mfa, " ".join(acr_values.split())
    provider.updated_at = utcnow()
    audit.record(session, audit.school_chain(admin.school_id), f"staff:{admin.id}", "sso.save",
                 f"school:{admin.school_id}", issuer=issuer, enabled=enabled,
                 trust_idp_mfa=trust_idp_mfa)
    return provider


def _unlink_everyone(session: Session, admin: StaffUser) -> None:
    """Another provider (or client) could assert the same subjects for other people: forget
    every account's link and end every single-sign-on session. Each person signs in again
    from a new invitation link."""
    school = admin.school_id
    unlinked = session.execute(update(StaffUser).where(
        StaffUser.school_id == school, StaffUser.oidc_subject.is_not(None)).values(
        oidc_subject=None).execution_options(synchronize_session="fetch")).rowcount
    ended = _end_sso_sessions(session, select(StaffUser.id).where(StaffUser.school_id == school))
    audit.record(session, audit.school_chain(school), f"staff:{admin.id}", "sso.unlinked",
                 f"school:{school}", accounts=unlinked, sessions=ended)


def _end_sso_sessions(session: Session, staff, *criteria) -> int:
    """End the live single-sign-on sessions of these staff (matching any criteria)."""
    return session.execute(update(StaffSession).where(
        StaffSession.staff_id.in_(staff), StaffSession.ended_at.is_(None),
        StaffSession.idp_checked_at.is_not(None), *criteria).values(
        ended_at=utcnow(), sealed_private_key=b"", idp_refresh_sealed=None)
        .execution_options(synchronize_session="fetch")).rowcount


def match(session: Session, provider: SsoProvider, identity: Identity,
          enrolment: StaffUser | None) -> StaffUser:
    """The account this identity signs in to. Never makes one.

    Once linked, the subject decides. The first time, the person comes from their
    invitation link (`enrolment`, already checked as valid) to an account that signs in
    with the provider, and the provider vouches for that very email address.
    """
    user = session.scalar(select(StaffUser).where(
        StaffUser.school_id == provider.school_id, StaffUser.oidc_subject == identity.subject))
    if user is not None:
        if not user.active or not user.uses_sso:
            raise NotInvited(N_("This university account has no Belong access."))
        return user
    if enrolment is None or enrolment.school_id != provider.school_id \
            or not enrolment.uses_sso or enrolment.oidc_subject is not None:
        raise NotInvited(N_("This university account has no Belong invitation."))
    if identity.email != enrolment.email or identity.email_verified is False:
        raise NotInvited(N_("This invitation is for %(email)s: sign in to your university "
                            "with that account.") % {"email": enrolment.email})
    enrolment.oidc_subject = identity.subject
    audit.record(session, audit.school_chain(provider.school_id), f"staff:{enrolment.id}",
                 "sso.linked", f"staff:{enrolment.id}")
    return enrolment


def refuse(session: Session, provider: SsoProvider, reason: str) -> None:
    """Audit a refused single sign-on (nothing about the identity is kept)."""
    audit.record(session, audit.school_chain(provider.school_id), "anonymous", "login.failed",
                 f"school:{provider.school_id}", reason=reason, via="sso")


def vouches_for_mfa(provider: SsoProvider, identity: Identity) -> bool:
    """Does the school take this sign-in's own multi-factor check instead of Belong's?"""
    return provider.trust_idp_mfa and (
        MFA_AMR in identity.amr or (identity.acr is not None
                                    and identity.acr in provider.acr_values))


def open_session(session: Session, config: dict, provider: SsoProvider, user: StaffUser,
                 identity: Identity, refresh_token: str | None) -> tuple[SessionTicket, bool]:
    """Open a session for a matched account; True if it needs no Belong code (the school
    trusts the provider's multi-factor sign-in and this one used it)."""
    private = open_for_sso(sso_key(config), user)
    ticket = SessionTicket(secrets.token_urlsafe(32), crypto.random_key())
    complete = vouches_for_mfa(provider, identity)
    now = utcnow()
    session.add(StaffSession(
        token_digest=crypto.token_digest(ticket.token), staff_id=user.id,
        sealed_private_key=crypto.seal(ticket.session_key, private, SESSION_KEY_CONTEXT),
        idp_sid=identity.sid, idp_checked_at=now,
        idp_refresh_sealed=(crypto.seal(ticket.session_key, refresh_token.encode(),
                                        REFRESH_CONTEXT) if refresh_token else None),
        second_factor_at=now if complete else None, last_seen_at=now))
    chain, actor = audit.school_chain(user.school_id), f"staff:{user.id}"
    audit.record(session, chain, actor, "login.sso_ok", actor)
    if complete:
        user.enrolment_digest = user.enrolment_expires_at = None  # the link is spent
        audit.record(session, chain, actor, "login.success", actor, via="sso", mfa="provider")
    return ticket, complete


def check_due(row: StaffSession, now: datetime, interval: timedelta) -> bool:
    """Should this single-sign-on session ask the provider whether the account is live?"""
    return row.idp_checked_at is not None and now - row.idp_checked_at >= interval


def take_check(session: Session, row: StaffSession, now: datetime) -> datetime | None:
    """Take this session's turn to ask the provider: the time of the last answer, or None
    if another request took the turn first (two tabs must not spend one refresh token)."""
    last = row.idp_checked_at
    taken = session.execute(update(StaffSession).where(
        StaffSession.id == row.id, StaffSession.idp_checked_at == last).values(
        idp_checked_at=now)).rowcount
    return last if taken else None


def refresh_token_of(row: StaffSession, session_key: bytes) -> str | None:
    """The session's refresh token, opened with the cookie's key."""
    if not row.idp_refresh_sealed:
        return None
    return crypto.unseal(session_key, row.idp_refresh_sealed, REFRESH_CONTEXT).decode()


def still_live(row: StaffSession, session_key: bytes, new_refresh_token: str | None) -> None:
    """The provider answered: the account is live (keep a rotated refresh token)."""
    row.idp_checked_at = utcnow()
    if new_refresh_token:
        row.idp_refresh_sealed = crypto.seal(session_key, new_refresh_token.encode(),
                                             REFRESH_CONTEXT)


def ended_by_provider(session: Session, row: StaffSession, reason: str) -> None:
    """The provider refused the session's refresh (signed out, disabled): end it now."""
    end_session(row)
    row.idp_refresh_sealed = None
    audit.record(session, audit.school_chain(row.staff.school_id), f"staff:{row.staff_id}",
                 "logout", f"staff:{row.staff_id}", reason=reason)


def check_logout_claims(claims: dict) -> tuple[str | None, str | None]:
    """The (sub, sid) a verified back-channel logout token ends (OIDC Back-Channel Logout
    1.0, section 2.6); IdentityRefused if it is not one."""
    events = claims.get("events")
    if not isinstance(events, dict) or BACKCHANNEL_EVENT not in events \
            or "nonce" in claims:
        raise IdentityRefused("not a logout token")
    sub, sid = claims.get("sub"), claims.get("sid")
    sub = sub if isinstance(sub, str) and sub else None
    sid = sid if isinstance(sid, str) and sid else None
    if sub is None and sid is None:
        raise IdentityRefused("a logout token names a subject or a session")
    return sub, sid


def log_out_from_provider(session: Session, provider: SsoProvider, sub: str | None,
                          sid: str | None) -> int:
    """End the school's single-sign-on sessions the provider signed out; returns how many."""
    staff = select(StaffUser.id).where(StaffUser.school_id == provider.school_id)
    if sub is not None:
        staff = staff.where(StaffUser.oidc_subject == sub)
    criteria = []
    if sid is not None:
        criteria.append(or_(StaffSession.idp_sid == sid, StaffSession.idp_sid.is_(None))
                        if sub is not None else StaffSession.idp_sid == sid)
    ended = _end_sso_sessions(session, staff, *criteria)
    audit.record(session, audit.school_chain(provider.school_id), "sso", "sso.logout",
                 f"school:{provider.school_id}", sessions=ended)
    return ended
