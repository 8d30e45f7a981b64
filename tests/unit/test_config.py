"""Configuration: production refuses to start without its secrets; nothing has a default."""

from __future__ import annotations

import pytest

from config import ConfigError, DevelopmentConfig, ProductionConfig, config_class, database_url


@pytest.fixture(autouse=True)
def _no_redis(monkeypatch):
    """The PostgreSQL pass sets a Redis without a password, which production refuses."""
    monkeypatch.delenv("REDIS_URL", raising=False)


GOOD = {"SECRET_KEY": "s" * 40, "BELONG_HMAC_KEY": "h" * 40,
        "DATABASE_URL": "postgresql://belong@db/belong", "MAIL_SERVER": "smtp.example.ac.uk"}


def test_production_names_every_missing_secret(monkeypatch, tmp_path):
    """Does production refuse to start, naming each missing variable?"""
    for name in GOOD:
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ConfigError) as error:
        ProductionConfig(tmp_path).load()
    assert all(name in str(error.value) for name in ProductionConfig.REQUIRED)


def test_production_needs_a_mail_choice(monkeypatch, tmp_path):
    """Does production refuse to guess where emails go?"""
    for name, value in GOOD.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("MAIL_SERVER")
    monkeypatch.delenv("MAIL_BACKEND", raising=False)
    with pytest.raises(ConfigError, match="MAIL_SERVER"):
        ProductionConfig(tmp_path).load()


def test_proxy_hops_must_be_a_number(monkeypatch, tmp_path):
    """Is a mistyped BELONG_PROXY_HOPS a clear configuration error?"""
    monkeypatch.setenv("BELONG_PROXY_HOPS", "one")
    with pytest.raises(ConfigError, match="BELONG_PROXY_HOPS"):
        DevelopmentConfig(tmp_path).load()


def test_production_refuses_short_secrets(monkeypatch, tmp_path):
    """Is a guessable secret key refused?"""
    for name, value in {**GOOD, "SECRET_KEY": "short"}.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        ProductionConfig(tmp_path).load()


def test_production_is_strict(monkeypatch, tmp_path):
    """With its secrets, does production use secure cookies, HSTS, psycopg and strong KDF?"""
    for name, value in GOOD.items():
        monkeypatch.setenv(name, value)
    values = ProductionConfig(tmp_path).load()
    assert values["SESSION_COOKIE_SECURE"] and values["HSTS"]
    assert values["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")
    assert values["KDF_MEMORY_KIB"] >= 64 * 1024 and values["KDF_TIME_COST"] >= 3


def test_development_generates_and_keeps_its_secret(monkeypatch, tmp_path):
    """Does development make a random secret once, keep it, and never share it with tests?"""
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    first = DevelopmentConfig(tmp_path).load()
    second = DevelopmentConfig(tmp_path).load()
    assert first["SECRET_KEY"] == second["SECRET_KEY"] and len(first["SECRET_KEY"]) >= 40
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert first["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'belong.sqlite'}"
    assert first["RATELIMIT_STORAGE_URI"] == "memory://" or first["REDIS_URL"]


def test_unknown_config_name_is_refused():
    """Is a typo in BELONG_CONFIG an error, not a silent fallback?"""
    with pytest.raises(ConfigError):
        config_class("prodution")


def test_database_url_uses_psycopg3():
    """Do postgres:// and postgresql:// URLs select psycopg 3, leaving others alone?"""
    assert database_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert database_url("sqlite:///x") == "sqlite:///x"


def test_no_config_outside_the_flask_command_is_refused(monkeypatch):
    """Does a WSGI server or worker without BELONG_CONFIG refuse, saying what to set?"""
    monkeypatch.delenv("BELONG_CONFIG", raising=False)
    monkeypatch.delenv("FLASK_RUN_FROM_CLI", raising=False)
    with pytest.raises(ConfigError, match="BELONG_CONFIG=production"):
        config_class()


def test_the_flask_command_alone_gets_development(monkeypatch):
    """Do `flask run` and `flask demo` (no BELONG_CONFIG) still get development?"""
    monkeypatch.delenv("BELONG_CONFIG", raising=False)
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")
    assert config_class() is DevelopmentConfig


def test_wsgi_without_config_does_not_start(tmp_path):
    """Does importing wsgi.py, as gunicorn does, fail without BELONG_CONFIG?"""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items()
           if k not in ("BELONG_CONFIG", "FLASK_RUN_FROM_CLI")}
    run = subprocess.run([sys.executable, "-c", "import wsgi"], env=env, cwd=tmp_path,
                         capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode != 0 and "BELONG_CONFIG is not set" in run.stderr


@pytest.mark.parametrize("url", ["redis://127.0.0.1:6379/0", "redis://user@127.0.0.1/0",
                                 "http://127.0.0.1:6379"])
def test_production_refuses_redis_without_a_password(monkeypatch, tmp_path, url):
    """Is a Redis that anyone on the network could write jobs into refused in production?"""
    for name, value in {**GOOD, "REDIS_URL": url}.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match="REDIS_URL"):
        ProductionConfig(tmp_path).load()


@pytest.mark.parametrize("url", ["redis://:s3cret@127.0.0.1:6379/0",
                                 "rediss://belong:s3cret@redis.internal:6380/0",
                                 "unix:///run/redis/redis.sock?db=0"])
def test_production_accepts_an_authenticated_or_local_redis(monkeypatch, tmp_path, url):
    """Are a password-protected Redis and a unix socket accepted?"""
    for name, value in {**GOOD, "REDIS_URL": url}.items():
        monkeypatch.setenv(name, value)
    assert ProductionConfig(tmp_path).load()["REDIS_URL"] == url


def test_sqlite_files_are_owner_only(tmp_path):
    """Are the SQLite file, its WAL and shared-memory file, and the instance folder 0600/0700,
    even where an older version left them world-readable?"""
    from sqlalchemy import create_engine, text

    from config import private_sqlite_file

    folder = tmp_path / "instance"
    uri = f"sqlite:///{folder / 'belong.sqlite'}"
    private_sqlite_file(uri)
    engine = create_engine(uri)
    with engine.connect() as connection:
        connection.execute(text("PRAGMA journal_mode=WAL"))
        connection.execute(text("CREATE TABLE t (x)"))
        connection.commit()
        files = sorted(folder.iterdir())
        assert {path.name for path in files} >= {"belong.sqlite", "belong.sqlite-wal"}
        assert all(path.stat().st_mode & 0o077 == 0 for path in files), files
    engine.dispose()
    assert folder.stat().st_mode & 0o777 == 0o700
    (folder / "belong.sqlite").chmod(0o644)
    private_sqlite_file(uri)
    assert (folder / "belong.sqlite").stat().st_mode & 0o777 == 0o600


def test_log_format_must_be_text_or_json(monkeypatch, tmp_path):
    """Is a mistyped BELONG_LOG_FORMAT a clear configuration error?"""
    monkeypatch.setenv("BELONG_LOG_FORMAT", "xml")
    with pytest.raises(ConfigError, match="BELONG_LOG_FORMAT"):
        DevelopmentConfig(tmp_path).load()


def test_json_log_lines_are_one_object_each():
    """Does the JSON formatter write one parseable object per line, traceback included?"""
    import json
    import logging

    from reporting.logs import JsonFormatter

    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        record = logging.LogRecord("belong", logging.ERROR, __file__, 1, "failed %s", ("x",),
                                   sys.exc_info())
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert "\n" not in line and entry["message"] == "failed x" and entry["level"] == "ERROR"
    assert "ValueError" in entry["exception"]
