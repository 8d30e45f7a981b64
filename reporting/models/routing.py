"""A school's routing rules, as data: every save is a new version; the newest one applies."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from reporting.extensions import db
from reporting.models.base import UTCDateTime, utcnow


class RuleSet(db.Model):
    """One saved version of a school's routing rules, in the rule language of domain.rules."""

    __tablename__ = "rule_sets"
    __table_args__ = (UniqueConstraint("school_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
