"""The RQ worker: JSON jobs only, and it survives Redis going away."""

from __future__ import annotations

import pickle
import threading
import time

import pytest

from reporting import job_queue, jobs


class _Exploit:
    """A pickle that would create a file when unpickled: what a writer to Redis could queue."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (open, (str(self.path), "w"))


@pytest.mark.redis_only
def test_a_pickled_job_is_never_run(app, tmp_path):
    """Does the worker refuse a job someone wrote into Redis as a pickle, running nothing?"""
    from rq.job import Job

    marker = tmp_path / "pwned"
    connection = job_queue.connect(app.config["REDIS_URL"], 5)
    queue = job_queue.queue(connection)
    queue.empty()
    job = Job.create(func=print, connection=connection)  # a default (pickle) job...
    job.save()
    connection.hset(job.key, "data", pickle.dumps(_Exploit(marker)))  # ...with a payload
    connection.rpush(queue.key, job.id)

    jobs.run_worker(app.config["REDIS_URL"], burst=True)
    assert not marker.exists()
    assert queue.count == 0
    connection.close()


def test_the_worker_waits_for_redis_instead_of_exiting(monkeypatch):
    """With Redis unreachable, does the worker keep retrying instead of exiting?"""
    delays: list[float] = []

    def fake_sleep(seconds: float) -> None:
        delays.append(seconds)
        if len(delays) >= 4:
            raise KeyboardInterrupt  # enough: it kept trying

    monkeypatch.setattr(jobs.time, "sleep", fake_sleep)
    with pytest.raises(KeyboardInterrupt):
        jobs.run_worker("redis://:pw@127.0.0.1:1/0")
    assert delays == [1, 2, 5, 10]


def test_the_worker_command_needs_redis(app, monkeypatch):
    """Without REDIS_URL, does `flask worker` say why it cannot run?"""
    monkeypatch.setitem(app.config, "REDIS_URL", None)
    result = app.test_cli_runner().invoke(args=["worker"])
    assert result.exit_code != 0 and "REDIS_URL" in result.output


@pytest.mark.redis_only
def test_a_stopped_worker_exits(app):
    """Does a worker asked to stop (SIGTERM, as systemd does) exit instead of reconnecting?"""
    import os
    import signal

    finished = threading.Event()

    def stop_soon() -> None:
        time.sleep(1.0)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=stop_soon, daemon=True).start()
    previous = signal.getsignal(signal.SIGTERM)
    try:
        jobs.run_worker(app.config["REDIS_URL"])
        finished.set()
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert finished.is_set()
