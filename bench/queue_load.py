"""Benchmark: the handler's queue with 100,000 cases in the database.

Fills a fresh database (SQLite by default, or --database-url) with 100k cases across
three channels, then times the server side of the first queue page for a handler
(filters, counts, sort by urgency and deadline, render) against the raw page query
alone, measured in the same run; prints medians, p95 and the ratio.

    python bench/queue_load.py [--database-url postgresql://postgres@127.0.0.1:5432/bench]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyotp
from common import fresh_schema, line, timed  # bench/common.py (run as a script)

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
                          assignee_id=handler.id if rng.random() < 0.2 else None,
                          due_at=created + timedelta(days=rng.choice([1, 3, 91]))
                          if open_case else None, version=1))
    for start in range(0, count, 5000):
        session.execute(Report.__table__.insert(), reports[start:start + 5000])
        session.execute(Case.__table__.insert(), cases[start:start + 5000])
    session.commit()


def sign_in(client, user, password: str) -> None:
    """Password then TOTP through the real pages."""
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"',
                      client.get("/auth/login").get_data(as_text=True)).group(1)
    client.post("/auth/login", data={"csrf_token": token, "email": user.email,
                                     "password": password})
    page = client.get("/auth/two-factor").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    done = client.post("/auth/two-factor", data={"csrf_token": token,
                                                 "code": pyotp.TOTP(user.totp_secret).now()})
    assert done.status_code == 302, done.status_code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--cases", type=int, default=CASES)
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="belong-queue-"))
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{tmp / 'queue.sqlite'}"
    os.environ.pop("REDIS_URL", None)

    from sqlalchemy.orm import Session

    from reporting import create_app
    from reporting.crypto import KdfParams
    from reporting.domain.roles import Role
    from reporting.extensions import db
    from reporting.services import queries
    from reporting.services.schools import create_school
    from reporting.services.staff import create_staff

    app = create_app("test", instance_path=str(tmp), RATELIMIT_ENABLED=False)
    password = secrets.token_urlsafe(16)
    engine = fresh_schema(app)
    with Session(engine) as session:
        params = KdfParams.from_config(app.config)
        school = create_school(session, "bench", slug="bench", name="Bench",
                               escrow_passphrase=secrets.token_urlsafe(24), params=params)
        handler = create_staff(session, "bench", school, email="h@bench.example",
                               display_name="Handler", role=Role.PASTORAL_OFFICER,
                               password=password, params=params,
                               enrolment_lifetime=timedelta(hours=1)).user
        handler.totp_enrolled_at = datetime.now(UTC)
        session.commit()
        started = time.perf_counter()
        fill(session, school, handler, args.cases)
        filled = time.perf_counter() - started
        # What autovacuum would have done by the time a queue holds 100k cases.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE" if engine.dialect.name == "postgresql"
                                       else "ANALYZE")
        client = app.test_client()
        sign_in(client, handler, password)
        page = timed(lambda: client.get("/staff/"), args.repeat)
        with app.app_context():
            raw = timed(lambda: queries.handler_queue(db.session, db.session.merge(handler),
                                                      queries.QueueFilter()), args.repeat)
            db.session.remove()

    print(f"Belong queue benchmark: {args.cases:,} cases on {engine.dialect.name} "
          f"(filled in {filled:.1f} s), first page for a pastoral handler, {args.repeat} runs")
    print(line("queue page (server side)", page))
    print(line("page query alone (baseline)", raw))
    print(f"  ratio page / query alone: {statistics.median(page) / statistics.median(raw):.2f}")


if __name__ == "__main__":
    main()
