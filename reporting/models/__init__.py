"""Typed SQLAlchemy models. Confidential columns hold ciphertext only."""

from reporting.models.audit import AuditEntry, AuditHead
from reporting.models.case import (
    Case,
    CaseEvent,
    CaseExclusion,
    CaseNote,
    CaseRead,
    ConsentRequest,
    Escalation,
    Message,
)
from reporting.models.directory import SupportEntry, SupportRevision
from reporting.models.job_run import JobRun
from reporting.models.outbox import OutboxMessage
from reporting.models.pack import YouSaid
from reporting.models.placements import PatternAlert, PatternSettings, PlacementProvider
from reporting.models.pulse import (
    PulseAgreement,
    PulseItem,
    PulseResponse,
    PulseSource,
    PulseToken,
)
from reporting.models.report import Evidence, Report, ReportChoice, ReportField, WrappedKey
from reporting.models.role_models import RoleModelMessage, RoleModelProfile, RoleModelThread
from reporting.models.routing import RuleSet
from reporting.models.school import Channel, School, SchoolHoliday
from reporting.models.spaces import SpaceLead, SpaceSession
from reporting.models.sso import SsoProvider
from reporting.models.staff import ChannelMembership, PeerOffer, StaffSession, StaffUser
from reporting.models.stats import CaseStat, CaseStatGround

__all__ = [
    "AuditEntry",
    "AuditHead",
    "Case",
    "CaseEvent",
    "CaseExclusion",
    "CaseNote",
    "CaseRead",
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
    "PatternAlert",
    "PatternSettings",
    "PlacementProvider",
    "PeerOffer",
    "PulseAgreement",
    "PulseItem",
    "PulseResponse",
    "PulseSource",
    "PulseToken",
    "Report",
    "ReportChoice",
    "ReportField",
    "RoleModelMessage",
    "RoleModelProfile",
    "RoleModelThread",
    "RuleSet",
    "School",
    "SchoolHoliday",
    "SpaceLead",
    "SpaceSession",
    "SsoProvider",
    "StaffSession",
    "StaffUser",
    "SupportEntry",
    "SupportRevision",
    "WrappedKey",
    "YouSaid",
]
