"""Two app servers sharing PostgreSQL and Redis: one rate limit, and every email once."""

from __future__ import annotations

import secrets
import threading

import pytest

from tests.production.failover import Failover
from tests.production.harness import Harness
from tests.production.processes import wait_until
from tests.production.web import file_report, token

LOGIN_LIMIT_PER_MINUTE = 10  # config.py: LOGIN_RATE_LIMIT = "10 per minute;30 per hour"


@pytest.fixture
def pair(harness_pair: Harness):
    """The two-server harness, both servers running again afterwards."""
    yield harness_pair
    harness_pair.start_stopped_apps()


def _bad_logins(harness: Harness, count: int, email: str | None = None) -> list[int]:
    """Status codes of `count` wrong-password sign-ins (each with a valid CSRF token). With
    no `email`, each is for another email, so only the per-address limit counts them (not
    the per-account backoff of reporting/auth/backoff.py)."""
    session = harness.session()
    codes = []
    for _ in range(count):
        form = session.get(harness.url("/auth/login"))
        codes.append(session.post(harness.url("/auth/login"), data={
            "email": email or f"nobody-{secrets.token_hex(4)}@northfield.ac.uk",
            "password": "not the password", "csrf_token": token(form)}).status_code)
    return codes


def test_the_login_limit_counts_across_both_servers(pair: Harness):
    """Half the allowed attempts on each server: is the next one refused, wherever it lands?"""
    harness, half = pair, LOGIN_LIMIT_PER_MINUTE // 2
    harness.stop_app(1)
    assert _bad_logins(harness, half) == [200] * half  # all on server 1
    harness.start_app(1)
    harness.stop_app(0)
    assert _bad_logins(harness, half) == [200] * half  # all on server 2
    assert _bad_logins(harness, 1) == [429]            # server 2 knows server 1's count
    harness.start_app(0)
    harness.stop_app(1)
    assert _bad_logins(harness, 1) == [429]            # and server 1 knows server 2's


def test_the_account_backoff_counts_across_both_servers(pair: Harness):
    """Five wrong passwords for one account on one server: does the other server count the
    sixth as the one that starts the wait, and refuse the next?"""
    email = f"officer-{secrets.token_hex(4)}@northfield.ac.uk"
    pair.stop_app(1)
    assert _bad_logins(pair, 5, email) == [200] * 5  # the free tries, all on server 1
    pair.start_app(1)
    pair.stop_app(0)
    assert _bad_logins(pair, 2, email) == [200, 429]  # on server 2: the 6th starts the wait
    pair.start_app(0)


def _unsent(harness: Harness) -> int:
    return int(harness.postgres.psql(
        "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND deliver_after <= now()"))


def test_each_queued_email_is_sent_once(pair: Harness):
    """With reports arriving on both servers, the worker and the timer job sending at once,
    does each handler get exactly one email per new case?"""
    officers = [pair.create_staff("pastoral_officer") for _ in range(2)]
    reports = 8
    timer_runs: list[int] = []

    def timer() -> None:  # the send-notifications timer firing while the worker works
        for _ in range(3):
            timer_runs.append(pair.run_job("send-notifications", check=False).returncode)

    failover = Failover(pair)
    racing = threading.Thread(target=timer)
    racing.start()
    try:
        for number in range(reports):  # half sent through each server
            if number in (0, reports // 2):
                failover.next()
            file_report(pair, f"Report {number} for the email count.")
        failover.next()
    finally:
        racing.join(timeout=180)
    assert timer_runs == [0, 0, 0]
    # The next timer run: whatever a dispatch could not hand to the worker (a slow Redis
    # answers within 0.5 s or is skipped) goes out now, as it would within five minutes.
    pair.run_job("send-notifications")
    wait_until(lambda: _unsent(pair) == 0, "outbox emptied", timeout=60, interval=0.2)
    for officer in officers:
        assert len(pair.mail.to(officer.email)) == reports, officer.email
