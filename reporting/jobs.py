"""Entry points for the RQ worker: the jobs it runs and the loop that keeps it running.

Each job builds its app from the worker's environment (BELONG_CONFIG and the rest),
as a forked work-horse process would, and leaves no connection pool behind.
"""

from __future__ import annotations

import logging
import time

from reporting import create_app, job_queue
from reporting.extensions import db
from reporting.mail import Mailer
from reporting.models.base import utcnow
from reporting.services import job_runs, sla_check
from reporting.services.delivery import dispatch, send_due
from reporting.services.placements import alerts

log = logging.getLogger("belong.worker")
# Seconds between attempts while Redis is away: quick at first, then every 30 s.
RECONNECT_DELAYS = (1, 2, 5, 10, 30)


def deliver_notifications() -> int:
    """Send every notification email that is due; return how many went out."""
    app = create_app()
    with app.app_context():
        try:
            return send_due(db.session, app.config, Mailer(app.config), utcnow())
        finally:
            db.session.remove()
            db.engine.dispose()


def check_deadlines() -> int:
    """Run the deadline check (sla-check --enqueue) and the rising-pattern check, record
    them, then deliver their emails."""
    app = create_app()
    with app.app_context():
        try:
            with job_runs.recorded(db.session, "sla-check"):
                result = sla_check.check_deadlines(db.session, utcnow())
                alerts.check_all(db.session, utcnow())  # rising patterns, once a term each
            dispatch(app)  # the emails: another job on the queue (never raises)
            return result.notified
        finally:
            db.session.remove()
            db.engine.dispose()


def run_worker(redis_url: str, *, burst: bool = False) -> None:
    """Work the "belong" queue; when Redis goes away, wait and reconnect, never exit.

    RQ's own loop retries only while it waits for a job: a connection error anywhere
    else (start-up, heartbeat, finishing a job) makes `work()` quit. So it runs in a
    loop that ends only when the worker was asked to stop (SIGTERM) or in burst mode.
    """
    from redis.exceptions import ConnectionError as RedisDown
    from redis.exceptions import TimeoutError as RedisTimeout
    from rq import Worker
    from rq.serializers import JSONSerializer

    class _Worker(Worker):
        """An RQ worker that remembers whether it was asked to stop."""

        stopping = False

        def request_stop(self, signum, frame):
            self.stopping = True
            super().request_stop(signum, frame)

    failures = 0
    while True:
        worker = None
        try:
            connection = job_queue.connect(redis_url, None)
            worker = _Worker([job_queue.queue(connection)], connection=connection,
                             serializer=JSONSerializer)
            if worker.work(burst=burst, with_scheduler=False):
                failures = 0
            reason = "the worker loop ended"
        except (RedisDown, RedisTimeout) as exc:
            reason = type(exc).__name__
        if burst or (worker is not None and worker.stopping):
            return
        delay = RECONNECT_DELAYS[min(failures, len(RECONNECT_DELAYS) - 1)]
        failures += 1
        log.error("Redis unreachable or lost (%s); the worker reconnects in %s s", reason, delay)
        time.sleep(delay)
