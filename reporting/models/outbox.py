"""Email notifications waiting to be sent (written in the same transaction as their cause)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from reporting.extensions import db
from reporting.models.base import UTCDateTime, utcnow


class OutboxMessage(db.Model):
    """One notification: to a handler, or to a student who opted in. Never any contents."""

    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint("kind IN ('case_attention', 'reply_waiting', 'escalation', "
                        "'password_help', 'enrolment', 'pattern_alert', 'thread_message')",
                        name="kind"),
        Index("ix_outbox_pending", "sent_at", "deliver_after"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"))
    # For a student: their address sealed under the server's notification key.
    address_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    # For a student: the language of their report, so their email is in it (None: English).
    language: Mapped[str | None] = mapped_column(String(5))
    # For a staff member's enrolment email: the link's token sealed under the server's
    # notification key, erased once the email is sent (a dump never holds a usable link).
    link_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"))
    # The case a handler's email is about: the email names its reference (NF-7K3Q), never
    # anything else. Deleting the case unlinks the row, and the email says "A case".
    case_id: Mapped[str | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"),
                                                index=True)
    # For a 'password_help' email to an admin: who asked (the email names them, nothing more).
    about_staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    # For a 'pattern_alert' email to an admin: the alert (the email says only its kind).
    pattern_alert_id: Mapped[int | None] = mapped_column(
        ForeignKey("pattern_alerts.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    deliver_after: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A sender claims a row before sending it (services/delivery.py), so two senders never
    # send the same row; a claim older than the lease is taken to have died with its sender.
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claim_token: Mapped[str | None] = mapped_column(String(32))
