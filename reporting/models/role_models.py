"""Role models: volunteers' profiles, and the threads students write to them in.

A thread's messages are ciphertext only, under the thread's own data key; that key is
wrapped for the volunteer's public key and sealed under the student's receipt.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reporting.extensions import db
from reporting.models.base import UTCDateTime, utcnow


class RoleModelProfile(db.Model):
    """What a volunteer chose to say about themselves; shown once an admin approves it."""

    __tablename__ = "role_model_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"),
                                           index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"),
                                          unique=True)
    display_name: Mapped[str] = mapped_column(String(60))
    role_title: Mapped[str] = mapped_column(String(120))
    specialty: Mapped[str] = mapped_column(String(120), default="")
    tags: Mapped[str] = mapped_column(String(500), default="")  # space-separated, as chosen
    helps: Mapped[str] = mapped_column(String(200), default="")  # space-separated
    why: Mapped[str] = mapped_column(Text, default="")
    # The volunteer's own words in Welsh, beside the English (optional; "" = English only).
    role_title_cy: Mapped[str] = mapped_column(String(120), default="", server_default="")
    specialty_cy: Mapped[str] = mapped_column(String(120), default="", server_default="")
    why_cy: Mapped[str] = mapped_column(Text, default="", server_default="")
    # 'pending' (waiting for an admin), 'approved' (shown), 'withdrawn' (by the volunteer)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def tag_list(self) -> list[str]:
        """The identities the volunteer shares."""
        return self.tags.split()

    @property
    def help_list(self) -> list[str]:
        """How they are happy to help."""
        return self.helps.split()

    @property
    def lacks_welsh(self) -> bool:
        """Some of the volunteer's words have no Welsh yet."""
        return any(getattr(self, name) and not getattr(self, f"{name}_cy")
                   for name in ("role_title", "specialty", "why"))


class RoleModelThread(db.Model):
    """A student's conversation with a volunteer: metadata in the clear, words sealed."""

    __tablename__ = "role_model_threads"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"),
                                           index=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("role_model_profiles.id", ondelete="CASCADE"), index=True)
    receipt_verifier: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    key_for_volunteer: Mapped[bytes] = mapped_column(LargeBinary)
    key_for_student: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_message_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    message_count: Mapped[int] = mapped_column(Integer, default=0)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_by: Mapped[str | None] = mapped_column(String(20))  # 'student' or 'volunteer'
    flagged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    flagged_by: Mapped[str | None] = mapped_column(String(20))
    flag_reason: Mapped[str | None] = mapped_column(String(30))
    # What the flagger chose to show the admins, if anything: sealed under its own key, which
    # is wrapped for the school's escrow key (opened with the admins' passphrase, audited).
    flag_excerpt: Mapped[bytes | None] = mapped_column(LargeBinary)
    flag_excerpt_key: Mapped[bytes | None] = mapped_column(LargeBinary)
    volunteer_unread: Mapped[bool] = mapped_column(Boolean, default=True)

    profile: Mapped[RoleModelProfile] = relationship()
    messages: Mapped[list[RoleModelMessage]] = relationship(
        order_by="RoleModelMessage.seq", cascade="all, delete-orphan")


class RoleModelMessage(db.Model):
    """One message of a thread, sealed under the thread's key (its place bound in)."""

    __tablename__ = "role_model_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[str] = mapped_column(
        ForeignKey("role_model_threads.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    from_student: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
