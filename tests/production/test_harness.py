"""The harness's own controls, which the outage tests build on: stop, start, freeze, thaw."""

from __future__ import annotations

import stat

from tests.production.harness import Harness


def _health(harness: Harness) -> dict:
    answer = harness.session().get(harness.url("/healthz"), timeout=20)
    return {"code": answer.status_code, **answer.json()}


def test_stopping_and_freezing_postgresql_is_seen_and_undone(harness: Harness):
    """Does a stopped or frozen cluster stop answering, and the app recover after each?"""
    harness.postgres.stop()
    try:
        assert not harness.postgres.answers()
        assert _health(harness)["database"] == "unreachable"
    finally:
        harness.postgres.start()
    assert _health(harness)["code"] == 200
    harness.postgres.freeze()
    try:
        assert not harness.postgres.answers()
    finally:
        harness.postgres.thaw()
    assert harness.postgres.answers()
    assert _health(harness)["code"] == 200


def test_stopping_and_freezing_redis_is_seen_and_undone(harness: Harness):
    """Does /healthz report a stopped and a frozen Redis, and does the worker come back?"""
    harness.redis.freeze()
    try:
        assert _health(harness)["redis"] == "unreachable"
    finally:
        harness.redis.thaw()
    harness.redis.stop()
    try:
        assert _health(harness)["redis"] == "unreachable"
    finally:
        harness.redis.start()
    assert _health(harness)["code"] == 200
    harness.worker.works(timeout=60)  # it reconnected by itself


def test_everything_is_written_owner_only(harness: Harness):
    """Are the logs, the backups and the TLS key readable by their owner only?"""
    for path in (harness.logs, harness.backups,
                 harness.cafile.with_name("privkey.pem")):
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path
