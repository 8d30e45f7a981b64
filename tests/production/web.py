"""Doing things through the harness's https front door from Python, as a browser would.

For set-up that is not the journey under test (a case to work, an enrolled admin) and
for checks a browser cannot make (counting 429s). requests sends no Referer, no Origin
and no Sec-Fetch-Site: the CSRF token alone must carry a same-site form.
"""

from __future__ import annotations

import html
import re
import time

import pyotp
import requests

from tests.browser.test_casework_journey import _sign_in_by_keyboard
from tests.conftest import CSRF
from tests.production.harness import SCHOOL, Harness, Staff
from tests.production.processes import wait_until

RECEIPT = re.compile(r'id="receipt-code">\s*([0-9A-Z-]+)\s*<')
SUBMISSION = re.compile(r'name="submission_id"[^>]*value="([^"]+)"')
TOTP_SECRET = re.compile(r'<code class="secret">([A-Z2-7]+)</code>')
TOTP_STEP = 30
TOTP_MARGIN = 15  # seconds a code given out is still taken, at least (a slow machine)
REPORT_ANSWERS = {
    "safe": "yes", "occurred_kind": "period", "setting": "teaching", "responsible": "student",
    "grounds": "race", "impact": "some", "urgency": "medium", "wants": "support",
    "identity": "anonymous", "chosen_channel": "pastoral",
}


def token(page: requests.Response) -> str:
    """The CSRF token of the form on a page (the page must have loaded)."""
    assert page.status_code == 200, f"{page.url}: {page.status_code}"
    match = CSRF.search(page.text)
    assert match, f"no CSRF token on {page.url}"
    return html.unescape(match.group(1))


def file_report(harness: Harness, narrative: str, session: requests.Session | None = None,
                **answers: str) -> str:
    """Send a report in one POST of the last step (every answer rides along, as the hidden
    fields carry them); return the receipt shown on the page Send redirects to."""
    session = session or harness.session()
    form = session.get(harness.url(f"/s/{SCHOOL}/report"))
    submission = SUBMISSION.search(form.text)
    assert submission, "the report form has no submission id"
    sent = session.post(harness.url(f"/s/{SCHOOL}/report"), data={
        **REPORT_ANSWERS, **answers, "narrative": narrative, "step": "review",
        "submission_id": submission.group(1), "csrf_token": token(form)})
    receipt = RECEIPT.search(sent.text)
    assert sent.status_code == 200 and receipt, f"no receipt ({sent.status_code}):\n{sent.text}"
    assert [r.status_code for r in sent.history] == [303] and f"/s/{SCHOOL}/receipt/" in sent.url
    return receipt.group(1)


def newest_case(harness: Harness) -> str:
    """The id of the case filed last (tests run one at a time)."""
    return harness.postgres.psql("SELECT id FROM cases ORDER BY created_at DESC LIMIT 1").strip()


def emailed_link(harness: Harness, address: str, path: str = "/auth/enrol/",
                 timeout: float = 30.0) -> str:
    """The link under `path` in the one email the relay delivered to `address` (the worker
    sends it, so it is waited for)."""
    wait_until(lambda: harness.mail.to(address), f"an email to {address}", timeout=timeout,
               interval=0.1)
    [email] = harness.mail.to(address)
    links = re.findall(re.escape(harness.url(path)) + r"\S+", email.get_content())
    assert len(links) == 1, f"not one {path} link in the email to {address}:\n{email}"
    return links[0]


def totp_code(staff: Staff) -> str:
    """The next code the app will accept for this account: never one already used.

    The app takes the previous, current and next 30-second step, each once and in order.
    This gives the earliest step not yet used whose code the app still takes for at least
    TOTP_MARGIN seconds (the previous step's in the first half of a step), so an account
    gets three codes without waiting half the time and two always; it waits for the clock
    only when every step the app takes now is spent (at most 30 s).
    """
    assert staff.totp_secret, f"{staff.email} is not enrolled"
    while True:
        now = time.time()
        current = int(now) // TOTP_STEP
        counter = int(now + TOTP_MARGIN) // TOTP_STEP - 1  # taken until its step + 2 begins
        if staff.last_totp_counter is not None:
            counter = max(counter, staff.last_totp_counter + 1)
        if counter <= current + 1:
            staff.last_totp_counter = counter
            return pyotp.TOTP(staff.totp_secret).at(counter * TOTP_STEP)
        time.sleep((counter - 1) * TOTP_STEP - now + 0.05)  # until the app takes `counter`


def sign_in_by_keyboard(page, staff: Staff, landing: str = "**/staff/") -> None:
    """Sign in in the browser, keyboard only, with the account's password and next code."""
    _sign_in_by_keyboard(page, staff, landing, password=staff.password,
                         code=lambda: totp_code(staff))


def enrol(harness: Harness, staff: Staff, session: requests.Session | None = None) -> Staff:
    """Open the enrolment link, give the password, read the key off the page, send a code."""
    session = session or harness.session()
    page = session.get(staff.enrolment_url)
    sent = session.post(staff.enrolment_url, data={"password": staff.password,
                                                   "csrf_token": token(page)})
    assert sent.url.endswith("/auth/two-factor"), f"enrolment refused: {sent.status_code}"
    secret = TOTP_SECRET.search(sent.text)
    assert secret, "the two-factor page shows no key"
    staff.totp_secret = secret.group(1)
    done = session.post(harness.url("/auth/two-factor"),
                        data={"code": totp_code(staff), "csrf_token": token(sent)})
    assert "/auth/" not in done.url, f"enrolment not completed: {done.status_code} {done.url}"
    return staff


def sign_in(harness: Harness, staff: Staff,
            session: requests.Session | None = None) -> requests.Session:
    """Password, then a fresh TOTP code; return the signed-in session."""
    session = session or harness.session()
    login = session.get(harness.url("/auth/login"))
    second = session.post(harness.url("/auth/login"), data={
        "email": staff.email, "password": staff.password, "csrf_token": token(login)})
    assert second.url.endswith("/auth/two-factor"), f"password refused: {second.status_code}"
    done = session.post(harness.url("/auth/two-factor"),
                        data={"code": totp_code(staff), "csrf_token": token(second)})
    assert "/auth/" not in done.url, f"sign-in not completed: {done.status_code} {done.url}"
    return session


def enrolled_staff(harness: Harness, role: str, **kwargs: object) -> Staff:
    """A staff account made with the CLI and enrolled through https."""
    return enrol(harness, harness.create_staff(role, **kwargs))  # type: ignore[arg-type]
