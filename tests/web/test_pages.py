"""Pages: security headers, cookies, error pages, quick exit, hostile input."""

from __future__ import annotations

import logging

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reporting import create_app
from reporting.extensions import limiter, pseudonymous_client
from reporting.http import _NoClientAddress
from tests import factories
from tests.conftest import post_form

STUDENT_PAGES = ["/", "/s/northfield/", "/s/northfield/support", "/s/northfield/spaces",
                 "/s/northfield/spaces/past", "/s/northfield/you-said-we-did",
                 "/s/northfield/pulse", "/s/northfield/role-models"]
QUICK_EXIT = 'id="quick-exit" href="/exit"'
HOSTILE = ["' OR 1=1 --", "<script>alert(1)</script>", "\x00\x01\x7f", "🙂" * 500,
           "A" * 100_000, "Ｋ７ＱＦ-９ＸＭ２", "../../etc/passwd", "{{ 7*7 }}", "\u202e"]


@pytest.mark.parametrize("url", STUDENT_PAGES + ["/s/northfield/return", "/auth/login",
                                                 "/nope", "/staff/"])
def test_security_headers_on_every_response(client, school, url):
    """Does every response, error or redirect included, carry the strict headers?"""
    headers = client.get(url).headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["Cache-Control"] == "no-store"
    assert "Strict-Transport-Security" not in headers  # only in production


@pytest.mark.parametrize("url", STUDENT_PAGES)
def test_student_pages_without_forms_set_no_cookie(client, school, url):
    """Does just reading a student page leave no cookie at all?"""
    response = client.get(url)
    assert response.status_code == 200 and "Set-Cookie" not in response.headers


@pytest.mark.parametrize("url", STUDENT_PAGES + ["/s/northfield/return"])
def test_every_student_page_has_the_quick_exit(client, school, url):
    """Is 'Leave this site quickly' on every student page, as a plain link?"""
    assert QUICK_EXIT in client.get(url).get_data(as_text=True)


@pytest.mark.parametrize(("url", "for_student"), [
    ("/s/no-such-school/", True), ("/s/no-such-school/report", True),
    ("/s/northfield/no-such-page", True), ("/no-such-page", True),
    ("/staff/no-such-page", False), ("/admin/no-such-page", False),
    ("/auth/no-such-page", False)])
def test_not_found_pages_keep_the_quick_exit_on_student_addresses(client, school, url,
                                                                   for_student):
    """Does a 404 on a student's address, an unknown school's included, keep the quick exit
    (it goes to the configured neutral site, whatever the school), and a staff one not?"""
    response = client.get(url)
    assert response.status_code == 404
    assert (QUICK_EXIT in response.text) is for_student


def test_student_error_pages_keep_the_quick_exit(app, client, school, monkeypatch):
    """Do the pages a student meets when a form expired (400), came from another site (403),
    was sent too often (429) or broke (500) keep the quick exit?"""
    monkeypatch.setitem(app.config, "RECEIPT_RATE_LIMIT", "1 per minute")
    post_form(client, "/s/northfield/return", {"receipt": "AAAA-BBBB-CCCC-DDDD-EEEE"})

    def broken(slug: str):
        raise RuntimeError("a bug")

    monkeypatch.setitem(app.view_functions, "student.support", broken)
    pages = {400: client.post("/s/northfield/leave"),
             403: client.post("/s/northfield/leave", headers={"Sec-Fetch-Site": "cross-site"}),
             429: post_form(client, "/s/northfield/return",
                            {"receipt": "AAAA-BBBB-CCCC-DDDD-EEEE"}),
             500: client.get("/s/northfield/support")}
    for status, response in pages.items():
        assert response.status_code == status and QUICK_EXIT in response.text, status


def test_quick_exit_forgets_the_receipt_session(client, session, school):
    """Does the quick exit end a returning student's session and leave for a neutral site?"""
    report = factories.make_report(session, school)
    session.commit()
    post_form(client, "/s/northfield/return", {"receipt": report.receipt})
    assert client.get("/s/northfield/your-report").status_code == 200
    leave = client.get("/exit")
    assert leave.status_code == 302 and leave.location.startswith("https://")
    assert client.get("/s/northfield/your-report").status_code == 302


def test_session_cookie_flags(client, school):
    """Is the session cookie HttpOnly and SameSite=Lax?"""
    cookie = client.get("/s/northfield/return").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_adds_hsts_and_secure_cookies(monkeypatch, tmp_path):
    """In production, are HSTS and Secure cookies switched on?"""
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("BELONG_HMAC_KEY", "h" * 40)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'prod.sqlite'}")
    monkeypatch.setenv("MAIL_BACKEND", "console")
    monkeypatch.delenv("REDIS_URL", raising=False)  # the PostgreSQL pass's has no password
    app = create_app("production", instance_path=str(tmp_path))
    response = app.test_client().get("/auth/login")
    assert "max-age=" in response.headers["Strict-Transport-Security"]
    assert "Secure" in response.headers["Set-Cookie"]


def test_production_rate_limits_the_real_client_behind_the_proxy(monkeypatch, tmp_path):
    """Behind the proxy, are clients told apart by X-Forwarded-For, not lumped together?"""
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("BELONG_HMAC_KEY", "h" * 40)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'prod.sqlite'}")
    monkeypatch.setenv("MAIL_BACKEND", "console")
    monkeypatch.delenv("REDIS_URL", raising=False)  # the PostgreSQL pass's has no password
    app = create_app("production", instance_path=str(tmp_path))
    seen = []
    app.before_request(lambda: seen.append(pseudonymous_client()))
    for address in ("203.0.113.1", "203.0.113.2"):
        app.test_client().get("/auth/login", headers={"X-Forwarded-For": address})
    assert len(set(seen)) == 2 and not any("203.0.113" in key for key in seen)


def test_error_pages_are_friendly_and_never_a_stack_trace(tmp_path, monkeypatch):
    """Do 404, 405, 413 and a database failure (503, try again shortly) render our page,
    without a traceback, and a student's 503 the quick exit?"""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    # A database without tables: every query fails, as if the server had lost it.
    app = create_app("test", instance_path=str(tmp_path), MAX_CONTENT_LENGTH=1024)
    client = app.test_client()
    cases = {404: client.get("/missing"), 405: client.delete("/auth/login"),
             413: client.post("/auth/login", data={"email": "x" * 5000}),
             503: client.get("/s/northfield/")}
    for status, response in cases.items():
        body = response.get_data(as_text=True)
        assert response.status_code == status
        assert "<h1>" in body and "Traceback" not in body and "sqlite" not in body.lower()
    assert cases[503].headers["Retry-After"] and "try again shortly" in cases[503].text
    assert QUICK_EXIT in cases[503].text


def test_routes_outside_a_known_area_are_denied(tmp_path):
    """Is a view added outside the student/auth/staff/admin areas refused by default?"""
    app = create_app("test", instance_path=str(tmp_path))

    @app.route("/forgotten")
    def forgotten():
        return "should never be reachable"

    assert app.test_client().get("/forgotten").status_code == 404


def test_receipt_journey_through_the_pages(client, session, school):
    """Can a student open their report with the receipt, see its status, and leave?"""
    report = factories.make_report(session, school, narrative="It happened on ward 7.")
    session.commit()
    response = post_form(client, "/s/northfield/return", {"receipt": report.receipt})
    assert response.status_code == 302
    page = client.get("/s/northfield/your-report").get_data(as_text=True)
    assert "It happened on ward 7." in page and "Nobody has opened it yet." in page
    left = post_form(client, "/s/northfield/leave", {}, from_url="/s/northfield/your-report")
    assert left.status_code == 303 and left.location.endswith("/s/northfield/")
    assert left.headers["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert client.get("/s/northfield/your-report").status_code == 302


def test_wrong_receipt_says_the_same_whatever_the_reason(client, session, school):
    """Do a well-formed wrong receipt and a malformed one get the same message?"""
    factories.make_report(session, school)
    session.commit()
    wrong = post_form(client, "/s/northfield/return", {"receipt": "AAAA-BBBB-CCCC-DDDD-EEEE"})
    odd = post_form(client, "/s/northfield/return", {"receipt": "not a receipt"})
    for response in (wrong, odd):
        assert response.status_code == 200
        assert "That receipt does not match a report here." in response.get_data(as_text=True)


def test_receipt_attempts_are_rate_limited(app, client, school, monkeypatch):
    """Are repeated receipt guesses from one client stopped with 429 at the set limit?"""
    monkeypatch.setitem(app.config, "RECEIPT_RATE_LIMIT", "5 per minute")
    statuses = [post_form(client, "/s/northfield/return",
                          {"receipt": "AAAA-BBBB-CCCC-DDDD-EEEE"}).status_code for _ in range(6)]
    assert statuses[:5] == [200] * 5 and statuses[5] == 429


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_input_never_breaks_forms(client, school, value):
    """Do injection strings, control characters, huge and odd unicode get a clear answer?"""
    for url, data in (("/s/northfield/return", {"receipt": value}),
                      ("/auth/login", {"email": value, "password": value})):
        response = post_form(client, url, data)
        assert response.status_code in (200, 413), (url, response.status_code)
        assert "<script>alert(1)</script>" not in response.get_data(as_text=True)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_any_text_in_the_receipt_field_is_handled(client, school, text):
    """Does any unicode at all in the receipt field give a page, never a 500?"""
    limiter.reset()
    response = post_form(client, "/s/northfield/return", {"receipt": text})
    assert response.status_code == 200


def test_server_log_never_holds_the_client_address():
    """Does the development server's request log leave out the client's IP address?"""
    record = logging.LogRecord("werkzeug", logging.INFO, "", 0,
                               '203.0.113.7 - - [x] "GET / HTTP/1.1" 200 -', None, None)
    _NoClientAddress().filter(record)
    assert "203.0.113.7" not in record.getMessage()
