"""'You said, we did': the admin's account of what changed because of reports, one section
per academic year, kept in the pack and, once published, on a public page for students."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from reporting.domain.errors import BelongError
from reporting.domain.roles import Role
from reporting.domain.words import N_
from reporting.models import StaffUser, YouSaid
from reporting.models.base import utcnow
from reporting.services import audit

BODY_MAX = 6000
YEAR = re.compile(r"\d{4}/\d{2}")


class InvalidSection(BelongError):
    """The section cannot be saved as it stands (a message for the admin)."""


def section(session: Session, school_id: int, academic_year: str) -> YouSaid | None:
    """The school's section for a year, published or not."""
    return session.scalar(select(YouSaid).where(YouSaid.school_id == school_id,
                                                YouSaid.academic_year == academic_year))


def published(session: Session, school_id: int) -> list[YouSaid]:
    """The school's published sections, the newest year first (for students)."""
    return list(session.scalars(select(YouSaid).where(
        YouSaid.school_id == school_id, YouSaid.published_at.is_not(None))
        .order_by(YouSaid.academic_year.desc())))


def save(session: Session, admin: StaffUser, academic_year: str, body: str,
         publish: bool) -> YouSaid:
    """Write (or rewrite) the year's section; publish it, or take it back to a draft."""
    if admin.staff_role is not Role.ADMIN:
        raise InvalidSection(N_("Only an administrator writes 'You said, we did'."))
    if not YEAR.fullmatch(academic_year or ""):
        raise InvalidSection(N_("Choose an academic year."))
    body = (body or "").strip()
    if len(body) > BODY_MAX:
        raise InvalidSection(N_("Keep it to %(max)s characters (it has %(count)s).") % {
            "max": BODY_MAX, "count": len(body)})
    if publish and not body:
        raise InvalidSection(N_("Write what changed before you publish it."))
    row = section(session, admin.school_id, academic_year)
    if row is None:
        row = YouSaid(school_id=admin.school_id, academic_year=academic_year)
        session.add(row)
    row.body, row.updated_at, row.updated_by = body, utcnow(), admin.id
    if publish and row.published_at is None:
        row.published_at = utcnow()
    elif not publish:
        row.published_at = None
    session.flush()
    audit.record(session, audit.school_chain(admin.school_id), f"staff:{admin.id}",
                 "you_said.save", f"year:{academic_year}", published=publish)
    return row
