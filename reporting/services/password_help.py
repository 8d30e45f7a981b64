""""I forgot my password": the school's admins are told, and nothing else happens.

Nobody can recover a lost password (the private key was sealed under it): an admin sets
a new one and the escrow key gives back the earlier cases. So the request only queues an
email to each other active admin of the person's school naming who asked; it never
changes the account, and its caller answers the same whether or not the address exists.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from reporting.domain.roles import Role
from reporting.models import OutboxMessage, StaffUser
from reporting.models.base import utcnow
from reporting.services import audit

# One email to the admins per account in this time, however often the form is sent.
QUIET_PERIOD = timedelta(hours=1)


def ask_for_help(session: Session, email: str) -> int:
    """Queue the admins' emails for the account with this address; how many were queued
    (0 for an unknown or inactive address, or one that asked within QUIET_PERIOD)."""
    user = session.scalar(select(StaffUser).where(StaffUser.email == email.strip().lower()))
    if user is None or not user.active:
        return 0
    recent = session.scalar(select(OutboxMessage.id).where(
        OutboxMessage.kind == "password_help", OutboxMessage.about_staff_id == user.id,
        OutboxMessage.created_at > utcnow() - QUIET_PERIOD).limit(1))
    if recent is not None:
        return 0
    admins = session.scalars(select(StaffUser.id).where(
        StaffUser.school_id == user.school_id, StaffUser.role == Role.ADMIN.value,
        StaffUser.active.is_(True), StaffUser.id != user.id)).all()
    session.add_all(OutboxMessage(kind="password_help", staff_id=admin, about_staff_id=user.id,
                                  school_id=user.school_id) for admin in admins)
    audit.record(session, audit.school_chain(user.school_id), "anonymous",
                 "staff.password_help_asked", f"staff:{user.id}", admins=len(admins))
    return len(admins)
