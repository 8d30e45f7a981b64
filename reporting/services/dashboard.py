"""The response-time dashboard: every figure aggregated in the database, from the anonymous
statistics, then passed through disclosure control (domain.disclosure)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from reporting.domain import disclosure
from reporting.domain.disclosure import Cell
from reporting.domain.report import LABELS, Ground, Setting
from reporting.domain.roles import CHANNEL_LABELS, ChannelKind
from reporting.models import Case, CaseStat, CaseStatGround, Channel
from reporting.models.base import utcnow
from reporting.services.queries import FINISHED

MEASURES = {"ack_hours": "Time to acknowledge", "first_response_hours": "Time to first reply",
            "resolution_hours": "Time to resolution"}
IDENTITY = {"anonymous": "Anonymous", "named": "Gave their name"}


@dataclass(frozen=True)
class Filters:
    """What the admin chose: one academic year (a fixed, non-overlapping period, so two
    views can never be subtracted) and optionally one channel."""

    school_id: int
    academic_year: str
    channel: str | None = None


@dataclass(frozen=True)
class Timing:
    """Median and 90th percentile of one measure, with how many cases they rest on."""

    label: str
    base: int
    median: str
    p90: str


@dataclass(frozen=True)
class Dashboard:
    """Everything the page, the charts and the CSV show, already suppressed."""

    filters: Filters
    total: str
    timings: list[Timing]
    ack_within: str
    feedback_within: str
    overdue_now: str
    overrode: str
    by_channel: list[Cell]
    by_setting: list[Cell]
    by_ground: list[Cell]
    by_identity: list[Cell]
    by_month: list[Cell]


def _where(filters: Filters, channel: bool = True) -> list:
    conditions = [CaseStat.school_id == filters.school_id, CaseStat.kind == "report",
                  CaseStat.academic_year == filters.academic_year]
    if channel and filters.channel:
        conditions.append(CaseStat.channel == filters.channel)
    return conditions


def _within(column):
    return func.sum(case((column.is_(True), 1), else_=0)), func.count(column)


def _percentiles(session: Session, column, conditions: list) -> tuple[int, float | None,
                                                                       float | None]:
    """Nearest-rank median and 90th percentile, computed by the database (SQLite and
    PostgreSQL alike, with window functions)."""
    ranked = (select(column.label("x"),
                     func.row_number().over(order_by=column).label("rn"),
                     func.count().over().label("n"))
              .where(*conditions, column.is_not(None)).subquery())
    wanted = [(p * ranked.c.n + 99) // 100 for p in (50, 90)]  # nearest rank, integer maths
    rows = session.execute(select(ranked.c.rn, ranked.c.n, ranked.c.x).where(
        ranked.c.rn.in_(wanted))).all()
    if not rows:
        return 0, None, None
    n = rows[0].n
    at = {row.rn: row.x for row in rows}
    return n, at.get((50 * n + 99) // 100), at.get((90 * n + 99) // 100)


def _grouped(session: Session, key, conditions: list, join=None) -> dict[str, tuple[int, int,
                                                                                      int]]:
    within, base = _within(CaseStat.ack_within_target)
    query = select(key, func.count(CaseStat.id), within, base).where(*conditions)
    if join is not None:
        query = query.join(join)
    return {row[0]: (row[1], row[2] or 0, row[3]) for row in
            session.execute(query.group_by(key)).all()}


DIMENSIONS = ("channel", "setting", "identity", "month")


def _marginals(session: Session, conditions: list) -> dict[str, dict[str, tuple[int, int, int]]]:
    """One pass of the database over the year: counts by every combination of the single-
    valued dimensions (a few hundred rows at most), summed here into one table per
    dimension. No case row leaves the database."""
    within, base = _within(CaseStat.ack_within_target)
    columns = [getattr(CaseStat, name) for name in DIMENSIONS]
    cube = session.execute(select(*columns, func.count(CaseStat.id), within, base)
                           .where(*conditions).group_by(*columns)).all()
    tables: dict[str, dict[str, tuple[int, int, int]]] = {name: {} for name in DIMENSIONS}
    for row in cube:
        figures = (row[4], row[5] or 0, row[6])
        for index, name in enumerate(DIMENSIONS):
            before = tables[name].get(row[index], (0, 0, 0))
            tables[name][row[index]] = tuple(a + b for a, b in zip(before, figures, strict=True))
    return tables


def _cells(counts: dict[str, tuple[int, int, int]], labels: dict[str, str]) -> list[Cell]:
    return disclosure.breakdown([(key, label, *counts.get(key, (0, 0, 0)))
                                 for key, label in labels.items()])


def build(session: Session, filters: Filters) -> Dashboard:
    """Aggregate the dashboard for one school, academic year and (optionally) channel."""
    where = _where(filters)
    total, overrode, *rates = session.execute(select(
        func.count(CaseStat.id), func.sum(case((CaseStat.overrode.is_(True), 1), else_=0)),
        *_within(CaseStat.ack_within_target), *_within(CaseStat.feedback_within_target),
    ).where(*where)).one()
    ack, feedback = rates[:2], rates[2:]
    timings = []
    for column_name, label in MEASURES.items():
        n, median, p90 = _percentiles(session, getattr(CaseStat, column_name), where)
        timings.append(Timing(label, n, disclosure.value_text(median, n),
                              disclosure.value_text(p90, n)))
    # Attribute breakdowns are over every channel of the year: a per-channel table could
    # be subtracted from the all-channel one to recover a hidden cell.
    year = _where(filters, channel=False)
    marginals = _marginals(session, year)
    by_channel = _cells(marginals["channel"], {k.value: CHANNEL_LABELS[k] for k in ChannelKind})
    total_text = (next(c.shown for c in by_channel if c.key == filters.channel)
                  if filters.channel else disclosure.count_text(total))
    # A shared case is counted once, with the team that leads it.
    overdue = session.scalar(select(func.count(Case.id)).join(
        Channel, Channel.id == Case.channel_id).where(
        Case.school_id == filters.school_id, Case.due_at < utcnow(),
        Case.status.not_in(FINISHED),
        *([Channel.kind == filters.channel] if filters.channel else [])))
    return Dashboard(
        filters=filters,
        total=total_text,
        timings=timings,
        ack_within=disclosure.rate_text(ack[0] or 0, ack[1])[1],
        feedback_within=disclosure.rate_text(feedback[0] or 0, feedback[1])[1],
        overdue_now=disclosure.count_text(overdue or 0),
        overrode=disclosure.rate_text(overrode or 0, total)[1],
        by_channel=by_channel,
        by_setting=_cells(marginals["setting"], {s.value: LABELS[s] for s in Setting}),
        by_ground=_cells(_grouped(session, CaseStatGround.ground, year, CaseStat.grounds),
                         {g.value: LABELS[g] for g in Ground}),
        by_identity=_cells(marginals["identity"], IDENTITY),
        by_month=_cells(marginals["month"], _months(filters.academic_year)),
    )


def _months(year: str) -> dict[str, str]:
    """The twelve months of an academic year, August first."""
    start = int(year[:4])
    months = [(start, m) for m in range(8, 13)] + [(start + 1, m) for m in range(1, 8)]
    names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return {f"{y}-{m:02d}": f"{names[m - 1]} {y}" for y, m in months}


def years(session: Session, school_id: int) -> list[str]:
    """The academic years with any cases, newest first."""
    return list(session.scalars(select(CaseStat.academic_year).where(
        CaseStat.school_id == school_id).distinct().order_by(CaseStat.academic_year.desc())))
