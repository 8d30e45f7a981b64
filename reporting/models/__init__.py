"""Typed SQLAlchemy models. Confidential columns hold ciphertext only."""

from reporting.models.audit import AuditEntry, AuditHead
from reporting.models.case import (
    Case,
    CaseEvent,
    CaseExclusion,
    CaseNote,
    ConsentRequest,
    Escalation,
    Message,
)
from reporting.models.directory import SupportEntry, SupportRevision
from reporting.models.job_run import JobRun
from reporting.models.outbox import OutboxMessage
from reporting.models.report import Evidence, Report, ReportChoice, ReportField, WrappedKey
from reporting.models.routing import RuleSet
from reporting.models.school import Channel, School, SchoolHoliday
from reporting.models.staff import ChannelMembership, PeerOffer, StaffSession, StaffUser
from reporting.models.stats import CaseStat, CaseStatGround

__all__ = [
    "AuditEntry",
    "AuditHead",
    "Case",
    "CaseEvent",
    "CaseExclusion",
    "CaseNote",
    "CaseStat",
    "CaseStatGround",
    "ConsentRequest",
    "Channel",
    "ChannelMembership",
    "Escalation",
    "Evidence",
    "JobRun",
    "Message",
    "OutboxMessage",
    "PeerOffer",
    "Report",
    "ReportChoice",
    "ReportField",
    "RuleSet",
    "School",
    "SchoolHoliday",
    "StaffSession",
    "StaffUser",
    "SupportEntry",
    "SupportRevision",
    "WrappedKey",
]
