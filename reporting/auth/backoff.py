"""Sign-in guesses slowed per account and per pending sign-in, from whatever address.

`LOGIN_RATE_LIMIT` counts per address; an attacker with many addresses would pass it. So each
failed password counts against the account's email, and each failed code against the account
and against the pending sign-in. After `FREE_TRIES` failures, every further try must wait
(1 s after the next failure, then 2, 4, ... up to `LONGEST_WAIT`): backing off, never a lock,
so an attacker can hold an officer back by at most `LONGEST_WAIT` at a time.

During a wait every try is refused, a right one too (otherwise the wait would not slow a
guesser), and not counted, so it cannot make the wait longer. A success clears its counters.
The counters live in the rate-limit storage (Redis, or each process's memory), keyed by a keyed
digest: no email or token is stored. An email with no account backs off exactly the same, so
the wait says nothing about whether an account exists. Counts are forgotten `COUNT_FOR` after
the first failure.
"""

from __future__ import annotations

import functools
import logging
import math
import time

from flask import current_app
from flask_babel import ngettext
from limits.storage import MemoryStorage
from redis.exceptions import RedisError

from reporting.crypto import keyed_digest
from reporting.extensions import limiter

FREE_TRIES = 5
LONGEST_WAIT = 15 * 60
COUNT_FOR = 24 * 3600
# With rate limits switched off (RATELIMIT_ENABLED=False) the limiter has no storage; the
# backoff still counts, in this process's memory.
_OWN_MEMORY = MemoryStorage()


class TooManyTries(Exception):
    """This account or sign-in must wait before its next try."""

    def __init__(self, seconds: int) -> None:
        super().__init__(seconds)
        self.seconds = seconds

    @property
    def message(self) -> str:
        minutes = math.ceil(self.seconds / 60)
        return ngettext("Too many tries for this account: wait %(num)d minute, or ask an admin.",
                        "Too many tries for this account: wait %(num)d minutes, or ask an "
                        "admin.", minutes)


def password(email: str) -> str:
    """What failed passwords for this email count against."""
    return "password:" + email.strip().lower()


def code(email: str) -> str:
    """What failed codes for this account count against."""
    return "code:" + email.strip().lower()


def pending(token: str) -> str:
    """What failed codes in this pending sign-in count against."""
    return "pending:" + token


def _keys(subject: str) -> tuple[str, str]:
    digest = keyed_digest(current_app.config["BELONG_HMAC_KEY"], subject)[:32]
    return f"backoff:count:{digest}", f"backoff:wait:{digest}"


def _storage():
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return _OWN_MEMORY
    return limiter.limiter.storage  # the in-memory fallback while Redis is unreachable


def _unless_storage_fails(step):
    """Redis failing in the middle of a sign-in (after the limiter chose it) skips the
    backoff for that one request, logged, instead of a 500: the per-address limit holds."""
    @functools.wraps(step)
    def guarded(*subjects: str) -> None:
        try:
            step(*subjects)
        except RedisError as exc:
            logging.getLogger("belong").error("sign-in backoff skipped: rate-limit storage "
                                              "unavailable (%s)", type(exc).__name__)
    return guarded


@_unless_storage_fails
def check(*subjects: str) -> None:
    """Raise TooManyTries if any subject is still waiting."""
    storage, now = _storage(), time.time()
    waits = [storage.get_expiry(wait) - now for _, wait in map(_keys, subjects)
             if storage.get(wait)]
    if waits:
        raise TooManyTries(max(1, math.ceil(max(waits))))


@_unless_storage_fails
def failed(*subjects: str) -> None:
    """Count a failure against each subject, starting or lengthening its wait."""
    storage = _storage()
    for count, wait in map(_keys, subjects):
        failures = storage.incr(count, COUNT_FOR)
        if failures > FREE_TRIES:
            storage.incr(wait, min(2 ** (failures - FREE_TRIES - 1), LONGEST_WAIT))


@_unless_storage_fails
def succeeded(*subjects: str) -> None:
    """Forget the failures of each subject."""
    storage = _storage()
    for key in (key for subject in subjects for key in _keys(subject)):
        storage.clear(key)
