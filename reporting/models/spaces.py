"""Spaces to meet: sessions a school publishes, and the staff named to publish them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from reporting.domain.spaces.fields import WELSH
from reporting.extensions import db
from reporting.models.base import UTCDateTime, utcnow


class SpaceSession(db.Model):
    """A session for students who share an experience; times are stored in UTC.

    Nothing here names a student: `interest_count` is the only trace of "I might come".
    """

    __tablename__ = "space_sessions"
    __table_args__ = (Index("ix_space_sessions_when", "school_id", "ends_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(120))
    about: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[str] = mapped_column(String(500), default="")  # space-separated; "" = everyone
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    online: Mapped[bool] = mapped_column(Boolean, default=False)
    area: Mapped[str] = mapped_column(String(200), default="")  # shown to everyone
    join_details: Mapped[str] = mapped_column(String(500))  # the room or link: after "I might come"
    facilitator: Mapped[str] = mapped_column(String(120))
    step_free: Mapped[bool] = mapped_column(Boolean, default=False)
    captions: Mapped[bool] = mapped_column(Boolean, default=False)
    quiet_room: Mapped[bool] = mapped_column(Boolean, default=False)
    access_notes: Mapped[str] = mapped_column(String(500), default="")
    # The organiser's words in Welsh, beside the English (optional; "" = English only).
    title_cy: Mapped[str] = mapped_column(String(120), default="", server_default="")
    about_cy: Mapped[str] = mapped_column(Text, default="", server_default="")
    area_cy: Mapped[str] = mapped_column(String(200), default="", server_default="")
    join_details_cy: Mapped[str] = mapped_column(String(500), default="", server_default="")
    facilitator_cy: Mapped[str] = mapped_column(String(120), default="", server_default="")
    access_notes_cy: Mapped[str] = mapped_column(String(500), default="", server_default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Each edit moves it on, so calendars that imported the .ics take the newer version.
    sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    interest_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    @property
    def tag_list(self) -> list[str]:
        """Who it is for, as a list (empty: every student)."""
        return self.tags.split()

    @property
    def lacks_welsh(self) -> bool:
        """Some of the organiser's words have no Welsh yet (an online session's link is
        the same in both languages)."""
        return any(getattr(self, name) and not getattr(self, f"{name}_cy")
                   for name in WELSH if not (name == "join_details" and self.online))


class SpaceLead(db.Model):
    """A member of staff an admin named to publish sessions (admins always may)."""

    __tablename__ = "space_leads"

    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"),
                                          primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"),
                                           index=True)
    named_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    named_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
