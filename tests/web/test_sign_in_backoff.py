"""Guessing a password or code from many addresses: slowed per account, never locked."""

from __future__ import annotations

import time

import pytest

from reporting.auth import backoff
from reporting.domain.roles import Role
from reporting.extensions import limiter
from tests import factories
from tests.conftest import post_form

WAIT = "Too many tries for this account: wait 1 minute, or ask an admin."


def _from(n: int) -> dict:
    return {"environ_base": {"REMOTE_ADDR": f"198.51.100.{n}"}}


def _guess_passwords(app, email: str, tries: int) -> list[int]:
    """Wrong passwords for one email, each from a new address and browser."""
    return [post_form(app.test_client(), "/auth/login", {"email": email, "password": "guess"},
                      **_from(n)).status_code for n in range(tries)]


def test_many_addresses_get_no_more_password_tries_than_one(app, session, school):
    """After 6 wrong passwords from 6 addresses, is the next try refused from anywhere, the
    right password too, and does an email with no account answer exactly the same?"""
    user = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    session.commit()
    assert _guess_passwords(app, user.email, 8) == [200] * 6 + [429] * 2
    assert _guess_passwords(app, "nobody@northfield.example", 8) == [200] * 6 + [429] * 2
    right = post_form(app.test_client(), "/auth/login",
                      {"email": user.email, "password": factories.PASSWORD}, **_from(99))
    assert right.status_code == 429 and WAIT in right.get_data(as_text=True)


def test_the_officer_signs_in_once_the_wait_is_over(app, session, school):
    """Does the real officer get in after the short wait, with no lock left behind?"""
    user = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    session.commit()
    _guess_passwords(app, user.email, 6)
    time.sleep(1.1)  # the first wait: 1 second
    client = app.test_client()
    post_form(client, "/auth/login", {"email": user.email, "password": factories.PASSWORD})
    signed_in = post_form(client, "/auth/two-factor", {"code": factories.totp_code(user)})
    assert signed_in.status_code == 302


def test_codes_are_slowed_per_pending_sign_in_and_per_account(app, session, school):
    """Do wrong codes sent with one pending sign-in from new addresses back off, and does a
    new pending sign-in of the same account wait too?"""
    user = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    session.commit()
    wrong = "000000" if factories.totp_code(user) != "000000" else "111111"
    client = app.test_client()
    post_form(client, "/auth/login", {"email": user.email, "password": factories.PASSWORD})
    statuses = [post_form(client, "/auth/two-factor", {"code": wrong}, **_from(n)).status_code
                for n in range(8)]
    assert statuses == [200] * 6 + [429] * 2
    again = app.test_client()
    post_form(again, "/auth/login", {"email": user.email, "password": factories.PASSWORD},
              **_from(50))
    refused = post_form(again, "/auth/two-factor", {"code": factories.totp_code(user)},
                        **_from(51))
    assert refused.status_code == 429 and WAIT in refused.get_data(as_text=True)


def test_a_pending_sign_in_backs_off_on_its_own(app):
    """Does one pending sign-in's count make it wait, leaving another pending sign-in, and
    the account, untouched?"""
    with app.test_request_context():
        for _ in range(backoff.FREE_TRIES + 1):
            backoff.failed(backoff.pending("one"))
        with pytest.raises(backoff.TooManyTries) as waiting:
            backoff.check(backoff.pending("one"))
        assert waiting.value.seconds in (1, 2)  # Redis counts its expiry in whole seconds
        backoff.check(backoff.pending("two"), backoff.code("officer@northfield.example"))


def test_the_wait_doubles_up_to_its_cap(app):
    """After the free tries, does each failure (once the last wait is over) double the
    next wait, never past LONGEST_WAIT?"""
    with app.test_request_context():
        subject, storage = backoff.password("doubling@northfield.example"), backoff._storage()
        _, wait = backoff._keys(subject)
        waits = []
        for _ in range(backoff.FREE_TRIES + 12):
            backoff.failed(subject)
            waits.append(round(storage.get_expiry(wait) - time.time())
                         if storage.get(wait) else 0)
            storage.clear(wait)  # the wait runs out before the next try is counted
        backoff.succeeded(subject)
    assert waits == [0] * backoff.FREE_TRIES + [1, 2, 4, 8, 16, 32, 64, 128, 256, 512] + [
        backoff.LONGEST_WAIT] * 2


def test_a_storage_failure_mid_sign_in_skips_the_backoff_not_the_page(app, monkeypatch,
                                                                      caplog):
    """If Redis fails after the limiter chose it, is the backoff skipped (logged), never a
    500?"""
    from redis.exceptions import ConnectionError as RedisDown

    class Gone:
        def __getattr__(self, name):
            def fail(*args, **kwargs):
                raise RedisDown("gone")
            return fail

    monkeypatch.setattr(backoff, "_storage", Gone)
    with app.test_request_context():
        backoff.check(backoff.password("x@northfield.example"))
        backoff.failed(backoff.password("x@northfield.example"))
        backoff.succeeded(backoff.password("x@northfield.example"))
    assert "sign-in backoff skipped" in caplog.text


def test_the_backoff_still_counts_with_rate_limits_switched_off(app, monkeypatch):
    """With RATELIMIT_ENABLED=False (the limiter then has no storage), does a sign-in still
    work and a guesser still wait, instead of every sign-in failing with a 500?"""
    monkeypatch.setitem(app.config, "RATELIMIT_ENABLED", False)
    monkeypatch.setattr(limiter, "_limiter", None)  # as Flask-Limiter leaves it when off
    monkeypatch.setattr(limiter, "_storage_dead", False)
    with app.test_request_context():
        backoff.check(backoff.password("officer@northfield.example"))
        for _ in range(backoff.FREE_TRIES + 1):
            backoff.failed(backoff.pending("off"))
        with pytest.raises(backoff.TooManyTries):
            backoff.check(backoff.pending("off"))
        backoff.succeeded(backoff.pending("off"))
        backoff.check(backoff.pending("off"))
