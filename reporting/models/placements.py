"""Placement providers (NHS trusts, hospitals, GP practices), the school's alert threshold,
and the content-free pattern alerts already sent (one per school, pattern and term)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from reporting.extensions import db
from reporting.models.base import UTCDateTime, utcnow


class PlacementProvider(db.Model):
    """One provider a school sends students to. Retired, never deleted: reports count it."""

    __tablename__ = "placement_providers"
    __table_args__ = (UniqueConstraint("school_id", "name", name="uq_placement_providers_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"),
                                           index=True)
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class PatternSettings(db.Model):
    """A school's rising-pattern threshold: reports in one term about one provider, setting
    or ground that trigger an alert (None: alerts are off)."""

    __tablename__ = "pattern_settings"

    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"),
                                           primary_key=True)
    threshold: Mapped[int | None] = mapped_column(Integer)


class PatternAlert(db.Model):
    """A pattern alert already sent: the row makes it once per school, pattern and term."""

    __tablename__ = "pattern_alerts"
    __table_args__ = (UniqueConstraint("school_id", "pattern", "term",
                                       name="uq_pattern_alerts_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"))
    pattern: Mapped[str] = mapped_column(String(60))  # e.g. provider:12, setting:online
    term: Mapped[str] = mapped_column(String(20))  # e.g. 2026-autumn
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
