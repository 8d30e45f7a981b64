"""The app servers and the worker, each run as its systemd unit in deploy/systemd/ says."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import requests

from tests.mailbox import free_port
from tests.production import units
from tests.production.databases import Redis
from tests.production.processes import HarnessError, Service, service_env, wait_until

READY_TIMEOUT = 60.0


class AppServers:
    """Gunicorn servers as belong.service starts them, each on its own loopback port.

    systemd would give each its EnvironmentFile; here `environment()` reads the same
    file at every start, and only BELONG_BIND differs per server.
    """

    def __init__(self, count: int, paths: units.Paths, base: Path, logs: Path,
                 environment: Callable[[], dict[str, str]]) -> None:
        unit = units.read_unit("belong.service")
        env_file = paths.substitute(unit.get("Service", "EnvironmentFile") or "")
        if env_file != str(paths.env_file):
            raise HarnessError(f"belong.service reads {env_file}, not the environment file")
        self.base, self.environment = base, environment
        self.ports = [free_port() for _ in range(count)]
        self.services = [
            Service(f"app server {i + 1}", paths.exec_start(unit),
                    log=logs / f"gunicorn-{i + 1}.log", env={},
                    cwd=paths.working_directory(unit), umask=units.umask(unit))
            for i in range(count)]
        self._direct = requests.Session()  # straight to a server: no proxy variables
        self._direct.trust_env = False

    def __len__(self) -> int:
        return len(self.services)

    def launch(self, index: int) -> None:
        """Start server `index` without waiting for it."""
        self.services[index].env = service_env(self.base, {
            **self.environment(), "BELONG_BIND": f"127.0.0.1:{self.ports[index]}"})
        self.services[index].start()

    def healthy(self, index: int) -> bool:
        """Whether server `index` answers /healthz with status ok (bypassing nginx)."""
        try:
            answer = self._direct.get(f"http://127.0.0.1:{self.ports[index]}/healthz",
                                      timeout=2)
        except requests.RequestException:
            return False
        return answer.status_code == 200 and answer.json().get("status") == "ok"

    def wait(self, index: int) -> None:
        """Wait until server `index` is healthy (fail at once if it exits)."""
        wait_until(lambda: self.healthy(index), self.services[index].name,
                   timeout=READY_TIMEOUT, alive=self.services[index].exited)

    def start(self, index: int) -> None:
        """Start server `index` and wait until it is healthy."""
        self.launch(index)
        self.wait(index)

    def stop(self, index: int) -> None:
        """Stop server `index` (SIGTERM, as systemctl stop): its port then refuses."""
        self.services[index].stop()

    def running(self, index: int) -> bool:
        """Whether server `index` runs (it may still be booting)."""
        service = self.services[index]
        return service.process is not None and service.exited() is None

    def stop_all(self) -> None:
        """Stop every server."""
        for service in self.services:
            service.stop()


class Worker:
    """`belong-flask worker` as belong-worker.service starts it."""

    def __init__(self, paths: units.Paths, env: dict[str, str], log: Path,
                 redis: Redis) -> None:
        unit = units.read_unit("belong-worker.service")
        self.service = Service("worker", paths.exec_start(unit), log=log, env=env,
                               cwd=paths.working_directory(unit), umask=units.umask(unit))
        self.redis = redis

    def ready(self) -> bool:
        """Whether an RQ worker is registered on the "belong" queue."""
        from rq import Queue
        from rq import Worker as RqWorker

        try:
            with self.redis.client() as connection:
                return bool(RqWorker.all(connection=connection,
                                         queue=Queue("belong", connection=connection)))
        except Exception:  # Redis away or frozen: not ready
            return False

    def works(self, timeout: float = 30.0) -> None:
        """Prove the worker takes jobs: queue the email delivery job, as the app does, and wait
        until it is done (a worker registered before Redis lost its data still works, but is
        no longer listed, so `ready` cannot tell after a Redis restart)."""
        from rq.job import Job

        from reporting import job_queue

        job_id = job_queue.enqueue(self.redis.url, job_queue.DELIVER_NOTIFICATIONS, timeout=2)

        def done() -> bool:
            try:
                with self.redis.client() as connection:  # result_ttl=0: gone once finished
                    return not Job.exists(job_id, connection=connection)
            except Exception:  # Redis away or frozen: not done
                return False

        wait_until(done, "a job taken by the worker", timeout=timeout, interval=0.1,
                   alive=self.service.exited)

    def launch(self) -> None:
        """Start it without waiting."""
        self.service.start()

    def wait(self) -> None:
        """Wait until it has registered on the queue (fail at once if it exits)."""
        wait_until(self.ready, "worker", timeout=READY_TIMEOUT, alive=self.service.exited)

    def stop(self) -> None:
        """SIGTERM (RQ's warm shutdown: the job in hand finishes)."""
        self.service.stop()
