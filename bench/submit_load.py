"""Benchmark: report submissions under gunicorn with production Argon2id, on loopback.

Prints submissions per second and p50/p95/p99 latency, and the same for a bare endpoint
in the same app that does only the one Argon2id derivation; the ratio between them says
how close to free everything but the deliberate KDF is (goal: at least 0.9).

    python bench/submit_load.py [--database-url postgresql://postgres@127.0.0.1:5432/bench]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from common import ROOT, gunicorn, production_env  # bench/common.py (run as a script)

ANSWERS = {
    "safe": "yes", "narrative": "Benchmark narrative: something happened on placement.",
    "occurred_kind": "unsure", "setting": "clinical_placement", "responsible": "clinician",
    "grounds": "race", "impact": "some", "urgency": "low", "wants": "support",
    "identity": "anonymous", "chosen_channel": "pastoral", "step": "review", "action": "next",
}


def prepare(env: dict[str, str]) -> None:
    """Migrate an empty database and create the benchmark school with production KDF costs."""
    run = [sys.executable, "-m", "flask", "--app", "bench.bench_wsgi"]
    subprocess.run([*run, "db", "upgrade"], env=env, cwd=ROOT, check=True,
                   capture_output=True)
    subprocess.run([*run, "create-school", "--slug", "bench", "--name", "Bench School",
                    "--escrow-passphrase", "benchmark escrow passphrase"],
                   env=env, cwd=ROOT, check=True, capture_output=True)


class Client:
    """One simulated student: a cookie jar and the form's CSRF token."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        page = self.opener.open(f"{base}/s/bench/report", timeout=30).read().decode()
        self.token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    def submit(self) -> float:
        data = {**ANSWERS, "csrf_token": self.token, "submission_id": secrets.token_urlsafe(16)}
        body = urllib.parse.urlencode(data).encode()
        start = time.perf_counter()
        page = self.opener.open(f"{self.base}/s/bench/report", body, timeout=60).read()
        elapsed = time.perf_counter() - start
        assert b'id="receipt-code"' in page, page[:500]
        return elapsed

    def kdf(self) -> float:
        start = time.perf_counter()
        self.opener.open(f"{self.base}/bench/kdf", b"", timeout=60).read()
        return time.perf_counter() - start


def measure(clients: list[Client], action: str, requests: int) -> dict[str, float]:
    """Run `requests` calls spread over the clients (one thread each); bounded in count."""
    per_client = requests // len(clients)

    def work(client: Client) -> list[float]:
        return [getattr(client, action)() for _ in range(per_client)]

    start = time.perf_counter()
    with ThreadPoolExecutor(len(clients)) as pool:
        latencies = sorted(t for batch in pool.map(work, clients) for t in batch)
    wall = time.perf_counter() - start
    q = statistics.quantiles(latencies, n=100)
    return {"n": len(latencies), "rps": len(latencies) / wall,
            "p50": q[49] * 1000, "p95": q[94] * 1000, "p99": q[98] * 1000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a new SQLite file")
    parser.add_argument("--requests", type=int, default=120)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="belong-bench-"))
    env = production_env(args.database_url or f"sqlite:///{tmp / 'bench.sqlite'}")
    prepare(env)
    with gunicorn(env, tmp / "gunicorn.log") as base:
        clients = [Client(base) for _ in range(args.concurrency)]
        measure(clients, "kdf", args.concurrency * 2)  # warm up both workers
        kdf = measure(clients, "kdf", args.requests)
        submit = measure(clients, "submit", args.requests)
    database = "PostgreSQL" if args.database_url else "SQLite"
    print(f"Belong submission benchmark: gunicorn 2 sync workers, {database}, production "
          f"Argon2id (m=64 MiB, t=3, p=1), {args.concurrency} concurrent clients on loopback")
    for name, result in (("bare Argon2id endpoint", kdf), ("report submission", submit)):
        print(f"  {name:24} {result['n']:4d} requests  {result['rps']:6.2f}/s  "
              f"p50 {result['p50']:6.1f} ms  p95 {result['p95']:6.1f} ms  "
              f"p99 {result['p99']:6.1f} ms")
    print(f"  ratio submissions/s to bare KDF/s: {submit['rps'] / kdf['rps']:.3f} "
          "(goal >= 0.9)")


if __name__ == "__main__":
    main()
