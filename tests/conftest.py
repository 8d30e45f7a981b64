"""Fixtures: one app per test run (migrated once), empty tables per test, logged-in clients."""

from __future__ import annotations

import os
import re

import pytest
from flask_migrate import upgrade
from sqlalchemy import text
from sqlalchemy.orm import Session

from reporting import create_app
from reporting.domain.roles import Role
from reporting.extensions import db, limiter
from tests import factories
from tests.oidc_provider import idp  # noqa: F401 (fixture: a real OpenID Connect provider)

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def pytest_collection_modifyitems(config, items):
    """PostgreSQL row-locking and Redis job tests run in the PostgreSQL-with-Redis pass (CI
    runs both passes; the other pass proves the app works without either)."""
    postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    redis = bool(os.environ.get("REDIS_URL"))
    for item in items:
        if item.get_closest_marker("postgres_only") and not postgres:
            item.add_marker(pytest.mark.skipif(True, reason="PostgreSQL row locking: runs in "
                                               "the PostgreSQL pass"))
        if item.get_closest_marker("redis_only") and not redis:
            item.add_marker(pytest.mark.skipif(True, reason="an RQ job: runs in the pass "
                                               "with REDIS_URL"))


@pytest.fixture(scope="session")
def playwright():
    """One Playwright for the whole run: tests/browser and tests/production both launch
    Chromium from it (a second sync Playwright in the same thread is refused)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as running:
        yield running


def _reset_database() -> None:
    """Start from nothing: drop every table (and Alembic's) left by an earlier run."""
    db.drop_all()
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    """The app under the test configuration, its schema built by the migrations."""
    app = create_app("test", instance_path=str(tmp_path_factory.mktemp("instance")),
                     BELONG_HMAC_KEY=factories.HMAC_KEY)
    with app.app_context():
        _reset_database()
        upgrade()
    return app


@pytest.fixture(autouse=True)
def _clean(request):
    """Empty every table and the rate-limit counters after each test that used the app."""
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())
        limiter.reset()


@pytest.fixture(scope="session")
def engine(app):
    """The app's database engine."""
    with app.app_context():
        return db.engine


@pytest.fixture
def session(engine):
    """A database session of the test's own, as a service caller would have.

    Deliberately not the app's scoped session inside a pushed app context: requests
    made by the test client would then share that context's `g` with the test.
    """
    with Session(engine) as session:
        yield session


@pytest.fixture
def school(session):
    """The test school, committed."""
    school = factories.make_school(session)
    session.commit()
    return school


@pytest.fixture
def client(app):
    """A test client."""
    return app.test_client()


def csrf_token(client, url: str) -> str:
    """GET a page and return the CSRF token from its form."""
    page = client.get(url)
    match = CSRF.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {url} ({page.status_code})"
    return match.group(1)


def post_form(client, url: str, data: dict, *, from_url: str | None = None, **kwargs):
    """Submit a form as a browser would: fetch the page for its CSRF token, then POST."""
    token = csrf_token(client, from_url or url)
    return client.post(url, data={**data, "csrf_token": token}, **kwargs)


def sign_in(client, user, password: str = factories.PASSWORD, steps_ahead: int = 0):
    """Password then TOTP, through the real pages; returns the second response."""
    first = post_form(client, "/auth/login", {"email": user.email, "password": password})
    assert first.status_code == 302, first.get_data(as_text=True)
    return post_form(client, "/auth/two-factor",
                     {"code": factories.totp_code(user, steps_ahead)})


@pytest.fixture
def login_as(app, session, school):
    """login_as(role, school=None) -> a test client signed in as a new staff member."""

    def _login(role: Role, at_school=None, **staff_kwargs):
        user = factories.make_staff(session, at_school or school, role, **staff_kwargs)
        session.commit()
        client = app.test_client()
        response = sign_in(client, user)
        assert response.status_code == 302, response.get_data(as_text=True)
        client.user = user
        return client

    return _login


@pytest.fixture
def migrated(app):
    """Inside an app context, for tests that move the schema; the database is upgraded back
    to head afterwards, for the tests that follow."""
    with app.app_context():
        try:
            yield
        finally:
            db.session.remove()
            upgrade()
