"""deploy/ as a school installs it: the proxy, the units, the timers, the environment file."""

from __future__ import annotations

import re
import shutil
import stat
import subprocess

import pytest

from tests.browser.conftest import assert_accessible
from tests.production import units
from tests.production.harness import Harness
from tests.production.leftovers import leftovers

# What deploy/systemd/ promises the operator (docs/deployment.md is written from it).
SCHEDULES = {
    "send-notifications": "*:0/5",
    "end-stale-sessions": "*:0/15",
    "sla-check": "*-*-* *:07:00",
    "purge-expired": "*-*-* 03:30:00",
    "audit-verify": "*-*-* 03:45:00",
    "backup": "*-*-* 02:15:00",
}
ENV_READ = re.compile(r'environ(?:\.get\(\s*|\[)"([A-Z][A-Z0-9_]+)"')


def test_https_only_with_hsts_and_the_proxy_trusted(harness: Harness):
    """Does the site answer over https with HSTS, see the request as https through one
    proxy, and send plain http to https?"""
    answer = harness.session().get(harness.url("/healthz"))
    assert answer.status_code == 200
    health = answer.json()
    assert (health["status"], health["database"], health["redis"]) == ("ok", "ok", "ok")
    assert health["scheme"] == "https"
    assert answer.headers["Strict-Transport-Security"].startswith("max-age=63072000")
    assert answer.headers["Server"] == "nginx"  # server_tokens off: no version
    plain = harness.session().get(f"http://127.0.0.1:{harness.http_port}/s/",
                                  allow_redirects=False)
    assert plain.status_code == 301
    assert plain.headers["Location"] == harness.url("/s/")


def test_a_forged_client_address_is_overwritten_by_the_proxy(harness: Harness):
    """Does nginx replace a client's X-Forwarded-For, so the app never trusts a forgery?"""
    forged = harness.session().get(harness.url("/healthz"),
                                   headers={"X-Forwarded-For": "192.0.2.7"})
    assert forged.json()["client_is_probe"] is False


def test_sessions_cookies_are_secure(harness: Harness):
    """Are cookies set over https Secure, HttpOnly and SameSite?"""
    session = harness.session()
    login = session.get(harness.url("/auth/login"))
    cookie = login.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_nothing_is_logged_per_request(harness: Harness):
    """After real traffic, is the access log empty (the site turns Debian's off)?"""
    harness.session().get(harness.url("/s/northfield/"))
    assert (harness.logs / "nginx-access.log").read_text() == ""


def test_with_no_app_server_nginx_says_try_again_shortly(harness: Harness, https_browser):
    """With the only app server stopped, does every request, a POST too, get a plain
    accessible "try again shortly" page (503, Retry-After) instead of nginx's bare 502?"""
    harness.stop_app(0)
    try:
        session = harness.session()
        for answer in (session.get(harness.url("/s/northfield/")),
                       session.post(harness.url("/auth/login"), data={"email": "x"})):
            assert answer.status_code == 503
            assert answer.headers["Retry-After"] == "30"
            assert "Belong is unavailable for a moment" in answer.text
            assert "Nid yw Belong ar gael" in answer.text
        context = https_browser.new_context()
        page = context.new_page()
        page.goto(harness.url("/s/northfield/"))
        assert_accessible(page)
        context.close()
    finally:
        harness.start_app(0)


def test_the_environment_file_is_owner_only_and_complete(harness: Harness):
    """Is the environment file 0600, and does the example name every variable config.py
    reads?"""
    assert stat.S_IMODE(harness.paths.env_file.stat().st_mode) == 0o600
    example = units.ENV_EXAMPLE.read_text()
    read = set(ENV_READ.findall((units.REPO / "config.py").read_text())) - {"FLASK_RUN_FROM_CLI"}
    missing = sorted(name for name in read if not re.search(rf"^#? ?{name}=", example, re.M))
    assert not missing, f"deploy/belong.env.example lacks {missing}"


def test_timers_keep_the_documented_schedule():
    """Does each periodic job have a timer with the schedule the docs promise?"""
    found = {job: unit.get("Timer", "OnCalendar") for job, unit in units.timers().items()}
    assert found == SCHEDULES
    for job in found:
        service = units.timer_service(job)
        assert service.get("Service", "Type") == "oneshot"
        assert service.get("Service", "ExecStart") == f"{units.INSTALLED_WRAPPER} {job}"


def test_units_are_valid_systemd():
    """Does systemd itself accept every unit (only the install paths missing here)?"""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.fail("systemd-analyze not found: apt-get install -y systemd (never skipped)")
    names = sorted(str(path) for path in units.SYSTEMD.iterdir())
    done = subprocess.run([analyze, "verify", *names], capture_output=True, text=True,  # noqa: S603
                          cwd=units.SYSTEMD, check=False)
    allowed = re.compile(r"^\S+: Command (/srv/belong/venv/bin/gunicorn|"
                         r"/usr/local/bin/belong-flask) is not executable: No such file")
    problems = [line for line in (done.stdout + done.stderr).splitlines()
                if line.strip() and not allowed.match(line)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("job", sorted(SCHEDULES))
def test_each_timer_job_runs_in_production(harness: Harness, job: str):
    """Does each timer's service run its command to success on the live install?"""
    done = harness.run_job(job)
    assert done.returncode == 0, done.stdout


def test_the_worker_and_servers_carry_the_marker(harness: Harness):
    """Would a leftover process be found (the check CI runs after each pass)?"""
    running = leftovers()
    assert any("gunicorn" in line for line in running)
    assert any("postgres" in line for line in running)
    assert any("redis-server" in line for line in running)
    assert any("nginx" in line for line in running), running
