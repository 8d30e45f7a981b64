"""The mailer's console backend and the mail settings; SMTP is tested in services/."""

from __future__ import annotations

import logging

import pytest

from config import ConfigError, config_class
from reporting.mail import Mailer, MailError

MAIL_ENV = ("MAIL_BACKEND", "MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS", "MAIL_USERNAME",
            "MAIL_PASSWORD", "MAIL_FROM")


@pytest.fixture
def clean_env(monkeypatch):
    """No mail settings inherited from the shell."""
    for name in MAIL_ENV:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_console_backend_writes_the_message_to_the_log(caplog):
    """Does the console backend log the whole message (and send nothing)?"""
    with caplog.at_level(logging.INFO, logger="belong.mail"):
        Mailer({"MAIL_BACKEND": "console"}).send("someone@example.org", "Hello", "The body.")
    (record,) = [r for r in caplog.records if r.name == "belong.mail"]
    text = record.getMessage()
    assert "To: someone@example.org" in text and "Subject: Hello" in text
    assert "The body." in text and "text/plain" in text


def test_a_line_break_in_a_header_is_refused():
    """Can a subject or address smuggle in extra headers?"""
    mailer = Mailer({"MAIL_BACKEND": "console"})
    with pytest.raises(MailError):
        mailer.send("a@example.org\nBcc: b@example.org", "Hello", "body")
    with pytest.raises(MailError):
        mailer.send("a@example.org", "Hello\r\nBcc: b@example.org", "body")


def test_unknown_backend_is_refused():
    """Is a typo in MAIL_BACKEND an error rather than silently dropped mail?"""
    with pytest.raises(ValueError, match="MAIL_BACKEND"):
        Mailer({"MAIL_BACKEND": "smpt"})


def test_mail_defaults_to_the_console_without_a_server(clean_env, tmp_path):
    """Without MAIL_SERVER, are emails only logged?"""
    assert config_class("test")(tmp_path).load()["MAIL_BACKEND"] == "console"


def test_mail_server_selects_smtp_with_starttls(clean_env, tmp_path):
    """With MAIL_SERVER, is mail sent by SMTP on the submission port with STARTTLS?"""
    clean_env.setenv("MAIL_SERVER", "smtp.example.org")
    values = config_class("test")(tmp_path).load()
    assert values["MAIL_BACKEND"] == "smtp" and values["MAIL_SERVER"] == "smtp.example.org"
    assert values["MAIL_PORT"] == 587 and values["MAIL_USE_TLS"] is True
    clean_env.setenv("MAIL_USE_TLS", "0")
    clean_env.setenv("MAIL_PORT", "25")
    values = config_class("test")(tmp_path).load()
    assert values["MAIL_PORT"] == 25 and values["MAIL_USE_TLS"] is False


def test_unknown_mail_backend_setting_is_refused(clean_env, tmp_path):
    """Does a typo in the MAIL_BACKEND variable stop the app starting?"""
    clean_env.setenv("MAIL_BACKEND", "sendmail")
    with pytest.raises(ConfigError, match="MAIL_BACKEND"):
        config_class("test")(tmp_path).load()


@pytest.mark.parametrize("to", ["a@b.example,postmaster", "a@b.example, c@d.example",
                                "undisclosed: a@b.example, c@d.example;",
                                "Ada <a@b.example>, c@d.example", "postmaster"])
def test_a_recipient_that_is_not_exactly_one_address_is_refused(to):
    """Can a recipient smuggle in a second address (a list, a group) or none at all?"""
    with pytest.raises(MailError, match="not exactly one address"):
        Mailer({"MAIL_BACKEND": "console"}).message(to, "Hello", "body")
