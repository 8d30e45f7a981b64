"""What the benchmarks share: an empty migrated schema, timing, how figures print, and a
Gunicorn server on loopback with the production app (bench_wsgi.py) and a load to put on it."""

from __future__ import annotations

import http.client
import multiprocessing
import os
import secrets
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def fresh_schema(app) -> object:
    """Drop everything (Alembic's table too), migrate to head, return the engine."""
    from flask_migrate import upgrade

    from reporting.extensions import db

    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        upgrade()
        return db.engine


def timed(fn, repeat: int) -> list[float]:
    """Wall-clock milliseconds of each of `repeat` calls."""
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def line(name: str, values: list[float], width: int = 34) -> str:
    """A printed figure: median and 95th percentile."""
    q = statistics.quantiles(values, n=20)
    return f"  {name:{width}} median {statistics.median(values):8.2f} ms   p95 {q[18]:8.2f} ms"


def production_env(database_url: str) -> dict[str, str]:
    """The environment of a production deployment on loopback: fresh secrets, no proxy in
    front, no Redis (each worker counts in its own memory), emails to the log."""
    env = {**os.environ, "BELONG_CONFIG": "production", "SECRET_KEY": secrets.token_urlsafe(48),
           "BELONG_HMAC_KEY": secrets.token_urlsafe(48), "DATABASE_URL": database_url,
           "BELONG_PROXY_HOPS": "0", "MAIL_BACKEND": "console",
           # This checkout's package, not whichever one is installed.
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    env.pop("REDIS_URL", None)
    return env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(env: dict[str, str], log: Path, workers: int = 2) -> Iterator[str]:
    """Serve bench_wsgi.py with `workers` sync workers; yield the base URL once every worker
    has loaded this checkout's package (each says where from in the log)."""
    port = _free_port()
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}",
             "--timeout", "120", "bench.bench_wsgi:app"], env=env, cwd=ROOT, stdout=out,
            stderr=subprocess.STDOUT)
    try:
        expected = f"bench_wsgi: reporting from {ROOT / 'reporting'}"
        for _ in range(300):
            if log.read_text().count(expected) >= workers:
                break
            if server.poll() is not None or "reporting from" in log.read_text().replace(
                    expected, ""):
                raise RuntimeError(f"Gunicorn did not start as expected:\n{log.read_text()}")
            time.sleep(0.1)
        else:
            raise RuntimeError(f"Gunicorn workers did not start:\n{log.read_text()}")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(10)


def _client(job: tuple[int, str, dict[str, str], float]) -> tuple[list[float], float]:
    """One client process: GET the path again and again for `seconds`; its latencies (s)
    and how long it ran. http.client is cheap, and reconnects after each Connection: close
    (a sync worker answers one request per connection)."""
    port, path, headers, seconds = job
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    latencies = []
    began = time.perf_counter()
    while (start := time.perf_counter()) - began < seconds:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"GET {path}: {response.status}")
        latencies.append(time.perf_counter() - start)
    connection.close()
    return latencies, time.perf_counter() - began


class Load:
    """Concurrent clients on loopback, each its own process (so no client waits for
    another's GIL), sharing whatever headers they are given (a session cookie)."""

    def __init__(self, base: str, clients: int = 4, headers: dict[str, str] | None = None):
        self.port = int(base.rsplit(":", 1)[1])
        self.clients = clients
        self.headers = headers or {}
        self.pool = multiprocessing.get_context("fork").Pool(clients)

    def run(self, path: str, seconds: float) -> tuple[list[float], float]:
        """Every client on `path` for `seconds`: latencies (s) and the requests per second."""
        batches = self.pool.map(_client, [(self.port, path, self.headers, seconds)] *
                                self.clients, chunksize=1)
        latencies = [t for batch, _ in batches for t in batch]
        return latencies, sum(len(batch) / took for batch, took in batches)

    def close(self) -> None:
        self.pool.terminate()
        self.pool.join()


def http_line(name: str, latencies: list[float], rps: float, width: int = 30) -> str:
    """A printed figure over HTTP: requests per second, p50 and p95."""
    q = statistics.quantiles(latencies, n=100)
    return (f"  {name:{width}} {len(latencies):6d} requests  {rps:8.1f}/s  "
            f"p50 {q[49] * 1000:7.1f} ms  p95 {q[94] * 1000:7.1f} ms")
