"""A real OpenID Connect provider for the tests: oidc-provider-mock, served over TLS on a
free loopback port in a thread, with what a school's identity team would do to it (add or
change a person, disable them, sign them out by back-channel logout)."""

from __future__ import annotations

import json
import ssl
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import flask
import oidc_provider_mock
import pytest
import requests
from joserfc import jwt
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server

from reporting.services.sso import BACKCHANNEL_EVENT
from tests.production.tls import Certificate, self_signed

CLIENT_ID = "belong-test"
CLIENT_SECRET = "belong-test-secret-0123456789"


@dataclass
class Provider:
    """The running provider, and the CA file that trusts its certificate."""

    issuer: str
    ca_file: Path
    certificate: Certificate
    signing_key: RSAKey

    def set_user(self, sub: str, **claims: object) -> None:
        """Add or change a person at the provider (email, amr, acr ...)."""
        response = requests.put(f"{self.issuer}/users/{sub}", json=claims,
                                verify=str(self.ca_file), timeout=5)
        assert response.status_code == 204, response.text

    def disable(self, sub: str) -> None:
        """Disable an account: every token the provider gave it stops working."""
        response = requests.post(f"{self.issuer}/users/{sub}/revoke-tokens",
                                 verify=str(self.ca_file), timeout=5)
        assert response.status_code == 204, response.text

    def sign_in(self, authorize_url: str, sub: str) -> str:
        """The person signs in at the provider's page: the address it sends them back to."""
        response = requests.post(authorize_url, data={"sub": sub}, allow_redirects=False,
                                 verify=str(self.ca_file), timeout=5)
        assert response.status_code == 302, response.text
        return response.headers["Location"]

    def logout_token(self, *, sub: str | None = None, sid: str | None = None,
                     aud: str = CLIENT_ID, issued: float | None = None,
                     events: object = None, key: RSAKey | None = None) -> str:
        """A back-channel logout token, as the provider signs one (OIDC Back-Channel
        Logout 1.0, section 2.4): the mock has no back-channel logout of its own."""
        claims = {"iss": self.issuer, "aud": aud, "iat": int(issued or time.time()),
                  "jti": uuid.uuid4().hex,
                  "events": events if events is not None else {BACKCHANNEL_EVENT: {}}}
        if sub is not None:
            claims["sub"] = sub
        if sid is not None:
            claims["sid"] = sid
        signer = key or self.signing_key
        return jwt.encode({"alg": "RS256", "kid": signer.kid, "typ": "logout+jwt"},
                          claims, signer)


def _signing_key(mock: flask.Flask) -> RSAKey:
    """The key the provider signs ID tokens with (its JWKS publishes the public half)."""
    with mock.test_request_context():
        mock.preprocess_request()
        private = flask.g.oidc_provider_mock_storage.jwk.as_dict(is_private=True)
    return RSAKey.import_key(json.loads(json.dumps(private)))


@contextmanager
def serve(certificate: Certificate, directory: Path) -> Iterator[Provider]:
    """Run the provider over TLS with this certificate (its PEM files go in `directory`)."""
    cert_file, key_file = certificate.write(directory)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    mock = oidc_provider_mock.app()
    server = make_server("127.0.0.1", 0, mock, threaded=True, ssl_context=context)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Provider(f"https://127.0.0.1:{server.server_port}", cert_file, certificate,
                       _signing_key(mock))
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def idp(tmp_path_factory):
    """The provider, on https://127.0.0.1:<port>, with a certificate of its own."""
    with serve(self_signed("127.0.0.1"), tmp_path_factory.mktemp("idp-tls")) as provider:
        yield provider


def callback_path(location: str) -> str:
    """The path and query of the address the provider sends the person back to."""
    parts = urlsplit(location)
    return f"{parts.path}?{parts.query}"
