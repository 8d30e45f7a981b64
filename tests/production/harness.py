"""Belong as a school runs it, on one machine: nginx, gunicorn, PostgreSQL, Redis, worker, jobs.

    with Harness(app_servers=2) as harness:
        harness.session().get(harness.url("/healthz"))   # https through nginx
        harness.stop_app(0)          # nginx sends everything to the other server
        harness.run_job("send-notifications")
        harness.mail.to("someone@example.ac.uk")

Everything it runs comes from deploy/ (units.py, nginx.py, apps.py read it); everything
it writes, logs included, lives in one temporary directory that stop() removes.
"""

from __future__ import annotations

import atexit
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import requests
from aiosmtpd.controller import Controller

from tests.mailbox import Inbox, free_port
from tests.production import units
from tests.production.apps import READY_TIMEOUT, AppServers, Worker
from tests.production.databases import PG_BIN, REDIS_SERVER, RUNUSER, Postgres, Redis
from tests.production.nginx import DEBIAN_CONF, NGINX, Layout, Nginx
from tests.production.processes import TEMP_PREFIX, HarnessError, run, service_env, wait_until
from tests.production.tls import Certificate, self_signed

SCHOOL = "northfield"


@dataclass
class Staff:
    """A staff account made with `create-staff`; totp_secret is known once enrolled."""

    email: str
    password: str
    role: str
    enrolment_url: str
    totp_secret: str | None = None
    last_totp_counter: int | None = None  # the last 30-second step used (codes work once)


def python_prefix() -> Path:
    """The prefix whose bin/ holds this Python's flask and gunicorn (BELONG_VENV)."""
    return Path(sys.executable).parent.parent


class Harness:
    """The production stack in a temporary directory, on free loopback ports."""

    def __init__(self, app_servers: int = 1, certificate: Certificate | None = None,
                 keep: bool = False) -> None:
        self.base = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX))
        self.base.chmod(0o711)  # postgres and nginx's workers must reach their directories
        self.keep = keep
        self.logs, self.backups = self.base / "logs", self.base / "backups"
        for private in (self.logs, self.backups):  # backups: /var/backups/belong on a server
            private.mkdir(mode=0o700)
        self.certificate = certificate or self_signed()
        self.cafile, keyfile = self.certificate.write(self.base / "tls")
        self.paths = units.Paths(app=units.REPO, venv=python_prefix(),
                                 env_file=self.base / "env")
        self.postgres = Postgres(self.base / "postgres", self.logs / "postgresql.log")
        self.redis = Redis(self.base / "redis", self.logs / "redis.log")
        self.mail = Inbox(port=free_port())  # the SMTP relay: what each address received
        self._relay = Controller(self.mail, hostname="127.0.0.1", port=self.mail.port)
        self.apps = AppServers(app_servers, self.paths, self.base, self.logs,
                               lambda: self.env)
        self.worker = Worker(self.paths, self._job_env(), self.logs / "worker.log", self.redis)
        self.https_port, self.http_port = free_port(), free_port()
        self.nginx = Nginx(Layout(prefix=self.base / "nginx", logs=self.logs,
                                  https_port=self.https_port, http_port=self.http_port,
                                  cert=self.cafile, key=keyfile,
                                  upstreams=tuple(self.apps.ports)), self.logs / "nginx.log")
        self.timings: dict[str, float] = {}
        self.escrow_passphrase = secrets.token_urlsafe(18)
        self._started = self._relay_running = False
        atexit.register(self.stop)

    # --- addresses -----------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """https://127.0.0.1:<port>, the BELONG_BASE_URL of this install."""
        return f"https://127.0.0.1:{self.https_port}"

    def url(self, path: str = "/") -> str:
        """An absolute https URL through nginx."""
        return self.base_url + path

    def session(self) -> requests.Session:
        """A requests session that trusts the harness certificate and only it.

        trust_env off: otherwise REQUESTS_CA_BUNDLE (set on many machines) silently wins
        over `verify`, and a proxy variable could route loopback traffic elsewhere.
        """
        session = requests.Session()
        session.trust_env = False
        session.verify = str(self.cafile)
        return session

    @property
    def env(self) -> dict[str, str]:
        """The variables of the environment file (/etc/belong/env on a server)."""
        return units.read_env(self.paths.env_file)

    # --- start and stop ------------------------------------------------------------------

    def start(self) -> Harness:
        """Bring everything up, in the order an operator would; record how long each took."""
        try:
            self._timed("postgresql", self.postgres.create)
            self._timed("redis", self.redis.start)
            self._timed("smtp relay", self._start_relay)
            self._timed("environment file", self._write_env)
            self._timed("migrations", lambda: self.flask("db", "upgrade"))
            # The servers boot (imports, mostly) while create-school derives its keys.
            self._timed("launch app servers and worker", self._launch_all)
            self._timed("create-school", self._create_school)
            self._timed("app servers and worker ready", self._wait_all)
            self._timed("nginx", self._start_nginx)
        except BaseException:
            self.stop()
            raise
        self._started = True
        return self

    def stop(self) -> None:
        """Stop every process (frozen ones too) and remove the directory unless kept."""
        self.nginx.stop()
        self.apps.stop_all()
        self.worker.stop()
        if self._relay_running:
            self._relay.stop()
            self._relay_running = False
        self.redis.stop()
        self.postgres.stop()
        if not self.keep:
            shutil.rmtree(self.base, ignore_errors=True)
        atexit.unregister(self.stop)

    def __enter__(self) -> Harness:
        return self if self._started else self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def startup_seconds(self) -> float:
        """The whole start-up, in seconds."""
        return sum(self.timings.values())

    def _timed(self, what: str, step: Callable[[], object]) -> None:
        began = time.monotonic()
        step()
        self.timings[what] = time.monotonic() - began

    def _start_relay(self) -> None:
        self._relay.start()
        self._relay_running = True

    def _launch_all(self) -> None:
        for index in range(len(self.apps)):
            self.apps.launch(index)
        self.worker.launch()

    def _wait_all(self) -> None:
        for index in range(len(self.apps)):
            self.apps.wait(index)
        self.worker.wait()

    def _start_nginx(self) -> None:
        self.nginx.start()
        wait_until(self._nginx_ready, "nginx", timeout=READY_TIMEOUT,
                   alive=self.nginx.service.exited)

    def _nginx_ready(self) -> bool:
        try:
            return self.session().get(self.url("/healthz"), timeout=2).status_code == 200
        except requests.RequestException:
            return False

    # --- configuration and commands ------------------------------------------------------

    def _write_env(self) -> None:
        units.write_env(self.paths.env_file, {
            "SECRET_KEY": secrets.token_urlsafe(36),  # 48 characters
            "BELONG_HMAC_KEY": secrets.token_urlsafe(36),
            "DATABASE_URL": self.postgres.url(),
            "REDIS_URL": self.redis.url,
            "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(self.mail.port), "MAIL_USE_TLS": "0",
            "BELONG_BASE_URL": self.base_url,
            "BELONG_LOG_FORMAT": "json",
            "BELONG_BIND": f"127.0.0.1:{self.apps.ports[0]}",
            "BELONG_BACKUP_DIR": str(self.backups),
            # The test identity provider serves the harness's own certificate.
            "BELONG_OIDC_CA_BUNDLE": str(self.cafile),
        })

    def _job_env(self) -> dict[str, str]:
        return service_env(self.base, self.paths.wrapper_env())

    def flask(self, *args: str, input: str | None = None, check: bool = True,
              timeout: float = 120.0) -> subprocess.CompletedProcess[str]:
        """Run `belong-flask ARGS` as an operator would (deploy/belong-flask, the env file);
        stdout is returned, stderr goes to logs/cli.log."""
        return run([str(units.DEPLOY / "belong-flask"), *args], log=self.logs / "cli.log",
                   env=self._job_env(), input=input, check=check, timeout=timeout,
                   umask=0o077)

    def run_job(self, job: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run a timer's service the way the timer would (its ExecStart, UMask, environment);
        its output goes to logs/job-<job>.log, as the journal would keep it."""
        unit = units.timer_service(job)
        return run(self.paths.exec_start(unit), log=self.logs / f"job-{job}.log",
                   env=self._job_env(), cwd=self.paths.working_directory(unit),
                   umask=units.umask(unit), check=check, log_stdout=True)

    def _create_school(self) -> None:
        """`create-school`, the escrow passphrase typed at its prompt (twice)."""
        passphrase = self.escrow_passphrase
        self.flask("create-school", "--slug", SCHOOL, "--name", "Northfield Medical School",
                   "--urgent-contact", "Student Wellbeing duty line: 0113 496 0000",
                   input=f"{passphrase}\n{passphrase}\n")

    def create_staff(self, role: str, email: str | None = None, name: str = "Test Staff",
                     lead: bool = False, password: str | None = None) -> Staff:
        """`create-staff` through the wrapper (password typed at its prompt); returns the
        account with the enrolment link it printed."""
        email = email or f"{role}.{secrets.token_hex(4)}@northfield.ac.uk"
        password = password or secrets.token_urlsafe(15)
        args = ["create-staff", "--school", SCHOOL, "--email", email, "--name", name,
                "--role", role, *(["--lead"] if lead else [])]
        out = self.flask(*args, input=f"{password}\n{password}\n").stdout
        links = [word for word in out.split() if word.startswith(self.base_url + "/auth/enrol/")]
        if len(links) != 1:
            raise HarnessError(f"create-staff printed no enrolment link:\n{out}")
        return Staff(email=email, password=password, role=role, enrolment_url=links[0])

    # --- app servers and worker ----------------------------------------------------------

    def stop_app(self, index: int) -> None:
        """Stop app server `index` (0-based; SIGTERM, as systemctl stop): it then refuses."""
        self.apps.stop(index)

    def start_app(self, index: int) -> None:
        """Start app server `index` as belong.service does, and wait until it is healthy."""
        self.apps.start(index)

    def app_running(self, index: int) -> bool:
        """Whether app server `index` runs."""
        return self.apps.running(index)

    def start_stopped_apps(self) -> None:
        """Start every app server that is not running (after a test that stopped some)."""
        for index in range(len(self.apps)):
            if not self.apps.running(index):
                self.apps.start(index)

    def worker_ready(self) -> bool:
        """Whether an RQ worker is registered on the "belong" queue."""
        return self.worker.ready()

    def start_worker(self) -> None:
        """Start `belong-flask worker` as belong-worker.service does; wait until registered."""
        self.worker.launch()
        self.worker.wait()

    def stop_worker(self) -> None:
        """Stop the worker (SIGTERM: RQ's warm shutdown)."""
        self.worker.stop()

    # --- what tests look at --------------------------------------------------------------

    def log_files(self) -> list[Path]:
        """Every log file the harness's processes wrote (nginx, gunicorn, worker, jobs,
        CLI stderr, PostgreSQL, Redis)."""
        return sorted(path for path in self.logs.rglob("*") if path.is_file())

    def reset_rate_limits(self) -> None:
        """Forget every rate-limit counter (Flask-Limiter's keys in Redis)."""
        with self.redis.client() as client:
            keys = list(client.scan_iter("LIMITS*"))
            if keys:
                client.delete(*keys)


def missing_tools() -> list[str]:
    """What the harness needs from the machine and is not there, with how to install it."""
    needs = {NGINX: "nginx-light (apt)", str(DEBIAN_CONF): "nginx-light (apt)",
             str(PG_BIN / "initdb"): "postgresql-15 (apt)", REDIS_SERVER: "redis-server (apt)",
             RUNUSER: "util-linux (apt)",
             str(python_prefix() / "bin" / "gunicorn"): 'pip install -e ".[test]"'}
    return [f"{path}: install {how}" for path, how in needs.items() if not os.path.exists(path)]
