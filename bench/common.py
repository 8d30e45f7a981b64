"""What the benchmarks share: an empty migrated schema, timing, and how figures print."""

from __future__ import annotations

import statistics
import time


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
