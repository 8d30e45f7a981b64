"""Read-only, school-scoped views of cases for staff and admin pages (metadata only)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlalchemy import and_, exists, false, func, literal, or_, select, true, union_all
from sqlalchemy import case as when
from sqlalchemy.orm import Session, joinedload

from reporting.domain import references
from reporting.domain.cases import CaseStatus
from reporting.domain.directory import end_of_day, zone
from reporting.domain.words import N_
from reporting.models import (
    Case,
    CaseExclusion,
    CaseRead,
    Channel,
    ChannelMembership,
    Report,
    ReportChoice,
    StaffUser,
)
from reporting.models.base import utcnow

PAGE_SIZE = 50
FINISHED = (CaseStatus.RESOLVED.value, CaseStatus.CLOSED.value, CaseStatus.WITHDRAWN.value)
UNFINISHED = tuple(s.value for s in CaseStatus if s.value not in FINISHED)


@dataclass(frozen=True)
class QueueFilter:
    """What the handler asked the queue to show, and in which order."""

    status: str = "open"  # 'open', 'all' or one CaseStatus value
    channel_id: int | None = None
    urgency: str = ""  # '', 'urgent', 'routine'
    assigned: str = ""  # '', 'me', 'none'
    overdue: bool = False
    reference: str = ""  # what was typed: any case, spaces or dash (references.normalise)
    ground: str = ""  # a Ground value the student chose
    setting: str = ""  # a Setting value
    since: date | None = None  # received on or after this day (the school's time zone)
    until: date | None = None  # received on or before this day
    sort: str = "priority"  # a key of ORDERS
    page: int = 1


@dataclass(frozen=True)
class Order:
    """One way to sort the queue: in SQL for each part's first pages, in Python to merge.

    With `runs`, the lead teams' cases are read run by run (a run's cases all come before the
    next run's), each by `run_columns`, until the page is full: each run in the order of an
    index (ix_cases_queue), so that a page never sorts every open case."""

    words: str  # how the page describes the order
    columns: Callable[[], tuple]
    key: Callable[[Case], tuple]
    newest_first: bool = False
    runs: Callable[[], tuple] = lambda: ((),)
    run_columns: Callable[[], tuple] | None = None


ORDERS = {
    "priority": Order(N_("urgent first, then the nearest deadline"),
                      lambda: (Case.urgent.desc(), Case.due_at.asc().nulls_last(),
                               Case.created_at),
                      lambda c: (not c.urgent, c.due_at is None, c.due_at or c.created_at,
                                 c.created_at),
                      runs=lambda: tuple((Case.urgent == urgent, dated) for urgent in (
                          true(), false()) for dated in (Case.due_at.is_not(None),
                                                         Case.due_at.is_(None))),
                      run_columns=lambda: (Case.due_at, Case.created_at)),
    "deadline": Order(N_("nearest deadline first"),
                      lambda: (Case.due_at.asc().nulls_last(), Case.created_at),
                      lambda c: (c.due_at is None, c.due_at or c.created_at, c.created_at)),
    "received": Order(N_("newest first"), lambda: (Case.created_at.desc(),),
                      lambda c: (c.created_at,), newest_first=True),
    "activity": Order(N_("latest activity first"), lambda: (Case.last_activity_at.desc(),),
                      lambda c: (c.last_activity_at,), newest_first=True),
}


@dataclass(frozen=True)
class QueueRow:
    """A case in the queue, and whether the student wrote since this handler last read it."""

    case: Case
    news: bool


def not_excluded(staff_id: int) -> object:
    """The condition that a handler is not kept off the case (a conflict of interest)."""
    return ~exists().where(CaseExclusion.case_id == Case.id, CaseExclusion.staff_id == staff_id)


def kept_off(session: Session, case_id: str, staff_id: int) -> bool:
    """Is this handler kept off this case (a conflict of interest)?"""
    return session.get(CaseExclusion, (case_id, staff_id)) is not None


def _personal(user: StaffUser, kept_off: bool = True) -> list:
    """What narrows a handler's channels for them alone: never a case they are kept off
    (unless kept_off=False: the caller deals with those); and a peer request only while
    nobody has accepted it, or by the one who did."""
    rules = [not_excluded(user.id)] if kept_off else []
    if any(m.channel.kind == "peer" for m in user.memberships):  # peer requests live there
        rules.append(or_(Case.kind != "peer_connection", Case.assignee_id.is_(None),
                         Case.assignee_id == user.id))
    return rules


def _channels(user: StaffUser, channel_id: int | None) -> set[int]:
    return (user.channel_ids if channel_id is None else user.channel_ids & {channel_id}) or {0}


def visible_to(user: StaffUser, channel_id: int | None = None,
               kept_off: bool = True) -> list:
    """Conditions for the cases a handler may see: their school and channels (the team that
    leads a case, or the second team it is shared with), less what _personal narrows."""
    channels = _channels(user, channel_id)
    return [Case.school_id == user.school_id,
            or_(Case.channel_id.in_(channels), Case.also_channel_id.in_(channels)),
            *_personal(user, kept_off)]


def _scopes(user: StaffUser, channel_id: int | None,
            kept_off: bool = True) -> tuple[list, list]:
    """visible_to as two disjoint parts, each searched by its own index: the cases the
    handler's channels lead, and those shared with them. (One OR across the two columns
    makes SQLite read every case of the school for each queue page.)"""
    channels, school = _channels(user, channel_id), Case.school_id == user.school_id
    personal = _personal(user, kept_off)
    return ([school, Case.channel_id.in_(channels), *personal],
            [school, Case.also_channel_id.in_(channels), Case.channel_id.not_in(channels),
             *personal])


def _conditions(session: Session, user: StaffUser, wanted: QueueFilter) -> list:
    """What the filter asks of a case, besides being the handler's."""
    conditions = []
    if wanted.reference:  # a reference names one case, whatever else was asked
        return [Case.reference == (references.normalise(wanted.reference) or "")]
    if wanted.status == "open":
        conditions.append(Case.status.not_in(FINISHED))
    elif wanted.status != "all":
        conditions.append(Case.status == wanted.status)
    if wanted.urgency:
        conditions.append(Case.urgent.is_(wanted.urgency == "urgent"))
    if wanted.assigned == "me":
        conditions.append(Case.assignee_id == user.id)
    elif wanted.assigned == "none":
        conditions.append(Case.assignee_id.is_(None))
    if wanted.overdue:
        conditions.append(Case.due_at < utcnow())
    if wanted.ground:
        conditions.append(exists().where(ReportChoice.report_id == Case.report_id,
                                         ReportChoice.question == "ground",
                                         ReportChoice.value == wanted.ground))
    if wanted.setting:
        conditions.append(exists().where(Report.id == Case.report_id,
                                         Report.setting == wanted.setting))
    where = zone(user.school.timezone)
    if wanted.since:
        conditions.append(Case.created_at >= end_of_day(wanted.since - timedelta(days=1),
                                                        where))
    if wanted.until:
        conditions.append(Case.created_at < end_of_day(wanted.until, where))
    return conditions


def _cases(session: Session, user: StaffUser, wanted: QueueFilter, conditions: list,
           upto: int | None) -> list[QueueRow]:
    """The handler's cases the filter asks for, in its order: the first `upto` (or all),
    each marked if the student wrote since this handler last opened it."""
    order, rows = ORDERS[wanted.sort], []
    read = and_(CaseRead.case_id == Case.id, CaseRead.staff_id == user.id)
    lead, shared = _scopes(user, wanted.channel_id)
    # The few shared cases (a partial index) are sorted whole; the lead teams' run by run.
    lead_runs = order.runs() if not wanted.reference else ((),)  # a reference: one case
    for scope, runs in ((lead, lead_runs), (shared, ((),))):
        found: list[QueueRow] = []  # this part's first pages, then merged with the other's
        for run in runs:
            found += (QueueRow(case, case.student_wrote_at is not None and (
                read_at is None or case.student_wrote_at > read_at)) for case, read_at in
                session.execute(
                select(Case, CaseRead.read_at)
                .outerjoin(CaseRead, read)
                .options(joinedload(Case.assignee))
                .where(*scope, *conditions, *run)
                .order_by(*(order.run_columns() if run else order.columns()))
                .limit(None if upto is None else upto - len(found))
            ).all())
            if upto is not None and len(found) >= upto:
                break
        rows += found
    return sorted(rows, key=lambda row: order.key(row.case), reverse=order.newest_first)[:upto]


def _counted(session: Session, user: StaffUser, channel_id: int | None, conditions: list,
             *columns, by=None) -> dict[object, tuple[int, ...]]:
    """Counts (`columns`) of the handler's cases that meet the conditions, by `by` (or all
    under None): one pass for each part of the queue, less the few cases the handler is kept
    off, counted apart (a NOT EXISTS for every case costs a look-up each: at 100,000 cases,
    most of the queue page's time)."""
    keys = [] if by is None else [by]
    kept_off = select(CaseExclusion.case_id).where(CaseExclusion.staff_id == user.id)
    parts = [(scope, 1) for scope in _scopes(user, channel_id, kept_off=False)] + [
        ([*visible_to(user, channel_id, kept_off=False), Case.id.in_(kept_off)], -1)]
    sums: dict[object, tuple[int, ...]] = {}
    for sign, *row in session.execute(union_all(*(  # one statement, one round trip
            select(literal(sign), *keys, *columns).where(*where, *conditions).group_by(*keys)
            for where, sign in parts))):
        key, values = (row[0], row[1:]) if keys else (None, row)
        sums[key] = tuple(a + sign * b for a, b in zip(
            sums.get(key, (0,) * len(columns)), values, strict=True))
    return sums


def _wants_status(wanted: str, status: str) -> bool:
    """Does the status filter ('open', 'all' or one status) take this status?"""
    return wanted == "all" or (status not in FINISHED if wanted == "open" else status == wanted)


def _total(session: Session, user: StaffUser, wanted: QueueFilter, conditions: list,
           found: int, counts: dict[str, int] | None) -> int:
    """How many of the handler's cases the filter asks for: all of them were found if the
    pages so far are not full; else from the page's counts by status when it asks for
    nothing but a status (the default view); else counted."""
    if found < wanted.page * PAGE_SIZE:
        return found
    if counts is not None and wanted.status not in ("all", *FINISHED) and replace(
            wanted, status=QueueFilter.status, sort=QueueFilter.sort, page=1) == QueueFilter():
        return sum(n for status, n in counts.items()
                   if status != "overdue" and _wants_status(wanted.status, status))
    return _counted(session, user, wanted.channel_id, conditions, func.count()).get(
        None, (0,))[0]


def handler_queue(session: Session, user: StaffUser, wanted: QueueFilter,
                  counts: dict[str, int] | None = None) -> tuple[list[QueueRow], int]:
    """One page of the handler's cases in the order asked, each marked if the student wrote
    since the handler last opened it; and how many match in all (given the page's
    status_counts, they may say)."""
    conditions = _conditions(session, user, wanted)
    rows = _cases(session, user, wanted, conditions, wanted.page * PAGE_SIZE)
    return (rows[(wanted.page - 1) * PAGE_SIZE:],
            _total(session, user, wanted, conditions, len(rows), counts))


def channel_overview(session: Session, school_id: int) -> list[tuple[Channel, int, int]]:
    """Each channel of a school with its number of cases and of urgent cases (a shared case
    counts once, with the team that leads it)."""
    rows = session.execute(
        select(Channel, func.count(Case.id), func.count(when((Case.urgent.is_(True), 1))))
        .outerjoin(Case, Case.channel_id == Channel.id)
        .where(Channel.school_id == school_id)
        .group_by(Channel.id)
        .order_by(Channel.id)
    )
    return [tuple(row) for row in rows.all()]


def school_staff(session: Session, school_id: int) -> list[StaffUser]:
    """The school's staff accounts, by name."""
    return list(session.scalars(
        select(StaffUser).where(StaffUser.school_id == school_id).order_by(StaffUser.display_name)
    ))


def channel_handlers(session: Session, channel_id: int,
                     case_id: str | None = None) -> list[StaffUser]:
    """The active handlers of a channel; with a case, less those kept off it."""
    kept_off = select(CaseExclusion.staff_id).where(CaseExclusion.case_id == case_id)
    return list(session.scalars(
        select(StaffUser)
        .join(ChannelMembership, ChannelMembership.staff_id == StaffUser.id)
        .where(ChannelMembership.channel_id == channel_id, StaffUser.active.is_(True),
               *([StaffUser.id.not_in(kept_off)] if case_id else []))
    ))


def team_handlers(session: Session, teams: list[Channel], identity_kinds: Iterable[str],
                  case_id: str | None = None) -> tuple[list[StaffUser], list[StaffUser]]:
    """The active handlers of every team of a case (less those kept off it), each once; and
    those of them in a team the student shared their identity with."""
    shared = set(identity_kinds)
    everyone: dict[int, StaffUser] = {}
    named: dict[int, StaffUser] = {}
    for team in teams:
        for handler in channel_handlers(session, team.id, case_id):
            everyone.setdefault(handler.id, handler)
            if team.kind in shared:
                named.setdefault(handler.id, handler)
    return list(everyone.values()), list(named.values())
