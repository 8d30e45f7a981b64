"""`belong-flask check-deployment` on the production harness, run exactly as an operator does:
deploy/belong-flask with the install's environment file, through nginx over https.

The harness certificate is trusted with SSL_CERT_FILE (what an operator with a private CA
sets); a public certificate needs nothing. Run with -rP to see the report in the test log.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from tests.mailbox import free_port
from tests.production import units
from tests.production.harness import Harness
from tests.production.processes import run, service_env

LINE = re.compile(r"^(OK|WARN|FAIL)\s{2,}(\S.*?)\s{2,}(\S.*)$")


def check_deployment(harness: Harness, env_file: Path | None = None,
                     ) -> subprocess.CompletedProcess[str]:
    """`belong-flask check-deployment` with the install's (or another) environment file."""
    env = {**harness.paths.wrapper_env(), "SSL_CERT_FILE": str(harness.cafile)}
    if env_file is not None:
        env["BELONG_ENV_FILE"] = str(env_file)
    return run([str(units.DEPLOY / "belong-flask"), "check-deployment",
                "--http-url", f"http://127.0.0.1:{harness.http_port}"],
               log=harness.logs / "check-deployment.log", env=service_env(harness.base, env),
               check=False, timeout=90, umask=0o077)


def statuses(output: str) -> dict[str, str]:
    """Check name -> OK, WARN or FAIL, from the report's lines."""
    found = {}
    for line in output.splitlines():
        match = LINE.match(line)
        if match:
            found[match.group(2)] = match.group(1)
    return found


def env_copy(harness: Harness, directory: Path, mode: int = 0o600, **changes: str) -> Path:
    """A copy of the install's environment file with some values changed."""
    values = {**harness.env, **changes}
    path = directory / "env"
    path.write_text("".join(f"{key}={value}\n" for key, value in values.items()))
    path.chmod(mode)
    return path


def _secrets(harness: Harness) -> list[str]:
    env = harness.env
    return [env["SECRET_KEY"], env["BELONG_HMAC_KEY"], harness.postgres.password,
            harness.redis.password]


@pytest.fixture(scope="module")
def open_redis() -> Iterator[int]:
    """A Redis without a password on a free port (what a careless install shares)."""
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - our own argv
        [shutil.which("redis-server") or "redis-server", "--port", str(port), "--bind",
         "127.0.0.1", "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                redis.Redis(port=port, socket_timeout=0.5).ping()
                break
            except redis.RedisError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield port
    finally:
        process.terminate()
        process.wait(10)


def test_a_good_deployment_passes_every_check(harness: Harness):
    """After every timer's job has run once, does check-deployment pass every check (exit 0)
    and print no secret?"""
    for job in units.timers():
        harness.run_job(job)
    done = check_deployment(harness)
    print(f"$ belong-flask check-deployment --http-url http://127.0.0.1:{harness.http_port}")
    print(done.stdout)
    assert done.returncode == 0, done.stdout
    found = statuses(done.stdout)
    assert set(found.values()) == {"OK"}, done.stdout
    for name in ("HTTPS", "HSTS", "Proxy: https seen", "Proxy: forged address", "HTTP redirect",
                 "Redis authentication", "Migrations", "Escrow keys", "Environment file",
                 "Mail relay", *(f"Job {job}" for job in units.timers())):
        assert name in found, f"no {name} line:\n{done.stdout}"
    assert not any(secret in done.stdout for secret in _secrets(harness))


@pytest.mark.parametrize(("broken", "change", "failing"), [
    ("env file readable by others", {"mode": 0o644}, "Environment file"),
    ("placeholder secret", {"SECRET_KEY": "CHANGE-ME-" * 4}, "SECRET_KEY"),
    ("same secret twice", {"same": True}, "Secrets differ"),
    ("Redis anyone can use", {"open_redis": True}, "Redis authentication"),
    ("console mail", {"MAIL_SERVER": "", "MAIL_BACKEND": "console"}, "Mail relay"),
    ("relay not listening", {"MAIL_PORT": "free"}, "Mail relay"),
    ("http base URL", {"BELONG_BASE_URL": "http://127.0.0.1"}, "HTTPS"),
], ids=lambda value: value if isinstance(value, str) else None)
def test_a_broken_environment_file_fails(harness: Harness, tmp_path, open_redis, broken,
                                         change, failing):
    """With one thing wrong in the environment file, does check-deployment exit 1 with that
    check as FAIL, and still print no secret?"""
    change = dict(change)
    mode = change.pop("mode", 0o600)
    if change.pop("same", False):
        change["BELONG_HMAC_KEY"] = harness.env["SECRET_KEY"]
    if change.pop("open_redis", False):
        change["REDIS_URL"] = f"redis://:some-password@127.0.0.1:{open_redis}/0"
    if change.get("MAIL_PORT") == "free":
        change["MAIL_PORT"] = str(free_port())
    done = check_deployment(harness, env_copy(harness, tmp_path, mode, **change))
    print(f"[{broken}]\n{done.stdout}")
    assert done.returncode == 1, done.stdout
    assert statuses(done.stdout).get(failing) == "FAIL", done.stdout
    assert "Traceback" not in done.stdout
    assert not any(secret in done.stdout for secret in _secrets(harness))


@pytest.mark.parametrize("hops", ["0", "2"])
def test_app_servers_trusting_the_wrong_number_of_proxies_fail(harness: Harness, hops):
    """With the app server restarted on BELONG_PROXY_HOPS 0 or 2 (one nginx in front), does
    check-deployment FAIL on the hop count?

    nginx replaces X-Forwarded-For, so a wrong count never lets a forged address through
    here, and gunicorn itself trusts X-Forwarded-Proto from loopback, so the app still sees
    https: what breaks is that every client gets nginx's address (one shared rate limit).
    Only /healthz can tell, by counting the X-Forwarded-For addresses it received."""
    if "forwarded_for" not in harness.session().get(harness.url("/healthz")).json():
        pytest.xfail("/healthz does not count X-Forwarded-For addresses yet "
                     "(reporting/health.py: the `forwarded_for` field)")
    original = harness.paths.env_file.read_text()
    try:
        harness.paths.env_file.write_text(re.sub(r"^BELONG_PROXY_HOPS=.*$",
                                                 f"BELONG_PROXY_HOPS={hops}", original,
                                                 flags=re.MULTILINE))
        harness.stop_app(0)
        harness.start_app(0)
        done = check_deployment(harness)
        print(f"[BELONG_PROXY_HOPS={hops}]\n{done.stdout}")
        assert done.returncode == 1, done.stdout
        assert statuses(done.stdout)["Proxy: hop count"] == "FAIL", done.stdout
        assert f"BELONG_PROXY_HOPS is {hops} but 1 proxy" in done.stdout
    finally:
        harness.paths.env_file.write_text(original)
        harness.stop_app(0)
        harness.start_app(0)
