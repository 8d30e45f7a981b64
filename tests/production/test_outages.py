"""Redis and PostgreSQL going away under the real stack: nothing hangs, nothing is lost, and
no email goes twice (issue 9, point 8).

Each outage stops, then freezes (SIGSTOP), the harness's own server. Every request made
meanwhile is timed (the figures are printed: run with -s to see them) and must answer within
a bound, never with a 500. Redis and PostgreSQL run again, thawed, after every test, even
one that fails (try/finally in `redis_down` and `database_down`).
"""

from __future__ import annotations

import json
import re
import runpy
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import urlsplit

import pytest
import requests

from tests.production.harness import SCHOOL, Harness, Staff
from tests.production.processes import wait_until
from tests.production.units import DEPLOY, REPO
from tests.production.web import (
    RECEIPT,
    REPORT_ANSWERS,
    SUBMISSION,
    enrolled_staff,
    file_report,
    sign_in,
    token,
)
from tests.web.welsh import cy

# Redis away: one 0.5 s timeout per Redis call at most, then each process's memory.
REDIS_BOUND = 5.0
# PostgreSQL stopped: connections are refused at once.
DATABASE_STOPPED_BOUND = 5.0
GUNICORN_TIMEOUT = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))["timeout"]
NGINX_READ_TIMEOUT = int(re.search(r"proxy_read_timeout (\d+)s;",
                                   (DEPLOY / "nginx" / "belong.conf").read_text()).group(1))
# PostgreSQL frozen: a new connection gives up after connect_timeout (5 s, config.py); a
# worker already waiting on a pooled connection is killed by Gunicorn after its timeout and
# nginx answers with its page. Either way, no request waits longer than this.
DATABASE_FROZEN_BOUND = GUNICORN_TIMEOUT + 5.0
FALLBACK_ALERT = "falling back to in-memory storage"
LIMITS_RECOVERED = "Rate limit storage recovered"
UNAVAILABLE = "Belong is unavailable for a moment"
NGINX_PAGE = "Nid yw Belong ar gael"  # only nginx's static page (deploy/nginx/unavailable.html)
QUICK_EXIT = 'id="quick-exit"'
T = TypeVar("T")


# --- timing every request -------------------------------------------------------------------

@dataclass
class Stopwatch:
    """Every response the sessions it made received: what, status and seconds."""

    outage: str
    limit: float
    taken: list[tuple[str, int, float]] = field(default_factory=list)

    def session(self, harness: Harness) -> requests.Session:
        """A harness session whose every response is recorded, with `limit` as its timeout
        (a request that hangs fails the test instead of holding it up)."""
        session = _BoundedSession(self.limit + 5)
        plain = harness.session()
        session.trust_env, session.verify = plain.trust_env, plain.verify
        session.hooks["response"].append(self._record)
        return session

    def _record(self, response: requests.Response, *args: object, **kwargs: object) -> None:
        path = urlsplit(response.request.url).path.replace(f"/s/{SCHOOL}", "/s/<school>")
        self.taken.append((f"{response.request.method} {path}", response.status_code,
                           response.elapsed.total_seconds()))

    def report(self) -> str:
        """The figures, one request a line, and printed (pytest -s shows them)."""
        lines = [f"{self.outage}: {len(self.taken)} requests, slowest "
                 f"{max(seconds for *_, seconds in self.taken):.2f} s (bound {self.limit:.0f} s)"]
        lines += [f"  {seconds:6.2f} s  {status}  {what}" for what, status, seconds in self.taken]
        text = "\n".join(lines)
        print(text)
        return text

    def assert_bounded(self, allowed: set[int]) -> None:
        """Every response came within the bound, with an allowed status (never a 500)."""
        figures = self.report()
        for what, status, seconds in self.taken:
            assert seconds < self.limit, f"{what} took {seconds:.1f} s\n{figures}"
            assert status in allowed, f"{what} answered {status}\n{figures}"


class _BoundedSession(requests.Session):
    """A session with a default timeout on every request."""

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self.default_timeout = timeout

    def request(self, method, url, **kwargs):  # type: ignore[override]
        kwargs.setdefault("timeout", self.default_timeout)
        return super().request(method, url, **kwargs)


# --- outages ---------------------------------------------------------------------------------

@contextmanager
def redis_down(harness: Harness, how: str) -> Iterator[None]:
    """Redis stopped or frozen inside the block; running and thawed after it, whatever
    happened inside."""
    if how == "stopped":
        harness.redis.stop()
    else:
        harness.redis.freeze()
    try:
        yield
    finally:
        if how == "stopped":
            harness.redis.start()
        else:
            harness.redis.thaw()


@contextmanager
def database_down(harness: Harness, how: str) -> Iterator[None]:
    """PostgreSQL stopped or frozen inside the block; running and thawed after it."""
    if how == "stopped":
        harness.postgres.stop()
    else:
        harness.postgres.freeze()
    try:
        yield
    finally:
        if how == "stopped":
            harness.postgres.start()
        else:
            harness.postgres.thaw()


# --- what the tests look at ------------------------------------------------------------------

def _app_log(harness: Harness) -> str:
    return "".join(path.read_text(errors="replace")
                   for path in sorted(harness.logs.glob("gunicorn-*.log")))


def _count(harness: Harness, sql: str) -> int:
    return int(harness.postgres.psql(sql))


def _unsent(harness: Harness) -> int:
    return _count(harness, "SELECT count(*) FROM outbox WHERE sent_at IS NULL "
                           "AND deliver_after <= now()")


def _nowhere_in_the_logs(harness: Harness, *values: str) -> None:
    """The failure paths log more: still never a receipt or what a student wrote."""
    for path in harness.log_files():
        text = path.read_text(errors="replace")
        for value in values:
            assert value not in text, f"{value!r} is in {path.name}"


def _healthz(session: requests.Session, harness: Harness) -> requests.Response:
    return session.get(harness.url("/healthz"))


def _emails_per_officer(harness: Harness, officers: list[Staff]) -> dict[str, int]:
    return {officer.email: len(harness.mail.to(officer.email)) for officer in officers}


def _deliver_everything(harness: Harness, then: Callable[[], object] = lambda: None) -> str:
    """The send-notifications timer's job runs while the worker sends too: once the timer has
    sent its first email (at once if nothing is due), `then` runs (say, a report, whose
    dispatch hands the worker a job) and the worker is given a delivery job, so both claim
    rows at the same time. Wait until the outbox is empty; say who sent how many."""
    due = _unsent(harness)
    runs: list[subprocess.CompletedProcess[str]] = []
    timer = threading.Thread(target=lambda: runs.append(
        harness.run_job("send-notifications", check=False)))
    timer.start()
    try:
        if due:
            wait_until(lambda: _unsent(harness) < due or not timer.is_alive(),
                       "the timer's first email", timeout=60, interval=0.05)
        then()
        harness.worker.works(timeout=60)  # the worker takes a job: it sends whatever is due
    finally:
        timer.join(timeout=120)
    assert [run.returncode for run in runs] == [0], f"send-notifications failed: {runs}"
    wait_until(lambda: _unsent(harness) == 0, "outbox emptied", timeout=60, interval=0.2)
    sent = re.search(r"Sent (\d+) notification", runs[0].stdout)
    return (f"{due} due when the timer fired; the timer sent {sent.group(1) if sent else '?'}, "
            "the worker the rest")


@pytest.fixture(scope="module")
def officer(harness: Harness) -> Staff:
    """A pastoral officer enrolled over https (password and TOTP), for signing in."""
    return enrolled_staff(harness, "pastoral_officer")


# --- Redis -----------------------------------------------------------------------------------

def _limits_back_on_redis(harness: Harness, since: int) -> None:
    """Send limited requests on both Gunicorn workers until every one that fell back to
    memory since `since` (an offset in the app log) says it uses Redis again."""
    def recovered() -> bool:
        log = _app_log(harness)[since:]
        if log.count(LIMITS_RECOVERED) >= log.count(FALLBACK_ALERT):
            return True
        pair = [threading.Thread(target=harness.session().post,  # two at once: both workers
                                 args=(harness.url(f"/s/{SCHOOL}/report"),),
                                 kwargs={"data": {"step": "safety"}, "timeout": 10})
                for _ in range(2)]
        for thread in pair:
            thread.start()
        for thread in pair:
            thread.join()
        return False

    wait_until(recovered, "rate limits back on Redis", timeout=90, interval=0.5)


@pytest.mark.parametrize("how", ["stopped", "frozen"])
def test_with_redis_away_students_report_return_and_staff_sign_in(harness: Harness,
                                                                 officer: Staff, how: str):
    """With Redis stopped, or frozen, can a student send a report and come back with the
    receipt, and can staff sign in, each request answering within 5 s and never 500, with
    the fallback alert logged and /healthz saying so? Once Redis is back, does the worker
    recover by itself and send every email queued meanwhile exactly once, the timer racing it?"""
    officers = [officer, harness.create_staff("pastoral_officer")]
    before = _emails_per_officer(harness, officers)
    worker_pid = harness.worker.service.pid
    log_start = len(_app_log(harness))
    watch = Stopwatch(f"Redis {how}", REDIS_BOUND)
    narratives = [f"Redis {how}: report {number} sent while it was away." for number in (1, 2)]
    with redis_down(harness, how):
        student = watch.session(harness)
        health = _healthz(student, harness)
        assert health.status_code == 503 and health.json()["redis"] == "unreachable"
        receipts = [file_report(harness, narrative, session=student) for narrative in narratives]
        returning = watch.session(harness)
        form = returning.get(harness.url(f"/s/{SCHOOL}/return"))
        report = returning.post(harness.url(f"/s/{SCHOOL}/return"),
                                data={"receipt": receipts[0], "csrf_token": token(form)})
        assert report.url.endswith("/your-report") and narratives[0] in report.text
        staff = sign_in(harness, officer, session=watch.session(harness))
        assert staff.get(harness.url("/staff/")).status_code == 200
        alerts = _app_log(harness)[log_start:].count(FALLBACK_ALERT)
    watch.assert_bounded(allowed={200, 302, 303, 503})
    assert [what for what, status, _ in watch.taken if status == 503] == ["GET /healthz"]
    assert alerts >= 1, f"no '{FALLBACK_ALERT}' alert in the app log"

    # Redis is back: the timer sends what waited, racing the worker, which takes jobs again
    # by itself (the same process: nobody restarted it).
    assert _healthz(harness.session(), harness).status_code == 200
    race = _deliver_everything(harness, then=lambda: file_report(
        harness, f"Redis {how}: a report after it came back."))
    assert harness.worker.service.exited() is None and harness.worker.service.pid == worker_pid
    now = _emails_per_officer(harness, officers)
    sent = {email: now[email] - before[email] for email in now}
    print(f"Redis {how}: {race}; emails per officer for the 3 reports: {sent}")
    assert sent == {officer.email: 3 for officer in officers}
    _nowhere_in_the_logs(harness, *receipts, *narratives)
    began = time.monotonic()
    _limits_back_on_redis(harness, log_start)
    print(f"Redis {how}: rate limits back on Redis after {time.monotonic() - began:.1f} s")


# --- PostgreSQL ------------------------------------------------------------------------------

@dataclass
class MidReport:
    """A student part-way through the form: its session, submission id and token."""

    session: requests.Session
    submission: str
    csrf: str
    narrative: str

    def press(self, harness: Harness, step: str) -> requests.Response:
        """Press Continue (on `step`) or Send (on "review") with every answer."""
        return self.session.post(harness.url(f"/s/{SCHOOL}/report"), data={
            **REPORT_ANSWERS, "narrative": self.narrative, "step": step,
            "submission_id": self.submission, "csrf_token": self.csrf})


def _mid_report(watch: Stopwatch, harness: Harness, narrative: str) -> MidReport:
    session = watch.session(harness)
    form = session.get(harness.url(f"/s/{SCHOOL}/report"))
    return MidReport(session, SUBMISSION.search(form.text).group(1), token(form), narrative)


def _is_unavailable_page(answer: requests.Response) -> bool:
    """Our "try again shortly" page, from the app or from nginx: 503, Retry-After."""
    return (answer.status_code == 503 and UNAVAILABLE in answer.text
            and answer.headers.get("Retry-After") == "30")


def _every_page_says_try_again(harness: Harness, watch: Stopwatch, staff: requests.Session,
                               case_id: str, receipt: str) -> None:
    """Each page that needs the database: the app's own 503 page (never nginx's, never 500)."""
    anyone = watch.session(harness)
    # The sign-in page lists the schools that sign in with their provider: it says try again
    # too. "Forgot your password?" needs no database, so it still gives a form token.
    assert anyone.get(harness.url("/auth/login")).status_code == 503
    login = anyone.get(harness.url("/auth/forgot-password"))
    assert login.status_code == 200
    pages = [anyone.get(harness.url(f"/s/{SCHOOL}/")),
             anyone.get(harness.url(f"/s/{SCHOOL}/report")),
             anyone.get(harness.url(f"/s/{SCHOOL}/support")),
             anyone.get(harness.url(f"/s/{SCHOOL}/return")),
             anyone.post(harness.url(f"/s/{SCHOOL}/return"),
                         data={"receipt": receipt, "csrf_token": token(login)}),
             anyone.post(harness.url("/auth/login"), data={
                 "email": "someone@northfield.ac.uk", "password": "not the password",
                 "csrf_token": token(login)}),
             staff.get(harness.url("/staff/")),
             staff.get(harness.url(f"/staff/cases/{case_id}"))]
    for page in pages:
        assert _is_unavailable_page(page) and NGINX_PAGE not in page.text, \
            f"{page.request.method} {page.url}: {page.status_code}\n{page.text[:500]}"
    assert anyone.get(harness.url("/static/css/belong.css")).status_code == 200


def _at_once(*calls: Callable[[], T]) -> list[T]:
    """Run each call in its own thread (one per Gunicorn worker); their results, in order."""
    results: dict[int, T] = {}

    def run(index: int, call: Callable[[], T]) -> None:
        results[index] = call()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == len(calls), "a request failed (see the thread's traceback above)"
    return [results[index] for index in range(len(calls))]


def _step_comes_back(student: MidReport, harness: Harness) -> None:
    """Continue shows the next step and Send the same one, every answer kept, quick exit on
    (both pressed at once: with the database frozen each waits out a connect timeout)."""
    onward, sent = _at_once(lambda: student.press(harness, "what"),
                            lambda: student.press(harness, "review"))
    assert onward.status_code == 200 and "Step 3 of 5" in onward.text, onward.text[:500]
    assert sent.status_code == 503 and "nothing was stored" in sent.text, sent.text[:500]
    for page in (onward, sent):
        assert student.narrative in page.text and QUICK_EXIT in page.text


def _after_the_outage(harness: Harness, student: MidReport, officers: list[Staff],
                      before: dict[str, int], reports_before: int) -> None:
    """Everything works again: the student's Send stores the report once, nothing was stored
    meanwhile, and each officer gets one email per report (this one and the one before)."""
    wait_until(lambda: _healthz(harness.session(), harness).status_code == 200,
               "/healthz 200 again", timeout=30, interval=0.2)
    sent = student.press(harness, "review")
    receipt = RECEIPT.search(sent.text)
    assert sent.status_code == 200 and receipt, sent.text[:500]
    again = student.press(harness, "review")  # a second click: never a second report,
    assert again.url == sent.url and receipt.group(1) in again.text  # the same receipt
    assert _count(harness, "SELECT count(*) FROM reports") == reports_before + 1
    race = _deliver_everything(harness)
    now = _emails_per_officer(harness, officers)
    emails = {email: now[email] - before[email] for email in now}
    print(f"{race}; emails per officer for the 2 reports: {emails}")
    assert emails == {officer.email: 2 for officer in officers}
    _nowhere_in_the_logs(harness, receipt.group(1), student.narrative)


def _prepared(harness: Harness, officer: Staff, how: str):
    officers = [officer, harness.create_staff("pastoral_officer")]
    before = _emails_per_officer(harness, officers)
    receipt = file_report(harness, f"Filed before PostgreSQL was {how}.")
    case_id = harness.postgres.psql(
        "SELECT id FROM cases ORDER BY created_at DESC LIMIT 1").strip()
    staff = sign_in(harness, officer)
    return officers, before, receipt, case_id, staff


def test_with_postgresql_stopped_every_page_says_try_again_shortly(harness: Harness,
                                                                  officer: Staff):
    """With PostgreSQL stopped, does every page answer our 503 "try again shortly" at once,
    a student mid-report get the step back with every answer and the quick exit, and, once
    it is back, is the report stored once and each email sent once?"""
    officers, before, receipt, case_id, staff_session = _prepared(harness, officer, "stopped")
    watch = Stopwatch("PostgreSQL stopped", DATABASE_STOPPED_BOUND)
    student = _mid_report(watch, harness, "The registrar ignored me at handover (stopped).")
    staff = watch.session(harness)
    staff.cookies.update(staff_session.cookies)
    reports_before = _count(harness, "SELECT count(*) FROM reports")
    with database_down(harness, "stopped"):
        health = _healthz(watch.session(harness), harness)
        assert health.status_code == 503 and health.json()["database"] == "unreachable"
        _every_page_says_try_again(harness, watch, staff, case_id, receipt)
        _step_comes_back(student, harness)
    watch.assert_bounded(allowed={200, 503})
    _after_the_outage(harness, student, officers, before, reports_before)


def test_with_postgresql_frozen_nothing_waits_past_gunicorns_timeout(harness: Harness,
                                                                    officer: Staff):
    """With PostgreSQL frozen (connections accepted, never answered), does a worker stuck on
    a pooled connection get recycled by Gunicorn with nginx's "try again shortly" page
    answering for it, every later request the app's own 503 within connect_timeout, a
    student mid-report the step back with every answer, and, once thawed, is the report
    stored once and each email sent once?"""
    assert NGINX_READ_TIMEOUT > GUNICORN_TIMEOUT, \
        "nginx must wait longer than Gunicorn, so the stuck worker is gone before 'try again'"
    officers, before, receipt, case_id, staff_session = _prepared(harness, officer, "frozen")
    watch = Stopwatch("PostgreSQL frozen", DATABASE_FROZEN_BOUND)
    student = _mid_report(watch, harness, "The registrar ignored me at handover (frozen).")
    staff = watch.session(harness)
    staff.cookies.update(staff_session.cookies)
    reports_before = _count(harness, "SELECT count(*) FROM reports")
    log_start = len(_app_log(harness))
    with database_down(harness, "frozen"):
        # Each Gunicorn worker holds a pooled connection: one request each, at once.
        held = _at_once(*[lambda: watch.session(harness).get(harness.url(f"/s/{SCHOOL}/"))] * 2)
        assert all(_is_unavailable_page(page) for page in held)
        assert "WORKER TIMEOUT" in _app_log(harness)[log_start:], "no worker was recycled"
        health, page = _at_once(lambda: _healthz(watch.session(harness), harness),
                                lambda: staff.get(harness.url("/staff/")))
        assert health.status_code == 503 and health.json()["database"] == "unreachable"
        assert _is_unavailable_page(page) and NGINX_PAGE not in page.text
        _step_comes_back(student, harness)
    watch.assert_bounded(allowed={200, 503})
    for line in _app_log(harness)[log_start:].splitlines():  # a killed worker's last words too
        assert isinstance(json.loads(line), dict), line
    _after_the_outage(harness, student, officers, before, reports_before)


def test_nginx_says_what_the_app_says():
    """Does nginx's page carry the same heading and words as the app's 503 page, in English
    and in the Welsh catalogue's words?"""
    template = (REPO / "templates" / "errors" / "error.html").read_text()
    heading, body = re.search(r'503: \(_\("([^"]+)"\), _\("([^"]+)"\)\)', template).groups()
    static = (DEPLOY / "nginx" / "unavailable.html").read_text()
    assert heading in static and body in static
    assert cy(heading) in static and cy(body) in static
