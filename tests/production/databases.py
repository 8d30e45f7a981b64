"""The harness's own PostgreSQL cluster and password-protected Redis, never the system's."""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import signal
import subprocess
from pathlib import Path

import redis

from tests.mailbox import free_port
from tests.production.processes import (
    HarnessError,
    Service,
    run,
    service_env,
    signal_tree,
    wait_until,
)

PG_BIN = Path(os.environ.get("BELONG_PG_BIN", "/usr/lib/postgresql/15/bin"))
PG_USER = "postgres"
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
RUNUSER = shutil.which("runuser") or "/usr/sbin/runuser"  # initdb and postgres refuse root


class Postgres:
    """A cluster of our own: initdb as the postgres user, pg_ctl on a free loopback port.

    Clients log in over TCP with a password (scram-sha-256), as the app does in
    production; `psql` runs as the superuser over the cluster's own Unix socket.
    """

    def __init__(self, base: Path, log: Path) -> None:
        self.base, self.log = base, log
        self.data, self.socket_dir = base / "data", base / "socket"
        self.port = free_port()
        self.database, self.user = "belong", "belong"
        self.password = secrets.token_urlsafe(24)
        self.env = service_env(base, {"PGHOST": str(self.socket_dir), "PGPORT": str(self.port)})

    def url(self, database: str | None = None) -> str:
        """The app's DATABASE_URL for `database` (the belong database by default)."""
        return (f"postgresql://{self.user}:{self.password}@127.0.0.1:{self.port}/"
                f"{database or self.database}")

    def _as_postgres(self, *argv: str, check: bool = True, timeout: float = 120.0,
                     input: str | None = None) -> subprocess.CompletedProcess[str]:
        return run([RUNUSER, "-u", PG_USER, "--", *argv], log=self.log, env=self.env,
                   cwd=self.base, check=check, timeout=timeout, input=input)

    def create(self) -> None:
        """initdb into a directory owned by postgres, with the settings of a test machine."""
        postgres = pwd.getpwnam(PG_USER)
        for directory in (self.base, self.socket_dir):
            directory.mkdir(mode=0o700, exist_ok=True)
            os.chown(directory, postgres.pw_uid, postgres.pw_gid)
        pwfile = self.base / "superuser-password"  # initdb wants one for scram; unused after
        pwfile.write_text(secrets.token_urlsafe(24))
        os.chown(pwfile, postgres.pw_uid, postgres.pw_gid)
        self._as_postgres(str(PG_BIN / "initdb"), "--pgdata", str(self.data), "--username",
                          PG_USER, "--auth-local=peer", "--auth-host=scram-sha-256",
                          f"--pwfile={pwfile}", "--encoding=UTF8", "--locale=C.UTF-8",
                          "--no-sync", "--no-instructions")
        pwfile.unlink()
        settings = {"port": str(self.port), "listen_addresses": "'127.0.0.1'",
                    "unix_socket_directories": f"'{self.socket_dir}'",
                    # A test machine: durability against power loss is not what is tested.
                    "fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.writelines(f"{key} = {value}\n" for key, value in settings.items())
        self.start()
        self.psql(f"CREATE ROLE {self.user} LOGIN PASSWORD '{self.password}'", database="postgres")
        self.psql(f"CREATE DATABASE {self.database} OWNER {self.user}", database="postgres")

    def psql(self, sql: str, database: str | None = None) -> str:
        """Run SQL as the superuser; return psql's unaligned output."""
        return self._as_postgres(str(PG_BIN / "psql"), "-X", "-v", "ON_ERROR_STOP=1", "-qAt",
                                 "-d", database or self.database, "-c", sql).stdout

    def start(self) -> None:
        """pg_ctl start and wait until it accepts connections (its log goes to our log)."""
        with self.log.open("ab") as out:
            done = subprocess.run(  # noqa: S603 - our own argv
                [RUNUSER, "-u", PG_USER, "--", str(PG_BIN / "pg_ctl"), "start", "--wait",
                 "--timeout=60", "--pgdata", str(self.data)],
                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, env=self.env,
                cwd=self.base, timeout=90, check=False)
        if done.returncode != 0:
            raise HarnessError(f"PostgreSQL did not start; see {self.log}")

    @property
    def postmaster_pid(self) -> int | None:
        """The running postmaster's pid (from postmaster.pid), or None."""
        try:
            pid = int((self.data / "postmaster.pid").read_text().split()[0])
        except (FileNotFoundError, IndexError, ValueError):
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        return pid

    def answers(self, timeout: int = 2) -> bool:
        """Whether the server accepts connections within `timeout` seconds (pg_isready)."""
        done = subprocess.run(  # noqa: S603 - our own argv
            [str(PG_BIN / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.port),
             "-t", str(timeout)], env=self.env, timeout=timeout + 5, check=False)
        return done.returncode == 0

    def freeze(self) -> None:
        """SIGSTOP the postmaster and every backend: connections hang, nothing answers."""
        signal_tree(self._pid(), signal.SIGSTOP)

    def thaw(self) -> None:
        """SIGCONT them all."""
        signal_tree(self._pid(), signal.SIGCONT)

    def _pid(self) -> int:
        pid = self.postmaster_pid
        if pid is None:
            raise HarnessError("PostgreSQL is not running")
        return pid

    def stop(self) -> None:
        """pg_ctl stop (fast); if that fails, kill the postmaster and its children."""
        pid = self.postmaster_pid
        if pid is None:
            return
        signal_tree(pid, signal.SIGCONT)  # a frozen cluster cannot shut down
        done = self._as_postgres(str(PG_BIN / "pg_ctl"), "stop", "--pgdata", str(self.data),
                                 "--mode=fast", "--wait", "--timeout=30", check=False,
                                 timeout=45)
        if done.returncode != 0 and self.postmaster_pid is not None:
            signal_tree(pid, signal.SIGKILL)


class Redis:
    """redis-server on a free loopback port with a password, nothing saved to disk."""

    def __init__(self, base: Path, log: Path) -> None:
        self.base, self.port = base, free_port()
        self.password = secrets.token_urlsafe(24)
        base.mkdir(mode=0o700, exist_ok=True)
        conf = base / "redis.conf"
        conf.touch(mode=0o600)
        conf.write_text(f'port {self.port}\nbind 127.0.0.1\nrequirepass {self.password}\n'
                        f'save ""\nappendonly no\ndir {base}\ndaemonize no\nlogfile ""\n')
        self.service = Service("redis", [REDIS_SERVER, str(conf)], log=log,
                               env=service_env(base), cwd=base)

    @property
    def url(self) -> str:
        """REDIS_URL with the password."""
        return f"redis://:{self.password}@127.0.0.1:{self.port}/0"

    def client(self, timeout: float = 2.0) -> redis.Redis:
        """A client of our own (short timeouts, so a frozen server cannot hang a test)."""
        return redis.Redis.from_url(self.url, socket_timeout=timeout,
                                    socket_connect_timeout=timeout)

    def _answers(self) -> bool:
        try:
            with self.client(0.5) as client:
                return bool(client.ping())
        except redis.RedisError:
            return False

    def start(self) -> None:
        """Start it and wait until it answers PING."""
        self.service.start()
        wait_until(self._answers, "Redis", timeout=15, alive=self.service.exited)

    def stop(self) -> None:
        """Stop it (everything in it is lost: nothing is saved)."""
        self.service.stop()

    def freeze(self) -> None:
        """SIGSTOP: connections are accepted by the kernel but never answered."""
        self.service.freeze()

    def thaw(self) -> None:
        """SIGCONT."""
        self.service.thaw()
