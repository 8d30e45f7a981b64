"""The belonging pulse: a school's items, and anonymous answers kept by term only.

Nothing here names a student or links one person's answers across terms: a response has a
random id (not a sequence, so ids do not give the order of answers), a term and the
identities ticked; the used-token table holds digests with no link to any response.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from reporting.extensions import db
from reporting.models.base import UTCDateTime, utcnow


class PulseItem(db.Model):
    """One statement of a school's pulse; retired, never deleted, so past answers keep it."""

    __tablename__ = "pulse_items"
    __table_args__ = (Index("ix_pulse_items_school", "school_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(String(200))
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class PulseSource(db.Model):
    """Where a school's items come from: its own words, or a published scale it loaded."""

    __tablename__ = "pulse_sources"

    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"),
                                           primary_key=True)
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    citation: Mapped[str] = mapped_column(Text, default="")
    licence: Mapped[str] = mapped_column(Text, default="")
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PulseResponse(db.Model):
    """One anonymous answer to one term's pulse: no time finer than the term, no address."""

    __tablename__ = "pulse_responses"
    __table_args__ = (Index("ix_pulse_responses_term", "school_id", "term"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random, not ordered
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"))
    term: Mapped[str] = mapped_column(String(16))  # e.g. 2026-autumn
    tags: Mapped[str] = mapped_column(String(500), default="")  # space-separated, optional


class PulseAgreement(db.Model):
    """How far one response agreed with one item (1 strongly disagree to 5 strongly agree)."""

    __tablename__ = "pulse_agreements"

    response_id: Mapped[str] = mapped_column(
        ForeignKey("pulse_responses.id", ondelete="CASCADE"), primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("pulse_items.id", ondelete="CASCADE"),
                                         primary_key=True)
    agreement: Mapped[int] = mapped_column(SmallInteger)


class PulseToken(db.Model):
    """A used per-term token (its SHA-256 digest): the same form cannot be sent twice."""

    __tablename__ = "pulse_tokens"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"),
                                           index=True)
    term: Mapped[str] = mapped_column(String(16))
