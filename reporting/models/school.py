"""Schools (tenants) and their support channels."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reporting.domain.roles import CHANNEL_LABELS, ChannelKind
from reporting.extensions import db
from reporting.models.base import UTCDateTime, new_generation, utcnow


class School(db.Model):
    """A tenant: every report, case, channel and staff member belongs to one."""

    __tablename__ = "schools"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/London")
    # A random value drawn anew in the transaction of every change to what the queue's
    # counts are made of (services/queue_counts.py), so each app process can keep a
    # handler's counts until it changes. Random, not a counter: a database restored from a
    # backup, or made again, never meets counts kept for another state under the same value.
    queue_generation: Mapped[int] = mapped_column(BigInteger, default=new_generation,
                                                  server_default="0")
    urgent_contact: Mapped[str] = mapped_column(String(500), default="")
    urgent_contact_cy: Mapped[str] = mapped_column(String(500), default="", server_default="")
    # Salt for receipt derivations, so one school's receipts say nothing about another's.
    receipt_salt: Mapped[bytes] = mapped_column(LargeBinary(32))
    # Every receipt of a school derives with these, so a lookup costs exactly one derivation.
    receipt_kdf_params: Mapped[str] = mapped_column(String(64))
    # Escrow key pair: the private half sealed under a key derived from the admins' passphrase.
    escrow_public_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    escrow_kdf_salt: Mapped[bytes] = mapped_column(LargeBinary(32))
    escrow_kdf_params: Mapped[str] = mapped_column(String(64))
    escrow_private_sealed: Mapped[bytes] = mapped_column(LargeBinary(128))
    # Response-time policy (DESIGN.md defaults); deadlines count in the school's time zone.
    urgent_ack_days: Mapped[int] = mapped_column(Integer, default=1)
    feedback_days: Mapped[int] = mapped_column(Integer, default=91)
    working_days: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    channels: Mapped[list[Channel]] = relationship(
        back_populates="school", order_by="Channel.id", cascade="all, delete-orphan"
    )

    def channel(self, kind: ChannelKind) -> Channel:
        """This school's channel of the given kind."""
        return next(channel for channel in self.channels if channel.kind == kind)


class Channel(db.Model):
    """One of a school's three support routes: peer, pastoral, institutional."""

    __tablename__ = "channels"
    __table_args__ = (
        UniqueConstraint("school_id", "kind"),
        CheckConstraint("kind IN ('peer', 'pastoral', 'institutional')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(120))
    ack_days: Mapped[int] = mapped_column(Integer, default=3)
    retention_days: Mapped[int] = mapped_column(Integer, default=365)

    school: Mapped[School] = relationship(back_populates="channels")

    @property
    def channel_kind(self) -> ChannelKind:
        """The kind as an enum member."""
        return ChannelKind(self.kind)

    @property
    def shown_name(self) -> str:
        """The team's name as a person reads it: Belong's own name for the team in the
        page's language, or the name the school gave it, as written."""
        default = CHANNEL_LABELS[self.channel_kind]
        return str(default) if self.name == default.msgid else self.name


class SchoolHoliday(db.Model):
    """A day the school does not count when its deadlines are in working days."""

    __tablename__ = "school_holidays"

    school_id: Mapped[int] = mapped_column(
        ForeignKey("schools.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), default="")
