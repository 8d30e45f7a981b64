"""The response-time dashboard: every figure aggregated in the database, from the anonymous
statistics, then passed through disclosure control (domain.disclosure)."""

from __future__ import annotations

from dataclasses import dataclass
from operator import add
from typing import NamedTuple

from sqlalchemy import case, func, select, union_all
from sqlalchemy.orm import Session

from reporting.domain import disclosure
from reporting.domain.disclosure import Cell
from reporting.domain.report import LABELS, Ground, Setting, grounds_of
from reporting.domain.roles import CHANNEL_LABELS, ChannelKind
from reporting.domain.words import N_
from reporting.models import Case, CaseStat, Channel
from reporting.models.base import utcnow
from reporting.services import queries
from reporting.services.queries import FINISHED

MEASURES = {"ack_hours": (N_("Time to acknowledge"), "cases acknowledged"),
            "first_response_hours": (N_("Time to first reply"), "cases answered"),
            "resolution_hours": (N_("Time to resolution"), "cases resolved")}
IDENTITY = {"anonymous": N_("Anonymous"), "named": N_("Gave their name")}
# Short month names, as in "Mar 2026".
MONTHS = [N_("Jan"), N_("Feb"), N_("Mar"), N_("Apr"), N_("May"), N_("Jun"), N_("Jul"),
          N_("Aug"), N_("Sep"), N_("Oct"), N_("Nov"), N_("Dec")]


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
    # A later copy of a report is left out: the pair counts once, by its first copy.
    conditions = [CaseStat.school_id == filters.school_id, CaseStat.kind == "report",
                  CaseStat.academic_year == filters.academic_year, CaseStat.repeat.is_(False)]
    if channel and filters.channel:
        conditions.append(CaseStat.channel == filters.channel)
    return conditions


def _within(column):
    return func.sum(case((column.is_(True), 1), else_=0)), func.count(column)


def _nearest_rank(percent: int, n: int) -> int:
    return (percent * n + 99) // 100  # integer maths


def _at_rank(column, conditions: list, channels: list[str], rank: int):
    """The `rank`th smallest value of a measure over the channels: a walk along the
    measure's index (models/stats.py), each channel's run of it merged in order."""
    runs = [select(column.label("x")).where(*conditions, CaseStat.channel == channel,
                                            column.is_not(None)).order_by(column).subquery()
            for channel in channels]
    ordered = runs[0] if len(runs) == 1 else union_all(
        *(select(run.c.x) for run in runs)).subquery()
    return select(ordered.c.x).order_by(ordered.c.x).limit(1).offset(rank - 1).scalar_subquery()


def _percentiles(session: Session, filters: Filters) -> list[tuple[int, float | None,
                                                                      float | None]]:
    """Nearest-rank median and 90th percentile of every measure, in the database: how many
    cases have each measure, then the value at each rank, rather than a sort of every case."""
    year = _where(filters, channel=False)
    channels = [filters.channel] if filters.channel else [kind.value for kind in ChannelKind]
    columns = [getattr(CaseStat, name) for name in MEASURES]
    counts = session.execute(select(*(select(func.count()).where(
        *year, CaseStat.channel.in_(channels), column.is_not(None)).scalar_subquery()
        for column in columns))).one()
    ranked = [(column, _nearest_rank(p, n)) for column, n in zip(columns, counts, strict=True)
              if n for p in (50, 90)]
    values = session.execute(select(*(_at_rank(column, year, channels, rank)
                                      for column, rank in ranked))).one() if ranked else ()
    at = iter(values)
    return [(n, *((next(at), next(at)) if n else (None, None))) for n in counts]


DIMENSIONS = ("channel", "setting", "identity", "month")
# The figures of every group: cases, acknowledged within target and acknowledged, first
# reply within target and replied, students who chose another team.
Figures = tuple[int, ...]


class Group(NamedTuple):
    """One combination of the single-valued dimensions, with its figures."""

    channel: str
    setting: str
    identity: str
    month: str
    figures: Figures


def _cube(session: Session, conditions: list) -> list[Group]:
    """One pass of the database over the year: the figures of every combination of the
    single-valued dimensions (a few hundred rows at most). No case row leaves it."""
    columns = [getattr(CaseStat, name) for name in DIMENSIONS]
    return [Group(*row[:4], tuple(value or 0 for value in row[4:])) for row in
            session.execute(select(
                *columns, func.count(), *_within(CaseStat.ack_within_target),
                *_within(CaseStat.feedback_within_target),
                func.sum(case((CaseStat.overrode.is_(True), 1), else_=0)),
            ).where(*conditions).group_by(*columns)).all()]


def _add(tables: dict[str, Figures], key: str, figures: Figures) -> None:
    before = tables.get(key)
    tables[key] = figures if before is None else tuple(map(add, before, figures))


def _grounds(session: Session, conditions: list) -> dict[str, Figures]:
    """Cases, acknowledged within target and acknowledged, by ground (a case may have
    several): grouped in the database by the set of grounds, then added up per ground."""
    tables: dict[str, Figures] = {}
    for bits, *figures in session.execute(select(
            CaseStat.ground_bits, func.count(), *_within(CaseStat.ack_within_target)
    ).where(*conditions).group_by(CaseStat.ground_bits)).all():
        for ground in grounds_of(bits):
            _add(tables, ground.value, tuple(value or 0 for value in figures))
    return tables


def _summed(cube: list[Group], key) -> dict[str, Figures]:
    """The cube's figures added up by `key(group)`."""
    tables: dict[str, Figures] = {}
    for group in cube:
        _add(tables, key(group), group.figures)
    return tables


def _cells(figures: dict[str, Figures], labels: dict[str, str],
           shown: dict[str, str] | None = None) -> list[Cell]:
    return disclosure.breakdown([(key, label, *figures.get(key, (0, 0, 0))[:3])
                                 for key, label in labels.items()], shown)


def build(session: Session, filters: Filters) -> Dashboard:
    """Aggregate the dashboard for one school, academic year and (optionally) channel."""
    # Attribute breakdowns are over every channel of the year: a per-channel table could
    # be subtracted from the all-channel one to recover a hidden cell. Channel and month
    # are protected together, so each channel's months can be shown.
    year = _where(filters, channel=False)
    cube = _cube(session, year)
    chosen = [row for row in cube if filters.channel in (None, row.channel)]
    total, ack_within, ack_base, feedback_within, feedback_base, overrode = (
        _summed(chosen, lambda row: "").get("", (0,) * 6))
    channels, months = {k.value: CHANNEL_LABELS[k] for k in ChannelKind}, _months(
        filters.academic_year)
    grid = disclosure.crossed(
        {key: figures[0] for key, figures in
         _summed(cube, lambda row: (row.channel, row.month)).items()},
        list(channels), list(months))
    mine = filters.channel or ""
    timings = [Timing(label, n, disclosure.value_text(median, n, basis=basis),
                      disclosure.value_text(p90, n, basis=basis))
               for (label, basis), (n, median, p90) in zip(
                   MEASURES.values(), _percentiles(session, filters), strict=True)]
    # A shared case is counted once, with the team that leads it; a report and its later
    # copy once, if either is overdue.
    overdue = session.scalar(select(func.count(func.coalesce(
        Case.repeats_case_id, Case.id).distinct())).join(
        Channel, Channel.id == Case.channel_id).where(
        Case.school_id == filters.school_id, Case.due_at < utcnow(),
        Case.status.not_in(FINISHED),
        *([Channel.kind == filters.channel] if filters.channel else [])))
    return Dashboard(
        filters=filters,
        total=grid[(mine, "")],
        timings=timings,
        ack_within=disclosure.rate_text(ack_within, ack_base, "cases acknowledged")[1],
        feedback_within=disclosure.rate_text(feedback_within, feedback_base,
                                             "cases answered")[1],
        overdue_now=disclosure.count_text(overdue or 0),
        overrode=disclosure.share_text(overrode, total),
        by_channel=_cells(_summed(cube, lambda row: row.channel), channels,
                          {key: grid[(key, "")] for key in channels}),
        by_setting=_cells(_summed(cube, lambda row: row.setting),
                          {s.value: LABELS[s] for s in Setting}),
        by_ground=_cells(_grounds(session, year),
                         {g.value: LABELS[g] for g in Ground}),
        by_identity=_cells(_summed(cube, lambda row: row.identity), IDENTITY),
        by_month=_cells(_summed(chosen, lambda row: row.month), months,
                        {key: grid[(mine, key)] for key in months}),
    )


def _months(year: str) -> dict[str, str]:
    """The twelve months of an academic year, August first."""
    start = int(year[:4])
    months = [(start, m) for m in range(8, 13)] + [(start + 1, m) for m in range(1, 8)]
    return {f"{y}-{m:02d}": f"{MONTHS[m - 1]} {y}" for y, m in months}


def channel_counts(session: Session, school_id: int) -> list[tuple[Channel, str, str]]:
    """Each channel of a school with its cases and urgent cases, as an admin may see them:
    each column suppressed as a dashboard table is."""
    overview = queries.channel_overview(session, school_id)
    totals, urgent = ({channel.id: row[n] for channel, *row in overview} for n in (0, 1))
    ids = [[channel.id for channel, *_ in overview]]
    totals, urgent = disclosure.suppress(totals, ids), disclosure.suppress(urgent, ids)
    return [(channel, totals[channel.id], urgent[channel.id]) for channel, *_ in overview]


def years(session: Session, school_id: int) -> list[str]:
    """The academic years with any cases, newest first."""
    return list(session.scalars(select(CaseStat.academic_year).where(
        CaseStat.school_id == school_id).distinct().order_by(CaseStat.academic_year.desc())))
