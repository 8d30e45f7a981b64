"""Read-only, school-scoped views of cases for staff and admin pages (metadata only)."""

from __future__ import annotations

from sqlalchemy import case as when
from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from reporting.models import Case, Channel, ChannelMembership, StaffUser


def handler_queue(session: Session, user: StaffUser, limit: int = 50) -> list[Case]:
    """Cases in the handler's channels at their school, urgent first, oldest first."""
    return list(session.scalars(
        select(Case)
        .options(joinedload(Case.channel), joinedload(Case.assignee))
        .where(Case.school_id == user.school_id, Case.channel_id.in_(user.channel_ids))
        .order_by(Case.urgent.desc(), Case.created_at)
        .limit(limit)
    ))


def status_counts(session: Session, user: StaffUser) -> dict[str, int]:
    """How many cases of each status are in the handler's channels."""
    rows = session.execute(
        select(Case.status, func.count())
        .where(Case.school_id == user.school_id, Case.channel_id.in_(user.channel_ids))
        .group_by(Case.status)
    )
    return dict(rows.all())


def channel_overview(session: Session, school_id: int) -> list[tuple[Channel, int, int]]:
    """Each channel of a school with its number of cases and of urgent cases."""
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


def channel_handlers(session: Session, channel_id: int) -> list[StaffUser]:
    """The active handlers of a channel."""
    return list(session.scalars(
        select(StaffUser)
        .join(ChannelMembership, ChannelMembership.staff_id == StaffUser.id)
        .where(ChannelMembership.channel_id == channel_id, StaffUser.active.is_(True))
    ))
