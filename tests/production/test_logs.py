"""No log line holds a client address, a user agent, a receipt or report content, and the
app's log lines are JSON (issue 9, point 7).

A student files a report carrying canaries (narrative, name, student number, contact,
detail, an evidence file's name and content, a reply) from a distinctive loopback address
with a canary User-Agent; a handler reads the case and answers; every timer job runs and
the worker delivers the emails. Then every log the harness wrote is scanned.
"""

from __future__ import annotations

import json
import re
import secrets
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter

from tests.production import units
from tests.production.harness import SCHOOL, Harness, Staff
from tests.production.processes import wait_until
from tests.production.web import (
    RECEIPT,
    REPORT_ANSWERS,
    SUBMISSION,
    enrolled_staff,
    sign_in,
    token,
)

CLIENT_ADDRESS = "127.0.0.77"  # all of 127.0.0.0/8 is loopback: nginx sees this address
JSON_KEYS = {"time", "level", "logger", "message"}
CASE_LINK = re.compile(r'href="/staff/cases/([0-9a-f-]{36})"')
EVIDENCE_LINK = re.compile(r'href="(/staff/cases/[0-9a-f-]{36}/files/[^"]+)"')
VERSION = re.compile(r'name="version"[^>]*value="(\d+)"')


class _FromAddress(HTTPAdapter):
    """Connect from a chosen local address (urllib3's source_address)."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):  # type: ignore[override]
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def _canary_client(harness: Harness, user_agent: str) -> requests.Session:
    """A student's session from CLIENT_ADDRESS, sending `user_agent` on every request."""
    session = harness.session()
    session.mount("https://", _FromAddress(CLIENT_ADDRESS))
    session.headers["User-Agent"] = user_agent
    return session


def _source_address(session: requests.Session, harness: Harness) -> str:
    """The local address a request of this session really left from."""
    answer = session.get(harness.url("/healthz"), stream=True)
    try:
        return answer.raw.connection.sock.getsockname()[0]
    finally:
        answer.close()


def _canaries() -> dict[str, str]:
    """One unique marker per thing that must never reach a log."""
    mark = secrets.token_hex(6)
    names = ("narrative", "name", "studentid", "detail", "filename", "evidence", "reply",
             "answer", "useragent")
    values = {name: f"{name}{mark}" for name in names}
    values["contact"] = f"contact{mark}@example.ac.uk"
    return values


def _file_named_report(harness: Harness, student: requests.Session,
                       canary: dict[str, str]) -> str:
    """Send a named report with an evidence file, every confidential field a canary."""
    form = student.get(harness.url(f"/s/{SCHOOL}/report"))
    data = {**REPORT_ANSWERS, "narrative": f"The charge nurse said {canary['narrative']}.",
            "grounds": ["race", "other"], "other_ground": canary["detail"],
            "identity": "named", "name": canary["name"], "student_id": canary["studentid"],
            "contact": canary["contact"], "notify_me": "y", "share_identity_with": "pastoral",
            "step": "review", "submission_id": SUBMISSION.search(form.text).group(1),
            "csrf_token": token(form)}
    files = {"files": (f"{canary['filename']}.txt",
                       f"Written that evening: {canary['evidence']}\n".encode(), "text/plain")}
    sent = student.post(harness.url(f"/s/{SCHOOL}/report"), data=data, files=files)
    receipt = RECEIPT.search(sent.text)
    assert sent.status_code == 200 and receipt, sent.text[:1000]
    # The receipt has its own page (Send redirected there); its form posts back to it.
    assert f"/s/{SCHOOL}/receipt/" in sent.url, sent.url
    kept = student.post(sent.url, data={"kept": "y", "csrf_token": token(sent)})
    assert kept.status_code == 200 and "What happens next" in kept.text
    return receipt.group(1)


def _return_and_reply(harness: Harness, student: requests.Session, receipt: str,
                      canary: dict[str, str]) -> None:
    """Come back with the receipt, read the report, send a message."""
    form = student.get(harness.url(f"/s/{SCHOOL}/return"))
    report = student.post(harness.url(f"/s/{SCHOOL}/return"),
                          data={"receipt": receipt, "csrf_token": token(form)})
    assert report.url.endswith("/your-report") and canary["narrative"] in report.text
    replied = student.post(harness.url(f"/s/{SCHOOL}/your-report/reply"),
                           data={"message": canary["reply"], "csrf_token": token(report)})
    assert "Your message has been sent." in replied.text


def _handler_reads_and_answers(harness: Harness, handler: Staff,
                               canary: dict[str, str]) -> None:
    """The pastoral officer signs in, opens the case and its file, and answers the student."""
    officer = sign_in(harness, handler)
    queue = officer.get(harness.url("/staff/"))
    cases = [case for case in CASE_LINK.findall(queue.text)
             if canary["narrative"] in officer.get(harness.url(f"/staff/cases/{case}")).text]
    assert len(cases) == 1, "the canary case is not in the officer's queue"
    page = officer.get(harness.url(f"/staff/cases/{cases[0]}"))
    assert canary["name"] in page.text and canary["contact"] in page.text
    evidence = officer.get(harness.url(EVIDENCE_LINK.search(page.text).group(1)))
    assert canary["evidence"] in evidence.text
    answered = officer.post(harness.url(f"/staff/cases/{cases[0]}/message"), data={
        "text": f"Thank you. {canary['answer']}", "version": VERSION.search(page.text).group(1),
        "csrf_token": token(page)})
    assert answered.status_code == 200 and "Message sent." in answered.text, answered.text[:500]


def _appended(path: Path, sizes: dict[Path, int]) -> str:
    with path.open("rb") as log:
        log.seek(sizes.get(path, 0))
        return log.read().decode(errors="replace")


def _not_json(text: str) -> list[str]:
    """The lines of `text` that are not one JSON object with the app's keys."""
    bad = []
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            bad.append(line)
            continue
        if not isinstance(entry, dict) or not JSON_KEYS <= entry.keys():
            bad.append(line)
    return bad


def test_no_log_holds_the_client_or_what_the_student_wrote(harness: Harness):
    """After a report full of canaries from 127.0.0.77, a return with the receipt, a handler
    reading and answering it, every timer job and the worker's emails, does any log the
    stack wrote hold a canary, the receipt or the address? And is every app line JSON?"""
    canary = _canaries()
    handler = enrolled_staff(harness, "pastoral_officer")  # before the report: it gets the key
    sizes = {path: path.stat().st_size for path in harness.log_files()}
    student = _canary_client(harness, f"Mozilla/5.0 (X11; Linux) {canary['useragent']}")
    assert _source_address(student, harness) == CLIENT_ADDRESS

    receipt = _file_named_report(harness, student, canary)
    _return_and_reply(harness, student, receipt, canary)
    _handler_reads_and_answers(harness, handler, canary)
    with ThreadPoolExecutor() as pool:  # every timer at once, as they may fire on a server
        stdout = [run.stdout for run in pool.map(harness.run_job, units.timers())]
    wait_until(lambda: len(harness.mail.to(canary["contact"])) == 1,
               "the reply-waiting email", timeout=60, interval=0.2)

    logs = harness.log_files()
    names = {path.name for path in logs}
    for expected in ("gunicorn-1.log", "worker.log", "cli.log", "postgresql.log", "redis.log",
                     "nginx-error.log", *(f"job-{job}.log" for job in units.timers())):
        assert expected in names, f"{expected} missing from {sorted(names)}"
    secrets_ = {**canary, "receipt": receipt, "receipt without dashes": receipt.replace("-", ""),
                "client address": CLIENT_ADDRESS}
    found = [f"{what} ({value}) in {path.name}"
             for path in logs for what, value in secrets_.items()
             if value.lower() in path.read_text(errors="replace").lower()]
    print(f"scanned {len(logs)} logs ({sum(p.stat().st_size for p in logs):,} bytes) for "
          f"{len(secrets_)} markers: {found or 'none found'}")
    assert not found

    # JSON lines: the app servers and the worker throughout; the jobs' and commands' stderr
    # written during this test (their stdout, which the journal also keeps, is not a log).
    bad = {path.name: _not_json(path.read_text(errors="replace"))
           for path in logs if path.name.startswith(("gunicorn-", "worker"))}
    for path in logs:
        if path.name.startswith("job-") or path.name == "cli.log":
            text = _appended(path, sizes)
            for out in stdout:
                text = text.replace(out, "")
            bad[path.name] = _not_json(text)
    bad = {name: lines[:5] for name, lines in bad.items() if lines}
    assert not bad, f"lines that are not JSON: {json.dumps(bad, indent=1)}"
