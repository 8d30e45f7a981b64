"""Reports: structured answers in the clear, everything confidential as ciphertext."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
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

from reporting.extensions import db
from reporting.models.base import UTCDateTime, new_id, utcnow
from reporting.models.placements import PlacementProvider


class Report(db.Model):
    """What a student told us. Free text, identity and files live in ReportField as ciphertext."""

    __tablename__ = "reports"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Receipt: the stored verifier finds the report; the wrapping key is never stored.
    receipt_verifier: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    # A digest of the form's one-time submission id: a second click cannot file twice.
    submission_digest: Mapped[bytes | None] = mapped_column(LargeBinary(32), unique=True)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=True)
    occurred_kind: Mapped[str] = mapped_column(String(10))
    occurred_on: Mapped[date | None] = mapped_column(Date)  # a month is stored as its 1st day
    setting: Mapped[str] = mapped_column(String(30))
    responsible: Mapped[str] = mapped_column(String(30))
    impact: Mapped[str] = mapped_column(String(10))
    urgency: Mapped[str] = mapped_column(String(10))
    not_safe: Mapped[bool] = mapped_column(Boolean, default=False)
    # Only when a named student opts in to "a reply is waiting" emails: their address,
    # sealed under a server key (the mailer must read it without the student present).
    notify_email_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    # The language the student made the report in ('en', 'cy'): their emails are in it.
    language: Mapped[str] = mapped_column(String(5), default="en", server_default="en")
    recommended_channel: Mapped[str] = mapped_column(String(20))
    chosen_channel: Mapped[str] = mapped_column(String(20))
    # The placement provider the student named (only for a clinical placement; None: not
    # asked, or "I'd rather not say"). Metadata, so it is counted without decrypting.
    provider_id: Mapped[int | None] = mapped_column(
        ForeignKey("placement_providers.id", ondelete="SET NULL"), index=True)

    provider: Mapped[PlacementProvider | None] = relationship()
    choices: Mapped[list[ReportChoice]] = relationship(cascade="all, delete-orphan")
    fields: Mapped[list[ReportField]] = relationship(cascade="all, delete-orphan")
    wrapped_keys: Mapped[list[WrappedKey]] = relationship(cascade="all, delete-orphan")
    evidence: Mapped[list[Evidence]] = relationship(cascade="all, delete-orphan",
                                                    order_by="Evidence.created_at")

    def chosen(self, question: str) -> list[str]:
        """The values picked for a multiple-choice question (grounds, wants, sharing)."""
        return sorted(c.value for c in self.choices if c.question == question)


class ReportChoice(db.Model):
    """One picked answer of a multiple-choice question, kept as a row for SQL statistics."""

    __tablename__ = "report_choices"
    __table_args__ = (
        CheckConstraint("question IN ('ground', 'want', 'share_identity', 'peer_tag')",
                        name="question"),
    )

    report_id: Mapped[str] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True
    )
    question: Mapped[str] = mapped_column(String(20), primary_key=True)
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
    """One of a report's data keys wrapped for one holder: a handler, the escrow, the reporter.

    Scope 'content' opens what happened, files and messages; scope 'identity' opens the
    name and contact, and is wrapped only for channels the student agreed may see them.
    """

    __tablename__ = "wrapped_keys"
    __table_args__ = (
        UniqueConstraint("report_id", "scope", "holder", "staff_id"),
        CheckConstraint("holder IN ('staff', 'escrow', 'reporter')", name="holder"),
        CheckConstraint("scope IN ('content', 'identity')", name="scope"),
        CheckConstraint("(holder = 'staff') = (staff_id IS NOT NULL)", name="staff_holder"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[str] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    scope: Mapped[str] = mapped_column(String(10))
    holder: Mapped[str] = mapped_column(String(10))
    staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", ondelete="CASCADE"), index=True
    )
    wrapped: Mapped[bytes] = mapped_column(LargeBinary(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Evidence(db.Model):
    """An evidence file: its name and bytes sealed under the report's content key."""

    __tablename__ = "evidence"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    report_id: Mapped[str] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    name_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    content_sealed: Mapped[bytes] = mapped_column(LargeBinary)
