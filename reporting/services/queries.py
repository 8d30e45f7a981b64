"""Read-only, school-scoped views of cases for staff and admin pages (metadata only)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import case as when
from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session, joinedload

from reporting.domain.cases import CaseStatus
from reporting.models import Case, CaseExclusion, Channel, ChannelMembership, StaffUser
from reporting.models.base import utcnow

PAGE_SIZE = 50
FINISHED = (CaseStatus.RESOLVED.value, CaseStatus.CLOSED.value, CaseStatus.WITHDRAWN.value)


@dataclass(frozen=True)
class QueueFilter:
    """What the handler asked the queue to show."""

    status: str = "open"  # 'open', 'all' or one CaseStatus value
    channel_id: int | None = None
    urgency: str = ""  # '', 'urgent', 'routine'
    assigned: str = ""  # '', 'me', 'none'
    overdue: bool = False
    page: int = 1


def not_excluded(staff_id: int) -> object:
    """The condition that a handler is not kept off the case (a conflict of interest)."""
    return ~exists().where(CaseExclusion.case_id == Case.id, CaseExclusion.staff_id == staff_id)


def kept_off(session: Session, case_id: str, staff_id: int) -> bool:
    """Is this handler kept off this case (a conflict of interest)?"""
    return session.get(CaseExclusion, (case_id, staff_id)) is not None


def _personal(user: StaffUser) -> list:
    """What narrows a handler's channels for them alone: never a case they are kept off;
    and a peer request only while nobody has accepted it, or by the one who did."""
    rules = [not_excluded(user.id)]
    if any(m.channel.kind == "peer" for m in user.memberships):  # peer requests live there
        rules.append(or_(Case.kind != "peer_connection", Case.assignee_id.is_(None),
                         Case.assignee_id == user.id))
    return rules


def _channels(user: StaffUser, channel_id: int | None) -> set[int]:
    return (user.channel_ids if channel_id is None else user.channel_ids & {channel_id}) or {0}


def visible_to(user: StaffUser, channel_id: int | None = None) -> list:
    """Conditions for the cases a handler may see: their school and channels (the team that
    leads a case, or the second team it is shared with), less what _personal narrows."""
    channels = _channels(user, channel_id)
    return [Case.school_id == user.school_id,
            or_(Case.channel_id.in_(channels), Case.also_channel_id.in_(channels)),
            *_personal(user)]


def _scopes(user: StaffUser, channel_id: int | None) -> tuple[list, list]:
    """visible_to as two disjoint parts, each searched by its own index: the cases the
    handler's channels lead, and those shared with them. (One OR across the two columns
    makes SQLite read every case of the school for each queue page.)"""
    channels, school = _channels(user, channel_id), Case.school_id == user.school_id
    return ([school, Case.channel_id.in_(channels), *_personal(user)],
            [school, Case.also_channel_id.in_(channels), Case.channel_id.not_in(channels),
             *_personal(user)])


def _queue_order(case: Case) -> tuple:
    """The queue's order in Python (urgent first, nearest deadline, none last, oldest)."""
    return (not case.urgent, case.due_at is None, case.due_at or case.created_at,
            case.created_at)


def handler_queue(session: Session, user: StaffUser, wanted: QueueFilter) -> tuple[
        list[Case], int]:
    """One page of the handler's cases: urgent first, then the nearest deadline; and the total."""
    conditions = []
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
    total, cases, upto = 0, [], wanted.page * PAGE_SIZE
    for scope in _scopes(user, wanted.channel_id):  # each part's first pages, then merged
        total += session.scalar(select(func.count()).select_from(Case).where(
            *scope, *conditions))
        cases += session.scalars(
            select(Case)
            .options(joinedload(Case.channel), joinedload(Case.also_channel),
                     joinedload(Case.assignee))
            .where(*scope, *conditions)
            .order_by(Case.urgent.desc(), Case.due_at.asc().nulls_last(), Case.created_at)
            .limit(upto)
        ).all()
    return sorted(cases, key=_queue_order)[upto - PAGE_SIZE:upto], total


def status_counts(session: Session, user: StaffUser) -> dict[str, int]:
    """How many cases of each status are in the handler's channels, plus 'overdue'."""
    counts: dict[str, int] = {}
    for scope in _scopes(user, None):
        for status, count in session.execute(
                select(Case.status, func.count()).where(*scope).group_by(Case.status)):
            counts[status] = counts.get(status, 0) + count
        counts["overdue"] = counts.get("overdue", 0) + session.scalar(
            select(func.count()).select_from(Case).where(*scope, Case.due_at < utcnow()))
    return counts


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
