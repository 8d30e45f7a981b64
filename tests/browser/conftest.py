"""Browser harness: the app on a live local server, Debian's Chromium via Playwright, axe-core.

Reuse: take the `page` fixture (a fresh context per test, base URL set) and call
`assert_accessible(page)` on every page a test reaches.
"""

from __future__ import annotations

import os
import threading

import pyotp
import pytest
from axe_playwright_python.sync_playwright import Axe
from sqlalchemy import select
from werkzeug.serving import make_server

from reporting.domain.cases import Action
from reporting.models import Case
from reporting.services.casework import post_staff_message, staff_keys, transition
from reporting.services.reports import open_receipt
from tests.mailbox import inline_mail, smtp  # noqa: F401 (fixtures: a real SMTP server)
from tests.services.test_reports import private_key
from tests.web.welsh import english_on

CHROMIUM = os.environ.get("BELONG_CHROMIUM", "/usr/bin/chromium")
NARROW = {"width": 320, "height": 256}  # 1280 x 1024 at 400% zoom
# WCAG 2.0, 2.1 and 2.2 at levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
_axe = Axe()


def pytest_collection_modifyitems(items):
    """Mark every test in this folder as a browser test."""
    for item in items:
        if "/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def live_server(app):
    """The test app served on a free loopback port in a background thread."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def launch_chromium(playwright, extra_args: tuple[str, ...] = ()):
    """Headless Debian Chromium. Missing Chromium fails loudly: browser tests never skip."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install it with "
                    "`apt-get install -y chromium` (browser tests are never skipped)")
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                      args=[*CHROMIUM_ARGS, *extra_args])


@pytest.fixture(scope="session")
def browser(playwright):
    """Headless Debian Chromium for the browser tests."""
    browser = launch_chromium(playwright)
    yield browser
    browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies) and page pointed at the live server."""
    context = browser.new_context(base_url=live_server)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def neutral_exit(app, live_server):
    """Point the quick exit at a local page (no network here), restoring it afterwards."""
    original = app.config["QUICK_EXIT_URL"]
    app.config["QUICK_EXIT_URL"] = f"{live_server}/static/css/belong.css"
    yield app.config["QUICK_EXIT_URL"]
    app.config["QUICK_EXIT_URL"] = original


def assert_accessible(page) -> None:
    """Zero axe-core violations at WCAG 2.2 AA on the page as it is now, once its stylesheet
    has loaded (a page a click has just opened may still be waiting for it)."""
    page.wait_for_load_state("load")
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS},
                                      "resultTypes": ["violations"]})
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def assert_welsh(page) -> None:
    """Is the page Welsh, with none of the catalogue's English, and axe-clean?"""
    assert page.evaluate("document.documentElement.lang") == "cy"
    assert english_on(page.content()) == []
    assert_accessible(page)


def tab_to(page, selector: str, limit: int = 120) -> None:
    """Press Tab until the element matching `selector` has focus (keyboard only)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"could not reach {selector} with the Tab key")


def type_into(page, selector: str, text: str) -> None:
    """Tab to a field and type into it."""
    tab_to(page, selector)
    page.keyboard.type(text)


def set_up_authenticator(page, landing: str = "**/staff/") -> None:
    """On the enrolment QR page: read the key as an authenticator app would, send its code."""
    secret = page.locator("code.secret").inner_text()
    type_into(page, "#code", pyotp.TOTP(secret).now())
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url(landing)


def choose(page, name: str, value: str) -> None:
    """Pick a radio button with the keyboard: Tab into its group, arrows to the value."""
    tab_to(page, f"input[name='{name}']")
    for _ in range(20):
        if page.evaluate("() => document.activeElement.value") == value:
            page.keyboard.press("Space")
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"no {name}={value} option reachable with the arrow keys")


def tick(page, name: str, value: str) -> None:
    """Tick a checkbox with the keyboard."""
    tab_to(page, f"input[name='{name}'][value='{value}']")
    page.keyboard.press("Space")


def tab_to_button(page, text: str, limit: int = 150) -> None:
    """Tab to a button or link whose text starts with `text`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("t => { const e = document.activeElement; return (e.tagName === "
                         "'BUTTON' || e.tagName === 'A') && e.textContent.trim().startsWith(t); }",
                         text):
            return
    raise AssertionError(f"no button or link '{text}' reachable with the Tab key")


def press_button(page, text: str) -> None:
    """Tab to a button or link whose text starts with `text`; press Enter and wait for the page."""
    tab_to_button(page, text)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def pick(page, selector: str, value: str) -> None:
    """Choose an option of a select by keyboard: focus it, then arrow keys to the value."""
    tab_to(page, selector)
    page.keyboard.press("Home")
    for _ in range(30):
        if page.evaluate("s => document.querySelector(s).value", selector) == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"no {value} in {selector} reachable with the arrow keys")


def ask_the_student(session, school, officer, receipt: str, text: str) -> None:
    """The officer acknowledges and starts the report `receipt` opens, then asks its student
    `text` (what the student reads on coming back)."""
    report = open_receipt(session, school, receipt).report
    case = session.scalar(select(Case).where(Case.report_id == report.id))
    keys = staff_keys(session, officer, private_key(officer), case)
    for action in (Action.ACKNOWLEDGE, Action.START):
        transition(session, case, action, actor_kind="staff", actor_id=officer.id)
    post_staff_message(session, officer, keys, case, text, ask_reporter=True)
    session.commit()


def walk_to_review(page, narrative: str, safe: str = "yes", slug: str = "northfield",
                   works_in: str = "", say=lambda words: words,
                   on_each_step=lambda page: None) -> None:
    """Open the report form and answer every step by keyboard, up to the review step (saying
    the person may work in a team, if `works_in` names one). `say` gives a button's words in
    the page's language; `on_each_step(page)` runs on every step shown (a check, say)."""
    page.goto(f"/s/{slug}/report")
    on_each_step(page)
    choose(page, "safe", safe)
    press_button(page, say("Continue"))
    on_each_step(page)
    tab_to(page, "#narrative")
    page.keyboard.type(narrative)
    choose(page, "occurred_kind", "period")
    choose(page, "setting", "clinical_placement")
    choose(page, "responsible", "clinician")
    if works_in:
        choose(page, "works_in", works_in)
    press_button(page, say("Continue"))
    on_each_step(page)
    tick(page, "grounds", "race")
    choose(page, "impact", "some")
    choose(page, "urgency", "medium")
    press_button(page, say("Continue"))
    on_each_step(page)
    tick(page, "wants", "support")
    choose(page, "identity", "anonymous")
    press_button(page, say("Continue"))
    page.wait_for_selector("input[name='step'][value='review']", state="attached")
    on_each_step(page)
