"""The hand-made requests that once caused a 500, each a test of its own (the sweep and the
property tests that find new ones are in test_hostile_fuzz.py)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import event
from werkzeug.serving import make_server

from reporting.domain.roles import Role
from reporting.extensions import limiter
from tests.conftest import post_form
from tests.web.reporting_pages import ANSWERS, RECEIPT, start

REPORT = "/s/northfield/report"
HUGE = "99999999999999999999"
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("broken", [
    {"urgency": "whenever"}, {"setting": "the moon"}, {"setting": "a" + "\u0301" * 8000},
    {"grounds": ["race", "astrology"]}, {"wants": []}, {"safe": ""}, {"occurred_kind": None},
], ids=["unknown urgency", "unknown setting", "8,000 combining characters", "unknown ground",
        "no wants", "no safety answer", "no date kind"])
@pytest.mark.parametrize("how", ["change to review", "expired token", "HEAD", "limit"])
def test_review_without_its_answers_lands_on_the_step_that_needs_one(client, app, school,
                                                                     broken, how, monkeypatch):
    """Does a review-step request whose hidden answers are missing or not a choice show the
    first step that needs an answer, with a message and every other answer kept?"""
    data = {**start(client), **ANSWERS, "step": "review", "chosen_channel": "pastoral"}
    data.update(broken)
    data = {name: value for name, value in data.items() if value is not None}
    method = "POST"
    if how == "change to review":
        data["action"] = "change:review"
    elif how == "expired token":
        data.pop("csrf_token")
    elif how == "HEAD":
        method = "HEAD"
    else:
        monkeypatch.setitem(app.config, "REPORT_STEP_LIMIT", "0 per minute")
    response = client.open(REPORT, method=method, data=data)
    assert response.status_code == (429 if how == "limit" else 200)
    if method == "HEAD":
        return  # read as the form's first page: nothing was sent
    page = response.get_data(as_text=True)
    assert 'name="step" value="review"' not in page
    assert "Some answers on this page did not reach us" in page or "again" in page
    assert ANSWERS["narrative"] in page


def test_a_head_request_is_never_taken_for_a_step_sent(client, school):
    """Is HEAD, with or without a body, answered like GET (the first step), nothing sent?"""
    for url in (REPORT, "/s/northfield/peer"):
        assert client.head(url, data={"step": "review", "safe": "no"}).status_code == 200


@pytest.fixture
def statements(engine):
    """Every parameter each SQL statement was sent with, while the test runs."""
    seen: list[object] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(parameters)

    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


@pytest.mark.parametrize("url,status", [
    ("/s/%00/", 404), ("/s/%00/report", 404), ("/s/north%00field/support", 404),
    ("/s/northfield/support?kind=%00", 400), ("/s/northfield/support?tag=a%00b", 400),
    ("/s/northfield/support?tag=race&kind=a%00", 400),
    ("/auth/enrol/%00", 404), ("/static/%00", 404),
])
def test_a_nul_byte_never_reaches_the_database(client, school, statements, url, status):
    """Is a NUL in the path a 404, and one in a filter a 400 with the form's message, before
    any SQL is sent with it?"""
    assert client.get(url).status_code == status
    assert not [p for p in statements if "\x00" in repr(p)]


@pytest.mark.parametrize("url", ["/staff/cases/%00", "/staff/cases/%00/note",
                                 "/staff/cases/x/files/%00"])
def test_a_nul_byte_in_a_staff_path_is_a_404(login_as, statements, url):
    """Is a NUL in a case or file id a 404 for a signed-in handler too?"""
    officer = login_as(Role.PASTORAL_OFFICER)
    assert officer.get(url).status_code in (404, 405)
    assert not [p for p in statements if "\x00" in repr(p)]


@pytest.mark.parametrize("url", [f"/admin/directory/edit?entry={HUGE}",
                                 f"/admin/directory/history?entry={HUGE}",
                                 "/admin/directory/edit?entry=%C2%B2",
                                 f"/admin/directory/edit?entry=-{HUGE}"])
def test_an_oversized_or_odd_entry_id_is_not_found(login_as, url):
    """Is ?entry=99999999999999999999 (or ², or negative) a 404, not an overflow?"""
    assert login_as(Role.ADMIN).get(url).status_code == 404


def test_oversized_ids_in_forms_and_pages_are_refused_plainly(login_as):
    """Are a huge entry to retire, and huge page numbers, answered below 500?"""
    admin = login_as(Role.ADMIN)
    retire = post_form(admin, "/admin/directory/retire", {"entry": HUGE},
                       from_url="/admin/directory")
    assert retire.status_code in (400, 404)
    assert admin.get(f"/admin/audit?page={HUGE}").status_code == 400
    officer = login_as(Role.PASTORAL_OFFICER, email="officer@x.example")
    queue = officer.get(f"/staff/?page={HUGE}")
    assert queue.status_code == 400 and "The page must be a whole number" not in queue.text
    assert "The page must be between 1 and 100,000." in queue.text


def test_text_sent_where_a_file_goes_is_not_a_file(client, school):
    """Is a form field called 'files' holding text ignored, not a crash, on Send?"""
    data = {**start(client), **ANSWERS, "step": "review", "chosen_channel": "pastoral",
            "files": "not a file"}
    limiter.reset()
    sent = client.post(REPORT, data=data, follow_redirects=True)  # sent, with no files
    assert sent.status_code == 200 and RECEIPT.search(sent.text)


def _raw_chunked_post(port: int, path: str, body: bytes) -> bytes:
    """The status line the server answers a chunked POST with."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                     "Content-Type: application/x-www-form-urlencoded\r\n"
                     "Transfer-Encoding: chunked\r\n\r\n".encode() + body)
        reply = b""
        while chunk := conn.recv(65536):
            reply += chunk
    return reply.split(b"\r\n", 1)[0]


def _wait_for(port: int) -> None:
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"nothing listens on {port}")


@pytest.fixture(scope="module", params=["gunicorn", "werkzeug"])
def server_port(request, app, tmp_path_factory):
    """The app behind Gunicorn (what production runs) or Werkzeug's server, on a free port."""
    tmp_path = tmp_path_factory.mktemp("chunked")
    if request.param == "werkzeug":
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield server.server_port
        server.shutdown()
        return
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    (tmp_path / "chunked_app.py").write_text(
        "from reporting import create_app\n"
        f"app = create_app('test', instance_path={str(tmp_path)!r})\n")
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{tmp_path}",
           "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"]}
    env.pop("REDIS_URL", None)
    worker = subprocess.Popen(  # noqa: S603 (our own app, on loopback)
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1",
         "chunked_app:app"], env=env, cwd=tmp_path, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE)
    try:
        _wait_for(port)
        yield port
    finally:
        worker.terminate()
        worker.wait(timeout=10)


@pytest.mark.parametrize("path", [REPORT, "/s/northfield/peer",
                                  "/s/northfield/receipt/not-a-handle", "/auth/login",
                                  "/s/northfield/your-report/reply"])
@pytest.mark.parametrize("body", [b"zz\r\nstep=review\r\n0\r\n\r\n",
                                  b"5\r\nstep=review\r\n0\r\n\r\n"],
                         ids=["not a chunk size", "chunk longer than it said"])
def test_a_malformed_chunked_body_is_a_400(school, server_port, path, body):
    """Does a body whose chunked encoding is broken get a 400 from the real servers?"""
    assert _raw_chunked_post(server_port, path, body) == b"HTTP/1.1 400 BAD REQUEST"

