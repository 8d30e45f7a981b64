"""Fixtures for the production harness: one stack per topology per run, Chromium over https.

    def test_something(harness):         # one app server
    def test_other(harness_pair):        # two app servers behind the same nginx
    def test_both(deployment):           # runs twice: one server, then two
    def test_browser(deployment, page):  # a fresh Chromium context on that deployment
    def test_more(harness, open_page):   # open_page(harness): one more browser each call

The harnesses start on first use and stop at the end of the run, even after failures.
Missing nginx, PostgreSQL, Redis or Chromium fail these tests: they never skip.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator

import pytest
import redis
from playwright.sync_api import BrowserContext, Page

from tests.browser.conftest import launch_chromium
from tests.production.harness import Harness, missing_tools
from tests.production.tls import Certificate, self_signed

STARTUPS: list[tuple[str, Harness]] = []


def pytest_collection_modifyitems(items):
    """Mark every test in this folder as a production test."""
    for item in items:
        if "/production/" in str(item.fspath):
            item.add_marker(pytest.mark.production)


def pytest_terminal_summary(terminalreporter):
    """Report how long each harness took to start (the time it adds to CI)."""
    for name, harness in STARTUPS:
        steps = ", ".join(f"{step} {seconds:.1f}s" for step, seconds in harness.timings.items())
        terminalreporter.write_line(f"production harness ({name}): started in "
                                    f"{harness.startup_seconds:.1f}s [{steps}]")


@pytest.fixture(scope="session")
def certificate() -> Certificate:
    """The session's TLS certificate for 127.0.0.1 (both harnesses serve it)."""
    return self_signed()


def _interrupt_on_sigterm() -> None:
    """Let a CI timeout's SIGTERM end the run like Ctrl-C, so the harnesses' teardown runs
    (the default SIGTERM would leave every server running)."""
    def interrupt(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, interrupt)


def _harness(name: str, app_servers: int, certificate: Certificate) -> Iterator[Harness]:
    _interrupt_on_sigterm()
    missing = missing_tools()
    if missing:
        pytest.fail("the production harness needs (these tests are never skipped):\n  "
                    + "\n  ".join(missing))
    harness = Harness(app_servers=app_servers, certificate=certificate,
                      keep=bool(os.environ.get("BELONG_KEEP_HARNESS")))
    try:
        harness.start()
        STARTUPS.append((name, harness))
        yield harness
    finally:
        harness.stop()


@pytest.fixture(scope="session")
def harness(certificate) -> Iterator[Harness]:
    """The production stack with one app server."""
    yield from _harness("one app server", 1, certificate)


@pytest.fixture(scope="session")
def harness_pair(certificate) -> Iterator[Harness]:
    """The production stack with two app servers behind one nginx."""
    yield from _harness("two app servers", 2, certificate)


@pytest.fixture(params=["harness", "harness_pair"], ids=["one-server", "two-servers"])
def deployment(request) -> Iterator[Harness]:
    """Each topology in turn; after the test every app server runs again."""
    harness: Harness = request.getfixturevalue(request.param)
    yield harness
    harness.start_stopped_apps()


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    """Each test starts with no rate-limit counters: every client here is 127.0.0.1."""
    yield
    for _, harness in STARTUPS:
        try:
            harness.reset_rate_limits()
        except redis.RedisError:
            pass  # a test left Redis stopped or frozen: nothing to reset there


@pytest.fixture(scope="session")
def https_browser(playwright, certificate):
    """Headless Debian Chromium trusting the harness key by its SPKI hash, and nothing else
    it would not trust anyway (no --ignore-certificate-errors)."""
    browser = launch_chromium(
        playwright, (f"--ignore-certificate-errors-spki-list={certificate.spki_sha256}",))
    yield browser
    browser.close()


@pytest.fixture
def open_page(https_browser) -> Iterator[Callable[[Harness], Page]]:
    """Open a fresh browser context (no cookies) and page on a harness's https address, as
    often as a test needs another browser; every one closes after the test."""
    contexts: list[BrowserContext] = []

    def open_on(harness: Harness) -> Page:
        context = https_browser.new_context(base_url=harness.base_url)
        context.set_default_timeout(15_000)  # every step is local: fail fast, not after 30 s
        contexts.append(context)
        return context.new_page()

    yield open_on
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_page, deployment) -> Page:
    """A fresh browser context (no cookies) and page on the deployment's https address."""
    return open_page(deployment)
