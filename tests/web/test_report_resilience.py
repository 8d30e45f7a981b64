"""A limit or a lost database mid-report never throws the student's answers away."""

from __future__ import annotations

import pytest
from flask_migrate import upgrade

from reporting import create_app
from reporting.extensions import db
from tests import factories
from tests.web.reporting_pages import ANSWERS, post_step, start

NOT_SAFE = {**ANSWERS, "safe": "no", "chosen_channel": "institutional"}
EMERGENCY = ("999", "NHS 111", "116 123", "0113 496 0000")


def _kept_everything(page: str) -> None:
    """The page carries the answers, the quick exit and, for this student, the emergency help."""
    assert NOT_SAFE["narrative"] in page and 'value="clinical_placement"' in page
    assert 'href="/exit"' in page
    for route in EMERGENCY:
        assert route in page


def test_a_limit_hit_mid_report_shows_the_step_again(app, client, school, monkeypatch):
    """Over the report limit half-way, is the same step shown again (429) with every answer,
    the quick exit and the emergency routes, never the bare 'Too many attempts' page?"""
    monkeypatch.setitem(app.config, "REPORT_STEP_LIMIT", "2 per minute")
    data = {**start(client), **NOT_SAFE}
    assert post_step(client, "safety", data).status_code == 200
    assert post_step(client, "what", data).status_code == 200
    limited = post_step(client, "about", data)
    page = limited.get_data(as_text=True)
    assert limited.status_code == 429 and "Your answers are still here" in page
    assert 'name="step" value="about"' in page and "Too many attempts" not in page
    _kept_everything(page)


@pytest.fixture
def own_app(tmp_path):
    """An app with a SQLite file of its own, so a test can take the database away."""
    path = tmp_path / "lost.sqlite"
    own = create_app("test", instance_path=str(tmp_path),
                     SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")
    with own.app_context():
        upgrade()
        factories.make_school(db.session)
        db.session.commit()
    yield own, path
    with own.app_context():
        db.engine.dispose()


def _lose_the_database(own, path) -> None:
    """The database goes away: its file deleted, its connections closed."""
    with own.app_context():
        db.engine.dispose()
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    path.mkdir()  # SQLite cannot even create a new, empty one there


@pytest.mark.parametrize("step", ["about", "review"])
def test_with_the_database_gone_the_step_comes_back_with_every_answer(own_app, step):
    """With the database gone mid-report (Continue, or Send), is the step shown again with
    every answer, the quick exit and the emergency routes, and nothing claimed as sent?"""
    own, path = own_app
    client = own.test_client()
    data = start(client)
    _lose_the_database(own, path)
    response = post_step(client, step, {**data, **NOT_SAFE},
                         content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    if step == "review":
        assert response.status_code == 503 and "nothing was stored" in page
        assert "cannot look up which team" in page
    else:
        assert response.status_code == 200 and 'name="step" value="wishes"' in page
    assert "Traceback" not in page and "receipt-code" not in page
    _kept_everything(page)


def test_a_peer_request_survives_a_limit_and_a_lost_database(own_app, monkeypatch):
    """Over the limit, or with the database gone, is a peer request's message kept?"""
    own, path = own_app
    client = own.test_client()
    page = client.get("/s/northfield/peer").get_data(as_text=True)
    from tests.conftest import CSRF

    data = {"csrf_token": CSRF.search(page).group(1), "tags": ["race"],
            "message": "Someone who has been through placement as the only Black student."}
    monkeypatch.setitem(own.config, "REPORT_SEND_LIMIT", "0 per minute")
    limited = client.post("/s/northfield/peer", data=data)
    assert limited.status_code == 429 and data["message"] in limited.text
    monkeypatch.setitem(own.config, "REPORT_SEND_LIMIT", "30 per minute")
    _lose_the_database(own, path)
    lost = client.post("/s/northfield/peer", data=data)
    assert lost.status_code == 503 and data["message"] in lost.text
    assert "nothing was stored" in lost.text and 'href="/exit"' in lost.text
