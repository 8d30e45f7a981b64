"""The production app for benchmarks, with two baselines in the same gunicorn workers.

- /bench/kdf, WSGI middleware in front of the app: only one Argon2id derivation with the
  same KDF parameters, what a submission is compared with (submit_load.py);
- /bench/bare, a route of the app itself: a short text through Flask's whole request
  machinery (every before- and after-request hook, no database), what a page is compared
  with (queue_load.py).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from flask import Blueprint

import reporting
from reporting import create_app
from reporting.auth import access
from reporting.crypto import KdfParams, derive_keys, random_salt

# The load comes from one address on purpose, over plain HTTP on loopback (in production
# a TLS proxy sits in front, so the cookie is Secure; here the client must get it back).
app = create_app(RATELIMIT_ENABLED=False, SESSION_COOKIE_SECURE=False)
_params = KdfParams.from_config(app.config)
_flask = app.wsgi_app
bare = Blueprint("bench", __name__)


@bare.get("/bench/bare")
def bare_endpoint() -> str:
    """The bare Flask endpoint: what any page of this app costs before its own work."""
    return "ok"


# Open to anyone, as /healthz is: the gate lets the bench blueprint through.
access.OPEN_BLUEPRINTS = access.OPEN_BLUEPRINTS | {"bench"}
app.register_blueprint(bare)


def _with_bare_kdf(environ, start_response):
    if environ.get("PATH_INFO") == "/bench/kdf":
        derive_keys(os.urandom(16), random_salt(), _params)
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
        return [b"ok"]
    return _flask(environ, start_response)


app.wsgi_app = _with_bare_kdf
# The benchmark checks each worker serves this checkout, not an installed copy.
print(f"bench_wsgi: reporting from {Path(reporting.__file__).parent}", file=sys.stderr,
      flush=True)
