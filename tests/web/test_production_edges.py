"""The production configuration at its edges: HTTPS forms, cross-site POSTs, lost services."""

from __future__ import annotations

import pytest

from reporting import create_app
from reporting.extensions import db
from tests import factories
from tests.conftest import CSRF

HTTPS = "https://belong.example.ac.uk"


@pytest.fixture
def production(monkeypatch, tmp_path):
    """A production app (SQLite underneath, to need no server), migrated, with one school."""
    from flask_migrate import upgrade

    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("BELONG_HMAC_KEY", "h" * 40)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'prod.sqlite'}")
    monkeypatch.setenv("MAIL_BACKEND", "console")
    monkeypatch.setenv("BELONG_BASE_URL", HTTPS)
    monkeypatch.delenv("REDIS_URL", raising=False)
    app = create_app("production", instance_path=str(tmp_path), KDF_MEMORY_KIB=64,
                     KDF_TIME_COST=1)
    with app.app_context():
        upgrade()
        factories.make_school(db.session)
        db.session.commit()
    yield app
    with app.app_context():
        db.engine.dispose()


def _https_client(app):
    """A client that reaches the app as nginx forwards an HTTPS request (one proxy hop)."""
    client = app.test_client()
    client.environ_base.update({"HTTP_X_FORWARDED_PROTO": "https",
                                "HTTP_X_FORWARDED_HOST": "belong.example.ac.uk"})
    return client


def _token(client, url: str) -> str:
    return CSRF.search(client.get(url, base_url=HTTPS).get_data(as_text=True)).group(1)


def test_a_same_site_post_over_https_without_referer_is_accepted(production):
    """Over HTTPS, with no Referer (our policy sends none), does a sign-in form go through?"""
    client = _https_client(production)
    token = _token(client, "/auth/login")
    response = client.post("/auth/login", base_url=HTTPS, headers={"Sec-Fetch-Site":
                           "same-origin", "Origin": HTTPS},
                           data={"csrf_token": token, "email": "nobody@example.ac.uk",
                                 "password": "wrong password here"})
    assert response.status_code == 200 and "not right" not in response.text
    assert "do not match an account" in response.text


@pytest.mark.parametrize("headers", [{"Sec-Fetch-Site": "cross-site"},
                                     {"Origin": "https://evil.example"},
                                     {"Origin": "null"}])
def test_a_cross_site_post_over_https_is_refused_even_with_a_token(production, headers):
    """Is a POST another site started refused (403), even carrying a valid token?"""
    client = _https_client(production)
    token = _token(client, "/s/northfield/return")
    response = client.post("/s/northfield/return", base_url=HTTPS, headers=headers,
                           data={"csrf_token": token, "receipt": "AAAA-BBBB-CCCC-DDDD-EEEE"})
    assert response.status_code == 403 and "another website" in response.text


def test_a_missing_token_is_still_refused_over_https(production):
    """Does the origin check add to the CSRF token rather than replace it?"""
    response = _https_client(production).post(
        "/auth/login", base_url=HTTPS, headers={"Sec-Fetch-Site": "same-origin"},
        data={"email": "a@example.ac.uk", "password": "x" * 12})
    assert response.status_code == 400


def test_healthz_says_what_answers_and_nothing_else(production):
    """Does /healthz answer 200 with the database up, no cookie, and nothing about anyone?"""
    response = _https_client(production).get("/healthz", base_url=HTTPS)
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    assert response.json == {"status": "ok", "database": "ok", "redis": "not configured",
                             "scheme": "https", "client_is_probe": False, "forwarded_for": 0}


def test_with_the_database_gone_pages_say_try_again_shortly(monkeypatch, tmp_path):
    """With PostgreSQL unreachable, do pages and /healthz answer 503, never a bare 500?"""
    monkeypatch.setenv("DATABASE_URL", "postgresql://belong@127.0.0.1:1/belong")
    app = create_app("test", instance_path=str(tmp_path))
    client = app.test_client()
    # The sign-in page too: it lists the schools that sign in with their provider.
    for url in ("/s/northfield/", "/s/northfield/report", "/s/northfield/support", "/healthz",
                "/auth/login"):
        assert client.get(url).status_code == 503, url
    assert client.get("/healthz").json["database"] == "unreachable"
    token = CSRF.search(client.get("/auth/forgot-password").text).group(1)  # no database
    signing_in = client.post("/auth/login", data={"csrf_token": token, "email": "a@b.ac.uk",
                                                  "password": "x" * 12})
    assert signing_in.status_code == 503 and "try again shortly" in signing_in.text


FALLBACK_SCRIPT = """
import json, logging, sys
from flask_migrate import upgrade
from reporting import create_app
app = create_app("test", instance_path=sys.argv[1], LOGIN_RATE_LIMIT="3 per minute",
                 WTF_CSRF_ENABLED=False)
with app.app_context():
    upgrade()  # (Alembic's logging set-up replaces the root handlers: listen directly)
alerts = []
listener = logging.Handler(logging.WARNING)
listener.emit = alerts.append
logging.getLogger("flask-limiter").addHandler(listener)
client = app.test_client()
statuses = [client.post("/auth/login", data={"email": "a@example.ac.uk",
                                             "password": "x" * 12}).status_code
            for _ in range(4)]
print(json.dumps({"statuses": statuses, "alerts": [a.getMessage() for a in alerts]}))
"""


def test_with_redis_gone_limits_fall_back_to_memory(tmp_path):
    """With Redis unreachable, does sign-in still answer (no 500), do limits still count,
    and is an alert logged? (Its own process: the limiter is one global.)"""
    import json
    import os
    import subprocess
    import sys

    env = {**os.environ, "REDIS_URL": "redis://:pw@127.0.0.1:1/0"}
    env.pop("DATABASE_URL", None)
    run = subprocess.run([sys.executable, "-c", FALLBACK_SCRIPT, str(tmp_path)], env=env,  # noqa: S603
                         capture_output=True, text=True, timeout=120, check=True)
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["statuses"] == [200, 200, 200, 429]
    assert any("falling back to in-memory" in alert for alert in result["alerts"])
