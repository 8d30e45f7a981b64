"""The yearly evidence pack: one academic year's figures for governors, the Office for
Students' condition E6 and the BMA racial harassment charter. The dashboard's figures, and
beside them routes, outcomes, placement providers, the trend across years, the support
directory's changes (the E6 single source of information), capacity and belonging (the
pulse); every figure through disclosure control (domain.disclosure), as the dashboard's
are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from reporting.domain import disclosure
from reporting.domain.cases import CaseStatus
from reporting.domain.directory import zone
from reporting.domain.disclosure import Cell
from reporting.domain.roles import CHANNEL_LABELS
from reporting.domain.terms import SEASONS, Term, recent, term_at
from reporting.domain.words import N_
from reporting.models import CaseStat, School, SupportEntry, SupportRevision, YouSaid
from reporting.models.base import utcnow
from reporting.services import dashboard
from reporting.services.pack import you_said
from reporting.services.placements import figures as placements
from reporting.services.pulse import results as pulse
from reporting.services.queries import channel_handlers
from reporting.services.sla_settings import Targets, current_targets

ROUTES = {"report": N_("Reports to a team"), "peer_connection": N_("Requests to talk to a peer")}
NO_HANDLERS = N_("no handlers")
FEW_HANDLERS = N_("not shown (fewer than 5 handlers)")  # with the count, it would give theirs


@dataclass(frozen=True)
class Capacity:
    """One channel's handlers now, and the year's cases per handler."""

    channel: str
    handlers: str
    caseload: str


@dataclass(frozen=True)
class DirectoryChange:
    """An entry of the support directory added, changed or retired during the year."""

    day: datetime
    name: str
    change: str


@dataclass(frozen=True)
class Pack:
    """Everything the pack shows, already suppressed."""

    school: School
    academic_year: str
    made_at: datetime
    targets: Targets
    figures: dashboard.Dashboard
    by_route: list[Cell]
    by_outcome: list[Cell]
    by_year: list[Cell]
    by_provider: list[Cell]  # clinical placements, by provider ([] without a list)
    directory_changes: list[DirectoryChange]
    capacity: list[Capacity]
    you_said: YouSaid | None
    belonging: pulse.Results  # six terms to the year's summer, for the trend
    belonging_term: pulse.TermResults | None  # the year's latest term with answers


def year_bounds(school: School, academic_year: str) -> tuple[datetime, datetime]:
    """When an academic year (August to July) starts and ends, in the school's time zone."""
    start = int(academic_year[:4])
    where = zone(school.timezone)
    return datetime(start, 8, 1, tzinfo=where), datetime(start + 1, 8, 1, tzinfo=where)


def _counted(school_id: int) -> list:
    """Each report once (a later copy is left out), as the dashboard counts."""
    return [CaseStat.school_id == school_id, CaseStat.repeat.is_(False)]


def _routes(session: Session, school_id: int, academic_year: str) -> list[Cell]:
    counts = dict(session.execute(select(CaseStat.kind, func.count()).where(
        *_counted(school_id), CaseStat.academic_year == academic_year).group_by(
        CaseStat.kind)).all())
    return disclosure.breakdown([(kind, label, counts.get(kind, 0), 0, 0)
                                 for kind, label in ROUTES.items()])


def _outcomes(session: Session, school_id: int, academic_year: str) -> list[Cell]:
    """Where the year's reports stand now (each status once)."""
    counts = dict(session.execute(select(CaseStat.status, func.count()).where(
        *_counted(school_id), CaseStat.kind == "report",
        CaseStat.academic_year == academic_year).group_by(CaseStat.status)).all())
    return disclosure.breakdown([(status.value, status.label, counts.get(status.value, 0), 0, 0)
                                 for status in CaseStatus])


def _years(session: Session, school_id: int, academic_year: str) -> list[Cell]:
    """Reports in each year up to this one, with the share acknowledged within target."""
    rows = session.execute(select(
        CaseStat.academic_year, func.count(),
        func.count(case((CaseStat.ack_within_target.is_(True), 1))),
        func.count(CaseStat.ack_within_target)).where(
        *_counted(school_id), CaseStat.kind == "report",
        CaseStat.academic_year <= academic_year).group_by(CaseStat.academic_year)
        .order_by(CaseStat.academic_year)).all()
    return disclosure.breakdown([(year, year, n, within, base)
                                 for year, n, within, base in rows])


def _directory_changes(session: Session, school: School,
                       academic_year: str) -> list[DirectoryChange]:
    """The directory's versions during the year: what was added, changed and retired."""
    start, end = year_bounds(school, academic_year)
    revisions = session.scalars(select(SupportRevision).join(SupportEntry).where(
        SupportEntry.school_id == school.id).order_by(SupportRevision.valid_from,
                                                      SupportRevision.id)).all()
    first = {}
    starts = set()
    for revision in revisions:
        first.setdefault(revision.entry_id, revision.id)
        starts.add((revision.entry_id, revision.valid_from))
    changes = []
    for revision in revisions:
        if start <= revision.valid_from < end:
            changes.append(DirectoryChange(
                revision.valid_from, revision.name,
                N_("Added") if first[revision.entry_id] == revision.id else N_("Changed")))
        ended = revision.valid_to
        if ended is not None and start <= ended < end \
                and (revision.entry_id, ended) not in starts:
            changes.append(DirectoryChange(ended, revision.name, N_("Retired")))
    return sorted(changes, key=lambda c: (c.day, c.name))


def _capacity(session: Session, school: School, by_channel: list[Cell]) -> list[Capacity]:
    """Handlers per channel now, and the year's cases per handler: withheld where the
    channel's count or the handlers' is hidden, or the base is too small, so that neither
    can be worked back."""
    shown = {cell.key: cell for cell in by_channel}
    capacity = []
    for channel in sorted(school.channels, key=lambda c: list(CHANNEL_LABELS).index(c.kind)):
        handlers = len(channel_handlers(session, channel.id))
        cell = shown.get(channel.kind)
        if not handlers:
            caseload = NO_HANDLERS
        elif disclosure.count_text(handlers) == disclosure.FEWER:
            caseload = FEW_HANDLERS
        elif cell is None or cell.hidden or cell.count < disclosure.MIN_BASE:
            caseload = disclosure.withheld("cases")
        else:
            caseload = f"{cell.count / handlers:.1f}"
        capacity.append(Capacity(CHANNEL_LABELS[channel.kind],
                                 disclosure.count_text(handlers), caseload))
    return capacity


def _belonging(session: Session, school: School,
               academic_year: str) -> tuple[pulse.Results, pulse.TermResults | None]:
    """The pulse through disclosure control: the trend over the six terms to the year's
    summer (from the first answered, and none still to come), and the year's latest term
    that has answers."""
    start = int(academic_year[:4])
    autumn, summer = Term(start, SEASONS.index("autumn")), Term(start + 1, SEASONS.index("summer"))
    now = term_at(utcnow(), zone(school.timezone))
    found = pulse.results(session, school.id, [t for t in recent(summer, 6) if t <= now])
    first = next((n for n, t in enumerate(found.terms) if t.overall.people), len(found.terms))
    found = pulse.Results(found.terms[first:])
    answered = [t for t in found.terms if autumn <= t.term <= summer and t.overall.people]
    return found, answered[-1] if answered else None


def build(session: Session, school: School, academic_year: str) -> Pack:
    """The pack for one school and academic year."""
    figures = dashboard.build(session, dashboard.Filters(school.id, academic_year))
    belonging, belonging_term = _belonging(session, school, academic_year)
    return Pack(
        school=school, academic_year=academic_year, made_at=utcnow(),
        targets=current_targets(school), figures=figures,
        by_route=_routes(session, school.id, academic_year),
        by_outcome=_outcomes(session, school.id, academic_year),
        by_year=_years(session, school.id, academic_year),
        by_provider=placements.by_provider(session, school.id, academic_year),
        directory_changes=_directory_changes(session, school, academic_year),
        capacity=_capacity(session, school, figures.by_channel),
        you_said=you_said.section(session, school.id, academic_year),
        belonging=belonging, belonging_term=belonging_term,
    )
