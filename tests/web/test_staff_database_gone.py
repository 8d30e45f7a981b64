"""A signed-in staff member's pages with the database gone: "try again shortly", not a 500."""

from __future__ import annotations

import pytest

from reporting import create_app


@pytest.mark.parametrize("url", ["/staff/", "/admin/", "/auth/login"])
def test_a_signed_in_page_with_the_database_gone_says_try_again_shortly(monkeypatch, tmp_path,
                                                                       url):
    """With PostgreSQL unreachable, does a request carrying a staff session get the 503 page
    (the error page must not ask the database who is signed in a second time)?"""
    monkeypatch.setenv("DATABASE_URL", "postgresql://belong@127.0.0.1:1/belong")
    app = create_app("test", instance_path=str(tmp_path))
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "a-staff-session-token"  # Flask-Login looks it up: a query
    answer = client.get(url)
    assert answer.status_code == 503 and "try again shortly" in answer.text, answer.text
    assert answer.headers["Retry-After"] == "30"
