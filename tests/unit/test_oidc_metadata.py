"""What Belong takes from a provider's discovery document: the standard fields only, https
endpoints, and public-key signatures (never "none", never a shared secret)."""

from __future__ import annotations

import pytest

from reporting.auth import oidc

URL = "https://login.example/.well-known/openid-configuration"
GOOD = {"issuer": "https://login.example", "authorization_endpoint": "https://login.example/a",
        "token_endpoint": "https://login.example/t", "jwks_uri": "https://login.example/k",
        "id_token_signing_alg_values_supported": ["RS256"]}


def test_only_the_standard_fields_reach_the_client():
    """Can a discovery document set the session's TLS check, proxies or timeouts? No."""
    hostile = {**GOOD, "verify": False, "proxies": {"https": "http://evil"},
               "default_timeout": 9999, "code_challenge_method": "plain", "_loaded_at": 0}
    assert oidc.checked_metadata(hostile, URL) == GOOD


@pytest.mark.parametrize("endpoint", oidc.ENDPOINTS)
def test_every_endpoint_must_be_https(endpoint):
    """A missing or plain-http endpoint is a clear refusal, never a 500 later."""
    for bad in (None, "http://login.example/x", 7):
        document = {**GOOD, endpoint: bad}
        with pytest.raises(oidc.ProviderError, match="https"):
            oidc.checked_metadata(document, URL)


def test_tokens_must_be_signed_with_a_public_key():
    """"none" and shared-secret algorithms are dropped; a provider offering nothing else
    cannot be used; a document that names none means RS256, the standard's default."""
    mixed = {**GOOD, "id_token_signing_alg_values_supported": ["none", "HS256", "ES256"]}
    assert oidc.checked_metadata(mixed, URL)["id_token_signing_alg_values_supported"] == \
        ["ES256"]
    for only in (["none"], ["HS256", "HS512"], []):
        with pytest.raises(oidc.ProviderError, match="public-key"):
            oidc.checked_metadata({**GOOD, "id_token_signing_alg_values_supported": only},
                                  URL)
    silent = {k: v for k, v in GOOD.items() if k != "id_token_signing_alg_values_supported"}
    assert oidc.checked_metadata(silent, URL)["id_token_signing_alg_values_supported"] == \
        ["RS256"]


def test_not_a_discovery_document():
    for bad in ([], "text", {"issuer": 3}):
        with pytest.raises(oidc.ProviderError, match="not an OpenID Connect"):
            oidc.checked_metadata(bad, URL)


def test_refresh_tokens_are_asked_for_where_offered():
    assert oidc.scope_for({"scopes_supported": ["openid", "offline_access"]}) == \
        "openid email profile offline_access"
    assert oidc.scope_for({"scopes_supported": ["openid"]}) == "openid email profile"
    assert oidc.scope_for({}) == "openid email profile"
