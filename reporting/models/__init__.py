"""Typed SQLAlchemy models. Confidential columns hold ciphertext only."""

from reporting.models.audit import AuditEntry, AuditHead
from reporting.models.case import Case, CaseEvent, CaseNote, ConsentRequest, Message
from reporting.models.directory import SupportEntry, SupportRevision
from reporting.models.outbox import OutboxMessage
from reporting.models.report import Evidence, Report, ReportChoice, ReportField, WrappedKey
from reporting.models.routing import RuleSet
from reporting.models.school import Channel, School
from reporting.models.staff import ChannelMembership, PeerOffer, StaffSession, StaffUser

__all__ = [
    "AuditEntry",
    "AuditHead",
    "Case",
    "CaseEvent",
    "CaseNote",
    "ConsentRequest",
    "Channel",
    "ChannelMembership",
    "Evidence",
    "Message",
    "OutboxMessage",
    "PeerOffer",
    "Report",
    "ReportChoice",
    "ReportField",
    "RuleSet",
    "School",
    "StaffSession",
    "StaffUser",
    "SupportEntry",
    "SupportRevision",
    "WrappedKey",
]
