"""The production app for benchmarks, plus a bare endpoint doing only one Argon2id derivation.

The bare endpoint is WSGI middleware in front of the same app, in the same gunicorn
workers, with the same KDF parameters: the baseline a submission is compared with.
"""

from __future__ import annotations

import os

from reporting import create_app
from reporting.crypto import KdfParams, derive_keys, random_salt

# The load comes from one address on purpose, over plain HTTP on loopback (in production
# a TLS proxy sits in front, so the cookie is Secure; here the client must get it back).
app = create_app(RATELIMIT_ENABLED=False, SESSION_COOKIE_SECURE=False)
_params = KdfParams.from_config(app.config)
_flask = app.wsgi_app


def _with_bare_kdf(environ, start_response):
    if environ.get("PATH_INFO") == "/bench/kdf":
        derive_keys(os.urandom(16), random_salt(), _params)
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
        return [b"ok"]
    return _flask(environ, start_response)


app.wsgi_app = _with_bare_kdf
