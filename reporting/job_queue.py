"""The "belong" RQ queue: jobs named by import path, carried as JSON, never pickled.

A pickled job is code: anyone who can write to the queue could run anything in the
worker. With the JSON serializer a job is only a function name and plain arguments,
and the worker refuses a payload that is not JSON.
"""

from __future__ import annotations

QUEUE = "belong"
SERIALIZER = "rq.serializers.JSONSerializer"
# The jobs (reporting/jobs.py), by the name the worker imports them by.
DELIVER_NOTIFICATIONS = "reporting.jobs.deliver_notifications"
CHECK_DEADLINES = "reporting.jobs.check_deadlines"


def connect(redis_url: str, timeout: float | None):
    """A Redis connection; `timeout` bounds every wait (None: block, as a worker does)."""
    from redis import Redis

    return Redis.from_url(redis_url, socket_timeout=timeout, socket_connect_timeout=timeout or 5)


def queue(connection):
    """The "belong" queue on a connection, with the JSON serializer."""
    from rq import Queue
    from rq.serializers import JSONSerializer

    return Queue(QUEUE, connection=connection, serializer=JSONSerializer)


def enqueue(redis_url: str, job: str, timeout: float) -> str:
    """Put one job (by name) on the queue; return its id. Raises if Redis does not answer."""
    with connect(redis_url, timeout) as connection:
        return queue(connection).enqueue(job, result_ttl=0, failure_ttl=7 * 24 * 3600).id
