"""Configuration: production refuses to start without its secrets; nothing has a default."""

from __future__ import annotations

import pytest

from config import ConfigError, DevelopmentConfig, ProductionConfig, config_class, database_url

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
