"""The support directory, versioned: every edit is a new revision, so any past date can be shown."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reporting.extensions import db
from reporting.models.base import UTCDateTime, utcnow


class SupportEntry(db.Model):
    """A service in a school's directory; what it says lives in its revisions."""

    __tablename__ = "support_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"),
                                           index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    revisions: Mapped[list[SupportRevision]] = relationship(
        order_by="SupportRevision.valid_from", cascade="all, delete-orphan",
        back_populates="entry")


class SupportRevision(db.Model):
    """What an entry said from valid_from until valid_to (None: still current).

    A retired entry's last revision simply ends; nothing is ever overwritten.
    """

    __tablename__ = "support_revisions"
    __table_args__ = (Index("ix_support_revisions_when", "entry_id", "valid_from", "valid_to"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("support_entries.id", ondelete="CASCADE"))
    valid_from: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    valid_to: Mapped[datetime | None] = mapped_column(UTCDateTime())
    edited_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(120))
    offers: Mapped[str] = mapped_column(Text)
    tags: Mapped[str] = mapped_column(String(500), default="")  # space-separated tag values
    channels: Mapped[str] = mapped_column(String(60), default="")  # related report channels
    url: Mapped[str] = mapped_column(String(300), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    hours: Mapped[str] = mapped_column(String(200), default="")
    # The same words in Welsh, versioned with the English ("" until an admin writes them).
    name_cy: Mapped[str] = mapped_column(String(120), default="", server_default="")
    offers_cy: Mapped[str] = mapped_column(Text, default="", server_default="")
    hours_cy: Mapped[str] = mapped_column(String(200), default="", server_default="")
    confidential: Mapped[bool] = mapped_column(Boolean, default=True)
    creates_record: Mapped[bool] = mapped_column(Boolean, default=False)

    entry: Mapped[SupportEntry] = relationship(back_populates="revisions")

    @property
    def tag_list(self) -> list[str]:
        """The tags as a list."""
        return self.tags.split()

    @property
    def lacks_welsh(self) -> bool:
        """Is any of its words, written in English, still without its Welsh?"""
        return any(getattr(self, name) and not getattr(self, f"{name}_cy")
                   for name in ("name", "offers", "hours"))
