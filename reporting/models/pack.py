"""The evidence pack's own words: "You said, we did", one section per school and year."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from reporting.extensions import db
from reporting.models.base import UTCDateTime, utcnow


class YouSaid(db.Model):
    """What the school changed because of reports in an academic year, written by an admin;
    students read it once it is published. It holds no figure and names nobody."""

    __tablename__ = "you_said_we_did"
    __table_args__ = (UniqueConstraint("school_id", "academic_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"))
    academic_year: Mapped[str] = mapped_column(String(7))  # e.g. 2026/27
    body: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))

    @property
    def paragraphs(self) -> list[str]:
        """The text as the admin wrote it, a paragraph at each blank line."""
        return [" ".join(part.split()) for part in self.body.replace("\r\n", "\n").split("\n\n")
                if part.strip()]
