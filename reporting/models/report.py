"""Reports: structured answers in the clear, everything confidential as ciphertext."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reporting.extensions import db
from reporting.models.base import UTCDateTime, new_id, utcnow


class Report(db.Model):
    """What a student told us. Free text, identity and files live in ReportField as ciphertext."""

    __tablename__ = "reports"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Receipt: the stored verifier finds the report; the wrapping key is never stored.
    receipt_verifier: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=True)
    occurred_on: Mapped[date | None] = mapped_column(Date)
    occurred_over_period: Mapped[bool] = mapped_column(Boolean, default=False)
    setting: Mapped[str] = mapped_column(String(30))
    responsible: Mapped[str] = mapped_column(String(30))
    urgency: Mapped[str] = mapped_column(String(10))
    not_safe: Mapped[bool] = mapped_column(Boolean, default=False)
    recommended_channel: Mapped[str] = mapped_column(String(20))
    chosen_channel: Mapped[str] = mapped_column(String(20))

    choices: Mapped[list[ReportChoice]] = relationship(cascade="all, delete-orphan")
    fields: Mapped[list[ReportField]] = relationship(cascade="all, delete-orphan")
    wrapped_keys: Mapped[list[WrappedKey]] = relationship(cascade="all, delete-orphan")

    def chosen(self, question: str) -> list[str]:
        """The values picked for a multiple-choice question (grounds, wants)."""
        return sorted(c.value for c in self.choices if c.question == question)


class ReportChoice(db.Model):
    """One picked answer of a multiple-choice question, kept as a row for SQL statistics."""

    __tablename__ = "report_choices"
    __table_args__ = (CheckConstraint("question IN ('ground', 'want')", name="question"),)

    report_id: Mapped[str] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True
    )
    question: Mapped[str] = mapped_column(String(10), primary_key=True)
    value: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)


class ReportField(db.Model):
    """One confidential field, sealed under the report's data key (crypto.seal)."""

    __tablename__ = "report_fields"

    report_id: Mapped[str] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)


class WrappedKey(db.Model):
    """A report's data key wrapped for one holder: a handler, the school escrow, the reporter."""

    __tablename__ = "wrapped_keys"
    __table_args__ = (
        UniqueConstraint("report_id", "holder", "staff_id"),
        CheckConstraint("holder IN ('staff', 'escrow', 'reporter')", name="holder"),
        CheckConstraint("(holder = 'staff') = (staff_id IS NOT NULL)", name="staff_holder"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[str] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    holder: Mapped[str] = mapped_column(String(10))
    staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", ondelete="CASCADE"), index=True
    )
    wrapped: Mapped[bytes] = mapped_column(LargeBinary(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
