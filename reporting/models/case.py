"""Cases (the workflow around a report) and their event history."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reporting.domain.cases import CaseStatus
from reporting.extensions import db
from reporting.models.base import UTCDateTime, new_id, utcnow
from reporting.models.report import Report
from reporting.models.school import Channel
from reporting.models.staff import StaffUser


class Case(db.Model):
    """A report's journey through a channel. Metadata only: the queue never decrypts."""

    __tablename__ = "cases"
    __table_args__ = (
        # The queue: a channel's cases, urgent first, then by the nearest deadline.
        Index("ix_cases_queue", "school_id", "channel_id", "urgent", "due_at"),
        # The queue's counts (by status, and overdue) read this index alone, no case row.
        Index("ix_cases_counts", "school_id", "channel_id", "status", "due_at"),
        # The queue's other orders: newest received, and latest activity.
        Index("ix_cases_received", "school_id", "channel_id", "created_at"),
        Index("ix_cases_activity", "school_id", "channel_id", "last_activity_at"),
        # The second team's queue (a case shared by two teams: DESIGN.md, Routing). Partial,
        # so the few shared cases are all it holds and planners see how selective it is.
        Index("ix_cases_also", "school_id", "also_channel_id",
              sqlite_where=text("also_channel_id IS NOT NULL"),
              postgresql_where=text("also_channel_id IS NOT NULL")),
        # The few cases sent again because their first copy's receipt was never shown.
        Index("ix_cases_repeats", "repeats_case_id",
              sqlite_where=text("repeats_case_id IS NOT NULL"),
              postgresql_where=text("repeats_case_id IS NOT NULL")),
        # A reference names one case within its school (services/reports.py retries a clash).
        UniqueConstraint("school_id", "reference"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"))
    report_id: Mapped[str] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), unique=True
    )
    # A short random name for the case (domain/references.py), e.g. NF-7K3Q: what staff
    # say and what emails and the access log show. URLs keep using the id.
    reference: Mapped[str] = mapped_column(String(7))
    # The team that leads the case: its deadlines, statistics, claim and re-routes.
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id"))
    # A second team that shares the case (a routing rule's `also`): its handlers hold the
    # keys, see it in their queue and may read it, acknowledge it, write to the student and
    # add notes; the identity key reaches them only if the student shared it with them.
    also_channel_id: Mapped[int | None] = mapped_column(ForeignKey("channels.id"))
    # The case this one repeats: the first copy reached the team, but the student never saw
    # its receipt (the server stopped before answering), so they sent it again to be able
    # to read replies. Both teams' pages say so; shredding the first leaves this one.
    repeats_case_id: Mapped[str | None] = mapped_column(
        ForeignKey("cases.id", ondelete="SET NULL"))
    # 'report', or 'peer_connection' (a request to talk to a peer supporter).
    kind: Mapped[str] = mapped_column(String(20), default="report")
    status: Mapped[str] = mapped_column(String(30), default=CaseStatus.SUBMITTED.value)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # When anyone last did something to the case (a move, a message either way, a note, an
    # assignment, a file), and when the student last wrote or added files: the queue sorts
    # by the one and marks "new from the student" with the other (services/casework.touch).
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    student_wrote_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The next response deadline, derived from the events by domain.sla (never typed in);
    # kept here so the queue can sort and filter by it with an index.
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A recorded legal hold stops purging and the student's own deletion request.
    legal_hold: Mapped[bool] = mapped_column(Boolean, default=False)
    # Optimistic concurrency: a stale write fails instead of overwriting.
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    report: Mapped[Report] = relationship()
    channel: Mapped[Channel] = relationship(foreign_keys=[channel_id])
    also_channel: Mapped[Channel | None] = relationship(foreign_keys=[also_channel_id])
    assignee: Mapped[StaffUser | None] = relationship()
    repeats: Mapped[Case | None] = relationship(remote_side=[id],
                                                foreign_keys=[repeats_case_id])
    events: Mapped[list[CaseEvent]] = relationship(
        order_by="CaseEvent.id", cascade="all, delete-orphan", back_populates="case"
    )
    messages: Mapped[list[Message]] = relationship(
        order_by="Message.created_at", cascade="all, delete-orphan"
    )
    notes: Mapped[list[CaseNote]] = relationship(
        order_by="CaseNote.created_at", cascade="all, delete-orphan"
    )
    consent_requests: Mapped[list[ConsentRequest]] = relationship(
        order_by="ConsentRequest.created_at", cascade="all, delete-orphan"
    )

    @property
    def case_status(self) -> CaseStatus:
        """The status as an enum member."""
        return CaseStatus(self.status)

    @property
    def teams(self) -> list[Channel]:
        """Every team that can read the case, the lead first."""
        return [self.channel] + ([self.also_channel] if self.also_channel else [])


class CaseEvent(db.Model):
    """One thing that happened to a case: who, when, from, to, why (response times use these)."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[str] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_kind: Mapped[str] = mapped_column(String(10))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str | None] = mapped_column(String(30))
    to_status: Mapped[str] = mapped_column(String(30))
    reason: Mapped[str] = mapped_column(String(500), default="")

    case: Mapped[Case] = relationship(back_populates="events")


class Message(db.Model):
    """A message between the reporter and the handlers, sealed under the content key."""

    __tablename__ = "messages"
    __table_args__ = (CheckConstraint("author IN ('reporter', 'staff')", name="author"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    author: Mapped[str] = mapped_column(String(10))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    # The team a handler wrote for (a shared case has two); the student sees its name.
    channel_id: Mapped[int | None] = mapped_column(ForeignKey("channels.id",
                                                              ondelete="SET NULL"))
    # Handlers choose whether the student sees their name; otherwise only the channel.
    signed: Mapped[bool] = mapped_column(Boolean, default=False)
    body_sealed: Mapped[bytes] = mapped_column(LargeBinary)

    staff: Mapped[StaffUser | None] = relationship()
    channel: Mapped[Channel | None] = relationship()


class CaseNote(db.Model):
    """A handler's private note or recorded outcome, sealed under the content key."""

    __tablename__ = "case_notes"
    __table_args__ = (CheckConstraint("kind IN ('note', 'outcome')", name="kind"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    kind: Mapped[str] = mapped_column(String(10), default="note")
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    body_sealed: Mapped[bytes] = mapped_column(LargeBinary)

    staff: Mapped[StaffUser | None] = relationship()


class ConsentRequest(db.Model):
    """A re-route that would let more people read the report, waiting for the student."""

    __tablename__ = "consent_requests"
    __table_args__ = (
        CheckConstraint("decision IN ('approved', 'declined')", name="decision"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    to_channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(500))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision: Mapped[str | None] = mapped_column(String(10))

    to_channel: Mapped[Channel] = relationship()


class Escalation(db.Model):
    """One escalation stage reached by one deadline of a case: sent once, never repeated."""

    __tablename__ = "escalations"
    __table_args__ = (
        UniqueConstraint("case_id", "deadline", "stage"),
        CheckConstraint("deadline IN ('acknowledge', 'feedback')", name="deadline"),
        CheckConstraint("stage IN ('approaching', 'overdue', 'admin')", name="stage"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    deadline: Mapped[str] = mapped_column(String(12))
    stage: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CaseRead(db.Model):
    """When a handler last opened a case: what they have not read yet is newer."""

    __tablename__ = "case_reads"

    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"),
                                         primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"),
                                          primary_key=True, index=True)
    read_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CaseExclusion(db.Model):
    """A handler kept off one case for a conflict of interest: they declared it, or a lead
    of the case's team excluded them. It lasts: no re-route, escrow grant or sharing change
    gives them its keys again, and the case leaves their queue."""

    __tablename__ = "case_exclusions"
    __table_args__ = (CheckConstraint("kind IN ('declared', 'excluded')", name="kind"),)

    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"),
                                         primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"),
                                          primary_key=True, index=True)
    kind: Mapped[str] = mapped_column(String(10))
    by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
