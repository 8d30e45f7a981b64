"""Benchmark: the handler's queue with 100,000 cases in the database, over HTTP.

Fills a fresh database (SQLite by default, or --database-url) with 100k cases across
three channels, signs one pastoral handler in through the real pages of the production
app under Gunicorn (2 sync workers, bench_wsgi.py), and puts 4 concurrent clients on
loopback, all in that handler's session, on the first queue page (filters, counts, sort
by urgency and deadline, render) and on a search for one case's reference; then on a
bare Flask endpoint in the same workers. Prints requests per second, p50 and p95, and
each page's ratio to the bare endpoint (goal: at least 0.05).

With --in-process, the test client instead (no HTTP) against the page query alone, the
SQL statements a page runs, and with --profile where the time goes.

    python bench/queue_load.py [--database-url postgresql://postgres@127.0.0.1:5432/bench]
"""

from __future__ import annotations

import argparse
import cProfile
import http.cookiejar
import os
import pstats
import random
import re
import secrets
import statistics
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyotp
from common import (  # bench/common.py (run as a script)
    Load,
    fresh_schema,
    gunicorn,
    http_line,
    line,
    production_env,
    timed,
)

CASES = 100_000
STATUSES = ["submitted", "acknowledged", "in_progress", "awaiting_reporter", "resolved",
            "closed", "withdrawn", "reopened"]
WEIGHTS = [8, 6, 10, 3, 25, 40, 5, 3]


def fill(session, school, handler, count: int) -> None:
    """Insert `count` reports and cases with plausible metadata, in bulk."""
    from reporting.domain import references
    from reporting.models import Case, Report

    rng = random.Random(7)
    now = datetime.now(UTC)
    channels = [c.id for c in school.channels]
    reports, cases, taken = [], [], set()
    for _ in range(count):
        created = now - timedelta(minutes=rng.randint(0, 60 * 24 * 730))
        status = rng.choices(STATUSES, WEIGHTS)[0]
        report_id = str(uuid.uuid4())
        reports.append(dict(id=report_id, school_id=school.id, created_at=created,
                            receipt_verifier=secrets.token_bytes(32), anonymous=True,
                            occurred_kind="unsure", setting="teaching", responsible="staff",
                            impact="some", urgency="low", not_safe=False,
                            recommended_channel="pastoral", chosen_channel="pastoral"))
        open_case = status not in ("resolved", "closed", "withdrawn", "awaiting_reporter")
        while (reference := references.new_reference()) in taken:
            pass  # unique within the school, as services/reports.py makes it
        taken.add(reference)
        cases.append(dict(id=str(uuid.uuid4()), school_id=school.id, report_id=report_id,
                          reference=reference,
                          channel_id=rng.choice(channels), status=status,
                          urgent=rng.random() < 0.05, created_at=created, updated_at=created,
                          last_activity_at=created,
                          assignee_id=handler.id if rng.random() < 0.2 else None,
                          due_at=created + timedelta(days=rng.choice([1, 3, 91]))
                          if open_case else None, version=1))
    for start in range(0, count, 5000):
        session.execute(Report.__table__.insert(), reports[start:start + 5000])
        session.execute(Case.__table__.insert(), cases[start:start + 5000])
    session.commit()


def sign_in(fetch, email: str, password: str, totp_secret: str) -> None:
    """Password then TOTP through the real pages; fetch(path, form or None) -> (status, page)."""
    def token(page: str) -> str:
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)

    fetch("/auth/login", {"csrf_token": token(fetch("/auth/login", None)[1]), "email": email,
                          "password": password})
    status, _ = fetch("/auth/two-factor", {"csrf_token": token(fetch("/auth/two-factor", None)[1]),
                                           "code": pyotp.TOTP(totp_secret).now()})
    assert status == 302, status


def test_client_fetch(client):
    """sign_in's fetch through the Flask test client."""
    def fetch(path: str, form: dict | None) -> tuple[int, str]:
        response = client.post(path, data=form) if form else client.get(path)
        return response.status_code, response.get_data(as_text=True)
    return fetch


def http_session(base: str, email: str, password: str, totp_secret: str) -> dict[str, str]:
    """Sign in over HTTP; the Cookie header every client then sends (one handler's session)."""
    jar = http.cookiejar.CookieJar()

    class Stay(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None  # sign_in looks at the redirect itself

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), Stay)

    def fetch(path: str, form: dict | None) -> tuple[int, str]:
        body = urllib.parse.urlencode(form).encode() if form else None
        try:
            with opener.open(base + path, body, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as answer:  # the redirect, left alone
            return answer.code, answer.read().decode()

    sign_in(fetch, email, password, totp_secret)
    return {"Cookie": "; ".join(f"{c.name}={c.value}" for c in jar)}


def counting_statements(engine) -> list[int]:
    """A one-item list counting the SQL statements the engine runs from now on."""
    from sqlalchemy import event

    count = [0]
    event.listen(engine, "before_cursor_execute", lambda *a: count.__setitem__(0, count[0] + 1))
    return count


def in_process(app, engine, handler, password: str, secret: str, paths: dict[str, str],
               repeat: int, profile: str | None, profile_page: str) -> None:
    """The old figures: the page through the test client against its query alone; the SQL
    statements per page; with profile, where a page's time goes (cProfile)."""
    from reporting.extensions import db
    from reporting.services import queries, queue_counts

    client = app.test_client()
    sign_in(test_client_fetch(client), handler.email, password, secret)
    statements = counting_statements(engine)
    for name, path in paths.items():
        client.get(path)
        before = statements[0]
        client.get(path)
        print(f"  {name}: {statements[0] - before} SQL statements a page")
        print(line(f"{name} (test client)", timed(lambda p=path: client.get(p), repeat)))
    with app.app_context():
        user = db.session.merge(handler)
        print(line("page query alone", timed(lambda: queries.handler_queue(
            db.session, user, queries.QueueFilter()), repeat)))
        counts = queue_counts.status_counts(db.session, user)  # as the page has them (cached)
        print(line("its rows alone", timed(lambda: queries.handler_queue(
            db.session, user, queries.QueueFilter(), counts), repeat)))
        db.session.remove()
    if profile:
        profiler = cProfile.Profile()
        profiler.runcall(lambda: [client.get(paths[profile_page]) for _ in range(repeat)])
        pstats.Stats(profiler).sort_stats(profile).print_stats(40)


def over_http(env: dict[str, str], tmp: Path, handler, password: str, secret: str,
              paths: dict[str, str], seconds: float, rounds: int, clients: int) -> None:
    """The figures that count: Gunicorn, 2 workers, `clients` at once on loopback, one signed-in
    handler; each page against the bare Flask endpoint in the same workers and run."""
    with gunicorn(env, tmp / "gunicorn.log") as base:
        cookie = http_session(base, handler.email, password, secret)
        for name, path in paths.items():  # the pages are what they say (the search finds it)
            with urllib.request.urlopen(urllib.request.Request(base + path, headers=cookie),
                                        timeout=60) as response:
                page = response.read().decode()
            assert "Case queue" in page and (
                name != "search" or f"1 case with reference {path[-7:]}" in page), name
        load = Load(base, clients, cookie)
        try:
            targets = {"bare Flask endpoint": "/bench/bare", **paths}
            results = {name: ([], []) for name in targets}
            for path in targets.values():
                load.run(path, 0.5)  # warm up: both workers, every template compiled
            for _ in range(rounds):  # interleaved, so a busy moment is shared by all
                for name, path in targets.items():
                    latencies, rps = load.run(path, seconds)
                    results[name][0].extend(latencies)
                    results[name][1].append(rps)
        finally:
            load.close()
    bare = statistics.median(results["bare Flask endpoint"][1])
    for name, (latencies, rps) in results.items():
        print(http_line(name, latencies, statistics.median(rps)))
    for name in paths:
        print(f"  ratio {name} / bare endpoint: {statistics.median(results[name][1]) / bare:.3f}"
              " (goal >= 0.05)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--cases", type=int, default=CASES)
    parser.add_argument("--seconds", type=float, default=4, help="per target and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--in-process", action="store_true",
                        help="the test client instead of HTTP (and SQL statements a page)")
    parser.add_argument("--profile", nargs="?", const="cumulative", metavar="SORT",
                        help="with --in-process: cProfile, by cumulative (or tottime...)")
    parser.add_argument("--profile-page", choices=["default view", "search"],
                        default="default view", help="with --profile: which page")
    parser.add_argument("--repeat", type=int, default=40, help="with --in-process")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="belong-queue-"))
    database_url = args.database_url or f"sqlite:///{tmp / 'queue.sqlite'}"
    os.environ["DATABASE_URL"] = database_url
    os.environ.pop("REDIS_URL", None)

    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from reporting import create_app
    from reporting.crypto import KdfParams
    from reporting.domain.roles import Role
    from reporting.models import Case
    from reporting.services import totp
    from reporting.services.schools import create_school
    from reporting.services.staff import create_staff

    env = production_env(database_url)  # the servers' secrets: the TOTP secret is sealed
    app = create_app("test", instance_path=str(tmp), RATELIMIT_ENABLED=False,
                     BELONG_HMAC_KEY=env["BELONG_HMAC_KEY"])
    password = secrets.token_urlsafe(16)
    engine = fresh_schema(app)
    with Session(engine, expire_on_commit=False) as session:
        params = KdfParams.from_config(app.config)
        school = create_school(session, "bench", slug="bench", name="Bench",
                               escrow_passphrase=secrets.token_urlsafe(24), params=params)
        handler = create_staff(session, "bench", school, email="h@bench.example",
                               display_name="Handler", role=Role.PASTORAL_OFFICER,
                               password=password, params=params,
                               totp_key=totp.totp_key(app.config),
                               enrolment_lifetime=timedelta(hours=1)).user
        handler.totp_enrolled_at = datetime.now(UTC)
        secret = totp.secret_of(totp.totp_key(app.config), handler)
        session.commit()
        started = time.perf_counter()
        fill(session, school, handler, args.cases)
        filled = time.perf_counter() - started
        # One of the handler's open cases, to search for by its reference.
        reference = session.scalar(select(Case.reference).where(
            Case.channel_id.in_(handler.channel_ids), Case.status == "in_progress")
            .order_by(Case.id).limit(1))
    # What autovacuum would have done by the time a queue holds 100k cases.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM ANALYZE" if engine.dialect.name == "postgresql"
                                   else "ANALYZE")
    engine.dispose()
    paths = {"default view": "/staff/", "search": f"/staff/?reference={reference}"}
    print(f"Belong queue benchmark: {args.cases:,} cases on {engine.dialect.name} "
          f"(filled in {filled:.1f} s), the queue of one signed-in pastoral handler "
          f"(search: {reference})")
    if args.in_process:
        in_process(app, engine, handler, password, secret, paths, args.repeat, args.profile,
                   args.profile_page)
    else:
        print(f"  Gunicorn, 2 sync workers, production config, {args.clients} client "
              f"processes on loopback, {args.rounds} rounds of {args.seconds:g} s a target")
        over_http(env, tmp, handler, password, secret, paths, args.seconds, args.rounds,
                  args.clients)


if __name__ == "__main__":
    main()
