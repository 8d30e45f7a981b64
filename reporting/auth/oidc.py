"""Talking to a school's OpenID Connect provider with Authlib: discovery, the authorization
code flow (PKCE, state, nonce), refreshing a session's grant and reading a back-channel
logout token. What the answers mean is decided in services/sso.py.

Requests to the provider use Python's requests: HTTPS_PROXY and REQUESTS_CA_BUNDLE apply,
or OIDC_CA_BUNDLE names the CA file of a provider with a private CA. Every request has a
timeout, and a provider that could not be reached is left alone for a minute, so a
provider that hangs never holds a page (or the app's workers) for long.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from urllib.parse import urlsplit

import requests
from authlib.integrations.base_client import OAuthError
from authlib.integrations.flask_client import FlaskIntegration, FlaskOAuth2App
from authlib.integrations.requests_client import OAuth2Session
from flask_babel import gettext as _
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet

from reporting.models import SsoProvider
from reporting.services import sso

SCOPE = "openid email profile"
OFFLINE_SCOPE = "offline_access"  # asked for where offered: refresh tokens to check with
TIMEOUT_SECONDS = (3, 5)  # to connect, then to read each answer
METADATA_SECONDS = 3600  # discovery and keys are read again after an hour
LOGOUT_LEEWAY_SECONDS = 120
BREAKER_SECONDS = 60  # a provider that could not be reached is left alone this long
# What Belong reads from discovery: nothing else reaches Authlib's session settings.
METADATA_KEYS = frozenset({
    "issuer", "authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri",
    "end_session_endpoint", "scopes_supported", "id_token_signing_alg_values_supported",
    "token_endpoint_auth_methods_supported"})
ENDPOINTS = ("authorization_endpoint", "token_endpoint", "jwks_uri")
# Tokens must be signed with the provider's public key: never "none", never a shared secret.
PUBLIC_KEY_ALGS = frozenset({"RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
                             "ES256", "ES384", "ES512", "EdDSA"})

_UNREACHABLE = requests.RequestException  # bad JSON is one too
# Per process: when each school's provider may be asked again after it could not be reached.
_unreachable_until: dict[int, float] = {}


class ProviderError(Exception):
    """The provider refused, or answered something Belong cannot accept."""


class ProviderUnreachable(Exception):
    """The provider could not be asked (down, hanging, or left alone for a minute)."""


@contextmanager
def _asking(school_id: int):
    """A call to a school's provider: refused at once while the provider is left alone, and
    a failure leaves it alone for BREAKER_SECONDS, so a hanging provider holds no workers."""
    if left_alone(school_id):
        raise ProviderUnreachable("the provider could not be reached a moment ago")
    try:
        yield
    except _UNREACHABLE as exc:
        _unreachable_until[school_id] = time.monotonic() + BREAKER_SECONDS
        raise ProviderUnreachable(exc.__class__.__name__) from exc


def left_alone(school_id: int) -> bool:
    """Is the school's provider being left alone after it could not be reached?"""
    return _unreachable_until.get(school_id, 0) > time.monotonic()


class _Session(OAuth2Session):
    """requests lets REQUESTS_CA_BUNDLE override a session's own CA file: give it to each
    request instead, so OIDC_CA_BUNDLE holds."""

    def request(self, method, url, withhold_token=False, auth=None, **kwargs):
        kwargs.setdefault("verify", self.verify)
        return super().request(method, url, withhold_token=withhold_token, auth=auth,
                               **kwargs)


class _Client(FlaskOAuth2App):
    """Authlib's client, reading discovery through discover() so that only checked,
    standard fields ever reach it."""

    client_cls = _Session

    def __init__(self, *args, config: dict, issuer: str, **kwargs):
        super().__init__(*args, **kwargs)
        self._config, self._issuer = config, issuer

    def load_server_metadata(self):
        if "_loaded_at" not in self.server_metadata:
            url, metadata = _read_discovery(self._config, self._issuer)
            self.server_metadata.update(checked_metadata(metadata, url),
                                        _loaded_at=time.time())
        return self.server_metadata


# One client per school and settings version: Authlib keeps the discovery document and
# the provider's keys on it.
_clients: dict[tuple[int, float], _Client] = {}


def _verify(config: dict) -> bool | str:
    return config.get("OIDC_CA_BUNDLE") or True


def checked_metadata(metadata: object, url: str) -> dict:
    """The standard fields of a discovery document, once they are safe to use: https
    endpoints, and public-key signatures only (ProviderError otherwise)."""
    if not isinstance(metadata, dict) or not isinstance(metadata.get("issuer"), str):
        raise ProviderError(_("%(url)s is not an OpenID Connect discovery document.", url=url))
    kept = {key: value for key, value in metadata.items() if key in METADATA_KEYS}
    for key in ENDPOINTS:
        value = kept.get(key)
        if not isinstance(value, str) or urlsplit(value).scheme != "https":
            raise ProviderError(_("%(url)s gives no https %(field)s.", url=url,
                                  field=key.replace("_", " ")))
    algs = kept.get("id_token_signing_alg_values_supported")
    algs = [a for a in algs if a in PUBLIC_KEY_ALGS] if isinstance(algs, list) else ["RS256"]
    if not algs:
        raise ProviderError(_("%(url)s signs tokens with no public-key algorithm Belong "
                              "accepts (such as RS256 or ES256).", url=url))
    kept["id_token_signing_alg_values_supported"] = algs
    return kept


def _read_discovery(config: dict, issuer: str) -> tuple[str, object]:
    url = f"{issuer.rstrip('/')}/.well-known/openid-configuration"
    response = requests.get(url, timeout=TIMEOUT_SECONDS, verify=_verify(config))
    response.raise_for_status()
    return url, response.json()


def discover(config: dict, issuer: str) -> dict:
    """The provider's checked discovery document, for the admin setting it up (raises
    ProviderError with a reason)."""
    try:
        url, metadata = _read_discovery(config, issuer)
    except _UNREACHABLE as exc:
        raise ProviderError(_("Belong could not read %(url)s: %(error)s.",
                              url=f"{issuer.rstrip('/')}/.well-known/openid-configuration",
                              error=exc.__class__.__name__)) from exc
    return checked_metadata(metadata, url)


def scope_for(metadata: dict) -> str:
    """The scopes to ask for: refresh tokens too where the provider offers them."""
    offered = metadata.get("scopes_supported")
    if isinstance(offered, list) and OFFLINE_SCOPE in offered:
        return f"{SCOPE} {OFFLINE_SCOPE}"
    return SCOPE


def client_for(config: dict, provider: SsoProvider) -> _Client:
    """The Authlib client of a school's provider, as its settings are now."""
    key = (provider.school_id, provider.updated_at.timestamp())
    client = _clients.get(key)
    if client is None or time.time() - client.server_metadata.get("_loaded_at", 0) \
            > METADATA_SECONDS:
        for old in [k for k in _clients if k[0] == provider.school_id]:
            del _clients[old]
        name = f"school{provider.school_id}"
        client = _clients[key] = _Client(
            FlaskIntegration(name), name=name, config=config, issuer=provider.issuer,
            client_id=provider.client_id, client_secret=sso.client_secret(config, provider),
            client_kwargs={"code_challenge_method": "S256",
                           "default_timeout": TIMEOUT_SECONDS, "verify": _verify(config)})
    return client


def start(config: dict, provider: SsoProvider, redirect_uri: str):
    """A redirect to the provider's sign-in page (state, nonce and PKCE kept in the
    signed session cookie by Authlib)."""
    try:
        with _asking(provider.school_id):
            client = client_for(config, provider)
            return client.authorize_redirect(redirect_uri,
                                             scope=scope_for(client.load_server_metadata()))
    except ProviderUnreachable as exc:
        raise ProviderError(_("Your university's sign-in page cannot be reached.")) from exc


def finish(config: dict, provider: SsoProvider) -> tuple[dict, str | None]:
    """Exchange the code the provider sent back: the verified ID token's claims (issuer,
    audience, signature, expiry, nonce) and the refresh token, if any."""
    client = client_for(config, provider)
    try:
        with _asking(provider.school_id):
            token = client.authorize_access_token(claims_options={
                "iss": {"essential": True, "values": [provider.issuer]},
                "aud": {"essential": True, "value": provider.client_id}})
    except (OAuthError, JoseError) as exc:
        raise ProviderError(_("Your university's sign-in did not complete (%(error)s).",
                              error=exc)) from exc
    except ProviderUnreachable as exc:
        raise ProviderError(_("Your university's sign-in cannot be reached.")) from exc
    claims = token.get("userinfo")
    if not claims:
        raise ProviderError(_("Your university's sign-in sent no identity."))
    return dict(claims), token.get("refresh_token")


def refresh(config: dict, provider: SsoProvider, refresh_token: str | None) -> str | None:
    """Ask the provider whether the grant still holds; the rotated refresh token, if any.

    Raises ProviderError when the provider refuses (signed out, disabled, revoked) and
    ProviderUnreachable when it cannot be asked.
    """
    if refresh_token is None:
        raise ProviderError("The provider gave this session no refresh token.")
    with _asking(provider.school_id):
        endpoint = client_for(config, provider).load_server_metadata()["token_endpoint"]
        with _Session(provider.client_id, sso.client_secret(config, provider),
                      default_timeout=TIMEOUT_SECONDS, verify=_verify(config)) as session:
            try:
                token = session.refresh_token(endpoint, refresh_token=refresh_token)
            except OAuthError as exc:
                raise ProviderError(exc.error or "refused") from exc
    return token.get("refresh_token")


def logout_claims(config: dict, provider: SsoProvider, logout_token: str) -> dict:
    """The claims of a back-channel logout token signed by the school's provider, for this
    client, issued just now (ProviderError otherwise; ProviderUnreachable if its keys
    cannot be read). Keys are read again once for a key id Belong has not seen."""
    client = client_for(config, provider)
    with _asking(provider.school_id):
        algorithms = client.load_server_metadata()["id_token_signing_alg_values_supported"]
        try:
            try:
                token = jwt.decode(logout_token, KeySet.import_key_set(client.fetch_jwk_set()),
                                   algorithms=algorithms)
            except InvalidKeyIdError:
                token = jwt.decode(logout_token,
                                   KeySet.import_key_set(client.fetch_jwk_set(force=True)),
                                   algorithms=algorithms)
            jwt.JWTClaimsRegistry(
                leeway=LOGOUT_LEEWAY_SECONDS, iss={"essential": True, "value": provider.issuer},
                aud={"essential": True, "value": provider.client_id},
                iat={"essential": True}).validate(token.claims)
        except (JoseError, ValueError, TypeError) as exc:
            raise ProviderError(f"not a logout token from the provider ({exc})") from exc
    iat = token.claims.get("iat")
    if not isinstance(iat, int) or abs(time.time() - iat) > LOGOUT_LEEWAY_SECONDS:
        raise ProviderError("a logout token from another time")
    return token.claims
