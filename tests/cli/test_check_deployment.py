"""`flask check-deployment`: each check against a good and a broken setup, real servers only.

HTTPS goes to the real app served over TLS with a certificate made here (trusted through
SSL_CERT_FILE, as an operator with a private CA would); Redis servers are started here, one
with a password and one without; SMTP is aiosmtpd (tests/mailbox.py); the database is the
test database, migrated down a revision for the "behind head" case.
"""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask_migrate import downgrade
from sqlalchemy import create_engine, update
from werkzeug.serving import make_server

from reporting import create_app
from reporting.deployment_check import database, files, keys, report, services, web
from reporting.deployment_check.result import Status, fail, ok, warn
from reporting.deployment_check.runner import EXAMPLE_ENV, check_config, guarded, run_checks
from reporting.extensions import db
from reporting.models import JobRun, School
from reporting.models.base import utcnow
from reporting.services import job_runs
from tests import factories
from tests.mailbox import free_port, smtp, smtp_config  # noqa: F401 (the smtp fixture)
from tests.production.tls import self_signed

STRONG = "hL3q-Vx9TzPq2wK8sY_rB4nM7cD1fG5j"  # 32 characters, 30 different


# --- servers ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1: (certificate file, key file)."""
    return self_signed().write(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def trusted(certificate, monkeypatch) -> None:
    """Trust the test certificate, as SSL_CERT_FILE makes ssl.create_default_context() do."""
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))


@pytest.fixture
def serve(certificate, tmp_path) -> Iterator[Callable[..., str]]:
    """serve(wsgi_app, tls=True) -> its base URL; every server is shut down after the test."""
    servers = []

    def _serve(wsgi_app, tls: bool = True) -> str:
        context = None
        if tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*certificate)
        server = make_server("127.0.0.1", 0, wsgi_app, threaded=True, ssl_context=context)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"{'https' if tls else 'http'}://127.0.0.1:{server.server_port}"

    yield _serve
    for server in servers:
        server.shutdown()
        server.server_close()


def belong(tmp_path: Path, **overrides: object):
    """The real app (test configuration) with some production settings switched on."""
    return create_app("test", instance_path=str(tmp_path / "instance"), **overrides)


def redirect_to_https(environ, start_response):
    """What nginx's port-80 server does."""
    start_response("301 Moved Permanently", [("Location", "https://127.0.0.1/healthz")])
    return [b""]


def _redis_server(password: str | None) -> Iterator[str]:
    """redis-server on a free port (with requirepass if given); yield its URL."""
    port = free_port()
    argv = [shutil.which("redis-server") or "redis-server", "--port", str(port),
            "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    if password:
        argv += ["--requirepass", password]
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL)  # noqa: S603 - our argv
    url = f"redis://{f':{password}@' if password else ''}127.0.0.1:{port}/0"
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                services.ping(url, 0.5)
                break
            except Exception:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture(scope="module")
def redis_with_password() -> Iterator[str]:
    """A Redis that requires a password: REDIS_URL with it."""
    yield from _redis_server("a-redis-password-for-tests")


@pytest.fixture(scope="module")
def open_redis() -> Iterator[str]:
    """A Redis anyone can use, like the one many machines run on 6379."""
    yield from _redis_server(None)


def _silent_port() -> Iterator[int]:
    """A port that accepts connections (the kernel does) but never says a word: frozen."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield listener.getsockname()[1]


# --- configuration and report ----------------------------------------------------------

def test_only_the_production_config_passes():
    """Is anything but BELONG_CONFIG=production a FAIL that says so?"""
    assert check_config("production").status is Status.OK
    broken = check_config("development")
    assert broken.status is Status.FAIL and "not a production config" in broken.detail


def test_report_has_a_line_per_check_and_a_summary():
    """Does the report print status, name and detail per check, then the counts?"""
    lines = report([ok("Database", "reachable"), warn("Redis", "not set"),
                    fail("HSTS", "missing")])
    assert lines[0].split()[:2] == ["OK", "Database"]
    assert lines[2].startswith("FAIL  HSTS")
    assert lines[-1].startswith("1 OK, 1 WARN, 1 FAIL: fix every FAIL line")


def test_a_check_that_crashes_is_a_fail_without_its_message():
    """Does a check that raises give one FAIL line naming the class, never the text?"""

    def broken():
        raise RuntimeError("postgresql://belong:secret@db/belong")

    [result] = guarded("Database", broken)
    assert result.status is Status.FAIL and "RuntimeError" in result.detail
    assert "secret" not in result.detail


# --- HTTPS, HSTS and the proxy -----------------------------------------------------------

def test_https_with_hsts_through_one_trusted_hop_passes(serve, trusted, tmp_path):
    """Served over trusted TLS with HSTS and the right hop count, is every web check OK?"""
    base = serve(belong(tmp_path, HSTS=True))
    results = {r.name: r for r in web.web_checks(base, 0, 3.0, f"http://127.0.0.1:{free_port()}")}
    assert [results[name].status for name in ("HTTPS", "HSTS", "Proxy: https seen",
                                              "Proxy: forged address")] == [Status.OK] * 4
    assert "63072000" in results["HSTS"].detail
    # Nothing on plain http: may be firewalled on purpose, so a warning.
    assert results["HTTP redirect"].status is Status.WARN


def test_a_missing_hsts_header_fails(serve, trusted, tmp_path):
    """Without Strict-Transport-Security, is HSTS a FAIL?"""
    base = serve(belong(tmp_path, HSTS=False))
    results = {r.name: r for r in web.web_checks(base, 0, 3.0)}
    assert results["HTTPS"].status is Status.OK
    assert results["HSTS"].status is Status.FAIL
    assert "no Strict-Transport-Security" in results["HSTS"].detail


def test_a_short_hsts_max_age_fails():
    """Is a max-age under a year a FAIL, and one of two years OK?"""
    short = web.Answer(200, {"strict-transport-security": "max-age=86400"})
    long = web.Answer(200, {"strict-transport-security": 'max-age="63072000"; preload'})
    assert web.check_hsts(short).status is Status.FAIL
    assert web.check_hsts(long).status is Status.OK


def test_too_many_trusted_hops_let_a_forged_address_through(serve, trusted, tmp_path):
    """With BELONG_PROXY_HOPS=1 and no proxy in front, is the forged X-Forwarded-For caught?"""
    base = serve(belong(tmp_path, HSTS=True, PROXY_HOPS=1))
    results = {r.name: r for r in web.web_checks(base, 1, 3.0)}
    assert results["Proxy: forged address"].status is Status.FAIL
    assert "forged X-Forwarded-For" in results["Proxy: forged address"].detail
    assert "BELONG_PROXY_HOPS (1)" in results["Proxy: forged address"].detail


@pytest.mark.parametrize(("hops", "seen", "status"), [
    (1, 1, Status.OK), (0, 1, Status.FAIL), (2, 1, Status.FAIL)])
def test_the_hop_count_must_match_the_proxies_the_app_sees(hops, seen, status):
    """When /healthz counts the X-Forwarded-For addresses the proxies set, is a hop count
    that differs a FAIL naming the right value (and no line when it does not count)?"""
    answer = web.Answer(200, {}, {"scheme": "https", "forwarded_for": seen})
    result = web.check_hop_count(answer, hops)
    assert result.status is status
    if status is Status.FAIL:
        assert f"Set BELONG_PROXY_HOPS={seen}" in result.detail and "one rate limit" in \
            result.detail
    assert web.check_hop_count(web.Answer(200, {}, {"scheme": "https"}), hops) is None


def test_an_app_that_sees_http_behind_the_proxy_fails():
    """When the app reports scheme http (hops too low), is it a FAIL naming the setting?"""
    seen_as_http = web.Answer(200, {}, {"scheme": "http", "client_is_probe": False})
    result = web.check_scheme(seen_as_http, 0)
    assert result.status is Status.FAIL and "BELONG_PROXY_HOPS (now 0)" in result.detail


def test_an_untrusted_certificate_fails_and_says_so(serve, tmp_path, monkeypatch):
    """With a certificate nobody trusts, is HTTPS a FAIL saying the certificate is the
    problem, and are the checks that need it reported as not checked?"""
    other = self_signed().write(tmp_path / "other")[0]
    monkeypatch.setenv("SSL_CERT_FILE", str(other))
    base = serve(belong(tmp_path, HSTS=True))
    results = web.web_checks(base, 0, 3.0)
    assert results[0].status is Status.FAIL and "certificate is not trusted" in results[0].detail
    assert all(r.status is Status.FAIL and "not checked" in r.detail for r in results[1:])


def test_a_base_url_without_https_fails():
    """Is an http BELONG_BASE_URL a FAIL, without trying to connect?"""
    results = web.web_checks("http://belong.example.ac.uk", 1, 3.0)
    assert results[0].status is Status.FAIL and "https://" in results[0].detail


def test_a_frozen_proxy_fails_within_the_timeout():
    """Does a server that accepts but never answers fail in about the timeout, not hang?"""
    for port in _silent_port():
        began = time.monotonic()
        results = web.web_checks(f"https://127.0.0.1:{port}", 1, 0.5)
        assert time.monotonic() - began < 3
        assert results[0].status is Status.FAIL and "no answer within 0.5 s" in \
            results[0].detail


def test_plain_http_must_redirect_and_never_serve_the_app(serve, tmp_path):
    """Is a redirect to https OK, and the app itself over plain http a FAIL?"""
    redirecting = serve(redirect_to_https, tls=False)
    serving = serve(belong(tmp_path), tls=False)
    good = web.check_plain_http(redirecting, *web.try_fetch(web.health_url(redirecting), 3.0))
    bad = web.check_plain_http(serving, *web.try_fetch(web.health_url(serving), 3.0))
    assert good.status is Status.OK
    assert bad.status is Status.FAIL and "serves the app over plain http" in bad.detail


def test_the_plain_http_address_is_derived_from_the_base_url():
    """Is the http address the same host on port 80, unless one is given?"""
    assert web.plain_http_url("https://belong.example.ac.uk:8443") == \
        "http://belong.example.ac.uk/healthz"
    assert web.plain_http_url("https://x.example", "http://127.0.0.1:8080/") == \
        "http://127.0.0.1:8080/healthz"


# --- secrets ---------------------------------------------------------------------------

@pytest.mark.parametrize(("secret", "why"), [
    ("CHANGE-ME", "placeholder"),
    ("CHANGE-ME-" * 4, "placeholder"),
    ("short-but-random-Q7x", "characters long"),
    ("abcabcabcabcabcabcabcabcabcabcabcabc", "different characters"),
])
def test_weak_or_placeholder_secrets_fail(secret, why):
    """Is a placeholder, short or repetitive secret a FAIL that explains which?"""
    result = keys.check_secret("SECRET_KEY", secret, keys.placeholders(EXAMPLE_ENV))
    assert result.status is Status.FAIL and why in result.detail
    assert secret not in result.detail


def test_the_example_file_placeholders_are_known():
    """Are the secret values of deploy/belong.env.example read as placeholders?"""
    assert keys.placeholders(EXAMPLE_ENV) == {"CHANGE-ME"}


def test_strong_distinct_secrets_pass_and_equal_ones_fail(tmp_path):
    """Do two strong, different secrets pass, and the same one twice fail?"""
    good = keys.secret_checks(STRONG, STRONG[::-1], EXAMPLE_ENV)
    assert [r.status for r in good] == [Status.OK] * 3
    same = keys.secret_checks(STRONG, STRONG, EXAMPLE_ENV)
    assert same[2].status is Status.FAIL and "are the same" in same[2].detail
    assert all(STRONG not in r.detail for r in good + same)


# --- Redis -----------------------------------------------------------------------------

def test_an_authenticated_redis_passes_both_checks(redis_with_password):
    """Does a Redis that answers our password and refuses strangers pass?"""
    assert services.check_redis(redis_with_password, True, 2.0).status is Status.OK
    assert services.check_redis_auth(redis_with_password, 2.0).status is Status.OK


def test_a_redis_without_a_password_fails_authentication(open_redis):
    """When a client without credentials can PING, is that a FAIL (even if ours has one)?"""
    with_password = open_redis.replace("redis://", "redis://:anything@")
    assert services.check_redis(with_password, True, 2.0).status is Status.OK
    result = services.check_redis_auth(with_password, 2.0)
    assert result.status is Status.FAIL and "without a password" in result.detail


def test_a_wrong_password_or_no_redis_fails_without_naming_it(redis_with_password):
    """Are a wrong password and an unreachable Redis FAILs that print no URL or password?"""
    wrong = redis_with_password.replace("a-redis-password-for-tests", "wrong-password")
    refused = services.check_redis(wrong, True, 2.0)
    assert refused.status is Status.FAIL and "refused the credentials" in refused.detail
    absent = services.check_redis(f"redis://:pw@127.0.0.1:{free_port()}/0", True, 2.0)
    assert absent.status is Status.FAIL and "could not reach Redis" in absent.detail
    for result in (refused, absent):
        assert "wrong-password" not in result.detail and "127.0.0.1" not in result.detail


def test_a_frozen_redis_or_relay_fails_within_the_timeout():
    """Do a Redis and a relay that accept but never answer fail in about the timeout?"""
    for port in _silent_port():
        began = time.monotonic()
        frozen = services.check_redis(f"redis://:pw@127.0.0.1:{port}/0", True, 0.5)
        relay = services.check_mail(smtp_config(port), True, 0.5)
        assert time.monotonic() - began < 3
        assert frozen.status is Status.FAIL and "did not answer within 0.5 s" in frozen.detail
        assert relay.status is Status.FAIL and "did not answer in time" in relay.detail


def test_no_redis_in_production_is_a_warning():
    """Is an unset REDIS_URL a WARN in production (per-process limits, inline email)?"""
    result = services.check_redis(None, True, 2.0)
    assert result.status is Status.WARN and "per process" in result.detail


def test_credentials_are_stripped_for_the_stranger_probe():
    """Does the probe URL keep host, port, socket and database but drop user and password?"""
    assert services.without_credentials("rediss://belong:pw@[::1]:6380/2") == \
        "rediss://[::1]:6380/2"
    assert services.without_credentials("unix:///run/redis.sock?db=1&password=pw") == \
        "unix:///run/redis.sock?db=1"


# --- database --------------------------------------------------------------------------

def _script(app):
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())


def test_a_reachable_database_at_head_passes(app, migrated):
    """Is the test database reachable and at head?"""
    assert database.check_database(db.engine).status is Status.OK
    script = _script(app)
    result = database.check_migrations(script, db.engine)
    assert result.status is Status.OK and script.get_current_head() in result.detail


def test_a_database_behind_head_names_both_revisions(app, migrated):
    """Migrated down one revision, does the check FAIL naming where it is and the head?"""
    script = _script(app)
    head = script.get_current_head()
    previous = script.get_revision(head).down_revision
    downgrade(revision=previous)
    result = database.check_migrations(script, db.engine)
    assert result.status is Status.FAIL
    assert previous in result.detail and head in result.detail
    assert "db upgrade" in result.detail


def test_an_unreachable_database_fails_without_its_url(tmp_path):
    """Is a database that cannot be opened a FAIL that shows no part of its URL?"""
    engine = create_engine(f"sqlite:///{tmp_path}/missing/dir/belong.sqlite")
    result = database.check_database(engine)
    assert result.status is Status.FAIL and "cannot reach the database" in result.detail
    assert str(tmp_path) not in result.detail


def test_with_the_database_down_its_checks_say_they_could_not_run(tmp_path):
    """With the database unreachable, is it one FAIL, and are migrations, job runs and
    escrow keys reported as not checked, with no password and no traceback?"""
    down = f"postgresql+psycopg://belong:db-password@127.0.0.1:{free_port()}/belong"
    app = belong(tmp_path, SQLALCHEMY_DATABASE_URI=down)
    with app.app_context():
        results = {r.name: r for r in run_checks(app)}
    assert results["Database"].status is Status.FAIL
    later = ["Migrations", "Escrow keys", *(f"Job {job}" for job in job_runs.PERIODIC)]
    for name in later:
        assert results[name].status is Status.FAIL
        assert results[name].detail == "not checked: the database is unreachable"
    assert not any("db-password" in r.detail for r in results.values())


def test_missing_and_late_jobs_fail_naming_their_timer(session):
    """Does every job that never ran, ran too long ago or last failed get its own FAIL line
    naming its timer, while a recent success is OK?"""
    now = utcnow()
    session.add_all([
        JobRun(name="send-notifications", last_success_at=now - timedelta(minutes=3)),
        JobRun(name="sla-check", last_success_at=now - timedelta(hours=5)),
        JobRun(name="purge-expired", last_success_at=now - timedelta(hours=1),
               last_failure_at=now, last_error="OperationalError"),
    ])
    session.commit()
    results = {r.name: r for r in database.job_checks(job_runs.last_runs(session), now)}
    assert set(results) == {f"Job {job}" for job in job_runs.PERIODIC}
    assert results["Job send-notifications"].status is Status.OK
    for job in set(job_runs.PERIODIC) - {"send-notifications"}:
        assert results[f"Job {job}"].status is Status.FAIL
        assert f"belong-{job}.timer" in results[f"Job {job}"].detail
    assert "OperationalError" in results["Job purge-expired"].detail
    assert "every 1 hour" in results["Job sla-check"].detail


def test_a_school_without_an_escrow_key_is_named(session):
    """With one school's escrow key gone, does the check FAIL naming only that school?"""
    factories.make_school(session, "northfield")
    factories.make_school(session, "eastgate")
    session.commit()
    assert database.check_escrow(session).status is Status.OK
    session.execute(update(School).where(School.slug == "eastgate")
                    .values(escrow_public_key=b""))
    session.commit()
    result = database.check_escrow(session)
    assert result.status is Status.FAIL and "(eastgate)" in result.detail
    assert "northfield" not in result.detail


# --- files -----------------------------------------------------------------------------

def test_an_env_file_others_can_read_fails(tmp_path):
    """Is a 0644 environment file a FAIL with the chmod to run, and a 0600 one OK?"""
    env_file = tmp_path / "env"
    env_file.write_text("SECRET_KEY=x\n")
    env_file.chmod(0o644)
    result = files.check_env_file(env_file)
    assert result.status is Status.FAIL and "0644" in result.detail and "chmod 600" in \
        result.detail
    env_file.chmod(0o600)
    assert files.check_env_file(env_file).status is Status.OK
    assert files.check_env_file(tmp_path / "absent").status is Status.WARN


def test_sqlite_files_and_the_instance_folder_must_be_owner_only(tmp_path):
    """Are a 0644 SQLite file and a 0755 instance folder FAILs, owner-only ones OK, and
    SQLite in production a WARN?"""
    sqlite = tmp_path / "belong.sqlite"
    sqlite.touch(mode=0o600)
    uri = f"sqlite:///{sqlite}"
    assert files.check_sqlite_files(uri).status is Status.OK
    sqlite.chmod(0o644)
    assert files.check_sqlite_files(uri).status is Status.FAIL
    folder = tmp_path / "instance"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    assert files.check_instance_folder(folder).status is Status.FAIL
    folder.chmod(0o700)
    assert files.check_instance_folder(folder).status is Status.OK
    assert files.check_database_engine(uri, production=True).status is Status.WARN
    assert files.check_sqlite_files("postgresql+psycopg://db/belong") is None


def test_an_uncompiled_catalogue_fails(tmp_path):
    """Is a Welsh catalogue with no .mo (or an older one) a FAIL naming the command, and a
    compiled one OK?"""
    from reporting.i18n import compile_catalogues

    source = tmp_path / "cy" / "LC_MESSAGES" / "messages.po"
    source.parent.mkdir(parents=True)
    source.write_text('msgid ""\nmsgstr ""\n"Language: cy\\n"\n\nmsgid "Back"\nmsgstr "Yn ôl"\n')
    result = files.check_translations(tmp_path)
    assert result.status is Status.FAIL and "compile-translations" in result.detail
    compile_catalogues(tmp_path)
    assert files.check_translations(tmp_path).status is Status.OK


# --- mail ------------------------------------------------------------------------------

def test_a_reachable_relay_passes_and_nothing_is_sent(smtp):  # noqa: F811 (fixture)
    """Does connect + EHLO + QUIT to a real SMTP server pass without sending a message?"""
    result = services.check_mail(smtp_config(smtp.port), True, 5.0)
    assert result.status is Status.OK and "nothing sent" in result.detail
    assert smtp.messages == []


def test_an_unreachable_relay_or_missing_starttls_fails(smtp):  # noqa: F811 (fixture)
    """Are a closed port and a relay without the STARTTLS we asked for both FAILs?"""
    closed = services.check_mail(smtp_config(free_port()), True, 5.0)
    assert closed.status is Status.FAIL and "refused" in closed.detail
    no_tls = services.check_mail({**smtp_config(smtp.port), "MAIL_USE_TLS": True}, True, 5.0)
    assert no_tls.status is Status.FAIL and "STARTTLS" in no_tls.detail


def test_the_console_backend_in_production_fails():
    """Is MAIL_BACKEND=console a FAIL in production, saying no email is sent?"""
    result = services.check_mail({"MAIL_BACKEND": "console"}, True, 5.0)
    assert result.status is Status.FAIL and "no email is sent" in result.detail


# --- the command -----------------------------------------------------------------------

def test_the_command_prints_every_check_and_exits_non_zero_on_the_test_config(
        app, tmp_path, monkeypatch):
    """Does `flask check-deployment` print one line per check and the summary, exit 1 (the
    test config is not production), with no traceback and no secret?"""
    env_file = tmp_path / "env"
    env_file.touch(mode=0o600)
    monkeypatch.setenv("BELONG_ENV_FILE", str(env_file))
    result = app.test_cli_runner().invoke(args=["check-deployment"])
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("FAIL  Configuration")
    assert any(line.startswith("OK    Environment file") for line in lines)
    assert any(line.startswith("OK    Migrations") for line in lines)
    assert lines[-1].endswith("fix every FAIL line, then run check-deployment again.")
    assert "Traceback" not in result.output
    for secret in (app.config["SECRET_KEY"], app.config["BELONG_HMAC_KEY"]):
        assert secret not in result.output
