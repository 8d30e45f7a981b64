"""Benchmark: the response-time dashboard and the evidence pack over 1,000,000 cases' statistics.

Fills a fresh database (SQLite by default, or --database-url) with a million anonymous
case-statistics rows (and their grounds) across five schools and eight academic years,
then times building the whole dashboard for one school, year and channel (every query,
percentiles included, all in SQL) against the raw headline aggregate query alone, in the
same run; then the year's evidence pack (its figures, and printing its PDF).

    python bench/dashboard_load.py [--database-url postgresql://postgres@127.0.0.1:5432/bench]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from common import fresh_schema, line, timed  # bench/common.py (run as a script)

ROWS = 1_000_000
SETTINGS = ["clinical_placement", "teaching", "campus", "accommodation", "online", "social",
            "other"]
GROUNDS = ["race", "sex", "disability", "religion_belief", "sexual_orientation", "age",
           "accent_language", "socio_economic", "caring", "pregnancy_maternity"]
CHANNELS = ["peer", "pastoral", "institutional"]


def fill(engine, schools: list[int], rows: int) -> float:
    """Insert the statistics in bulk; return the seconds it took."""
    from reporting.domain.report import ground_bits
    from reporting.models import CaseStat, CaseStatGround
    from reporting.services.stats import academic_year

    rng = random.Random(11)
    start = time.perf_counter()
    base = datetime(2018, 8, 1, tzinfo=UTC)
    batch, grounds, next_id = [], [], 1
    with engine.begin() as connection:
        for _ in range(rows):
            created = base + timedelta(minutes=rng.randint(0, 60 * 24 * 365 * 8))
            acknowledged = rng.random() < 0.9
            ack = rng.expovariate(1 / 30) if acknowledged else None
            row = dict(
                id=next_id, school_id=rng.choice(schools), channel=rng.choice(CHANNELS),
                kind="report", created_at=created, month=created.strftime("%Y-%m"),
                academic_year=academic_year(created), setting=rng.choice(SETTINGS),
                identity=rng.choice(["anonymous", "named"]), urgent=rng.random() < 0.05,
                overrode=rng.random() < 0.1, status="closed", ack_hours=ack,
                first_response_hours=ack + rng.expovariate(1 / 48) if ack else None,
                resolution_hours=rng.expovariate(1 / 400) if acknowledged else None,
                ack_within_target=ack < 72 if ack else None,
                feedback_within_target=acknowledged or None, repeat=False)
            # Drawn after the row's figures, so the data are those of earlier runs.
            chosen = rng.sample(GROUNDS, rng.choice([1, 1, 2, 3]))
            batch.append(dict(row, ground_bits=ground_bits(chosen)))
            grounds += [dict(stat_id=next_id, ground=g) for g in chosen]
            next_id += 1
            if len(batch) == 20_000:
                connection.execute(CaseStat.__table__.insert(), batch)
                connection.execute(CaseStatGround.__table__.insert(), grounds)
                batch, grounds = [], []
        if batch:
            connection.execute(CaseStat.__table__.insert(), batch)
            connection.execute(CaseStatGround.__table__.insert(), grounds)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="belong-dashboard-"))
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{tmp / 'dashboard.sqlite'}"
    os.environ.pop("REDIS_URL", None)

    import secrets

    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from reporting import create_app
    from reporting.crypto import KdfParams
    from reporting.models import CaseStat, School
    from reporting.services import dashboard
    from reporting.services.pack import figures, pdf
    from reporting.services.schools import create_school

    app = create_app("test", instance_path=str(tmp))
    engine = fresh_schema(app)
    with Session(engine) as session:
        params = KdfParams.from_config(app.config)
        schools = [create_school(session, "bench", slug=f"s{n}", name=f"School {n}",
                                 escrow_passphrase=secrets.token_urlsafe(24), params=params).id
                   for n in range(5)]
        session.commit()
    filled = fill(engine, schools, args.rows)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM ANALYZE" if engine.dialect.name == "postgresql"
                                   else "ANALYZE")
    filters = dashboard.Filters(schools[0], "2022/23", "pastoral")
    raw = select(func.count(CaseStat.id), func.avg(CaseStat.ack_hours)).where(
        CaseStat.school_id == filters.school_id, CaseStat.academic_year == filters.academic_year,
        CaseStat.channel == filters.channel)
    with Session(engine) as session:
        build, query = [], []
        for _ in range(args.repeat):  # interleaved, so a busy moment is shared by both
            build += timed(lambda: dashboard.build(session, filters), 1)
            query += timed(lambda: session.execute(raw).one(), 1)
        cases = dashboard.build(session, filters).total
        school = session.get(School, filters.school_id)
        pack = timed(lambda: figures.build(session, school, filters.academic_year),
                     args.repeat)
        with app.test_request_context():
            from flask import render_template

            html = render_template("pack/print.html", zone=UTC,
                                   pack=figures.build(session, school, filters.academic_year))
        css = Path(app.static_folder, "css", "belong.css").read_text()
        printed = timed(lambda: pdf.print_pdf(html, css), 3)

    print(f"Belong dashboard benchmark: {args.rows:,} case statistics on "
          f"{engine.dialect.name} (filled in {filled:.0f} s); one school, year 2022/23, "
          f"pastoral ({cases} cases), {args.repeat} runs")
    print(line("whole dashboard (all SQL, suppressed)", build))
    print(line("raw headline aggregate alone", query))
    print(f"  ratio dashboard / raw aggregate: "
          f"{statistics.median(build) / statistics.median(query):.1f}")
    print(line("pack figures (year, all channels)", pack))
    print(line("pack PDF (printing only, 3 runs)", printed))
    print(f"  ratio pack figures / dashboard: "
          f"{statistics.median(pack) / statistics.median(build):.1f}")


if __name__ == "__main__":
    main()
