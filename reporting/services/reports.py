"""Submitting a report and coming back to it with a receipt."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from reporting import crypto
from reporting.domain import receipts
from reporting.domain.cases import CaseStatus
from reporting.domain.errors import InvalidReceipt
from reporting.domain.report import Ground, Responsible, Setting, Urgency, Want
from reporting.domain.roles import ChannelKind
from reporting.domain.routing import Answers, route
from reporting.models import (
    Case,
    CaseEvent,
    ChannelMembership,
    Report,
    ReportChoice,
    ReportField,
    School,
    StaffUser,
    WrappedKey,
)
from reporting.models.base import new_id
from reporting.services import audit

REPORTER_CONTEXT = b"belong/reporter-data-key"


def wrap_context(report_id: str) -> bytes:
    """Associated data binding a wrapped data key to its report."""
    return f"belong/data-key/{report_id}".encode()


@dataclass(frozen=True)
class Draft:
    """A student's answers, validated by the form, ready to store."""

    narrative: str
    setting: Setting
    responsible: Responsible
    urgency: Urgency
    grounds: frozenset[Ground]
    wants: frozenset[Want]
    not_safe: bool = False
    occurred_on: date | None = None
    occurred_over_period: bool = False
    identity: dict[str, str] = field(default_factory=dict)  # empty when anonymous
    chosen_channel: ChannelKind | None = None


@dataclass(frozen=True)
class Submitted:
    """A stored report, its case, and the receipt to show the student once."""

    report: Report
    case: Case
    receipt: str


def _handlers(session: Session, channel_id: int) -> list[StaffUser]:
    return list(session.scalars(
        select(StaffUser)
        .join(ChannelMembership, ChannelMembership.staff_id == StaffUser.id)
        .where(ChannelMembership.channel_id == channel_id, StaffUser.active.is_(True))
    ))


def submit_report(session: Session, school: School, draft: Draft) -> Submitted:
    """Encrypt and store a report with its case, keys, first event and audit entry.

    Everything is added to the caller's transaction: the caller commits once, so
    either all of it exists or none of it does.
    """
    decision = route(Answers(wants=draft.wants, urgency=draft.urgency, not_safe=draft.not_safe))
    chosen = draft.chosen_channel or decision.channel
    channel = school.channel(chosen)
    receipt = receipts.new_receipt()
    derived = crypto.derive_keys(receipts.normalise(receipt), school.receipt_salt,
                                 crypto.KdfParams.decode(school.receipt_kdf_params))
    report = Report(
        id=new_id(),  # chosen before the row exists: ciphertexts are bound to it
        school_id=school.id,
        receipt_verifier=derived.verifier,
        anonymous=not draft.identity,
        occurred_on=draft.occurred_on,
        occurred_over_period=draft.occurred_over_period,
        setting=draft.setting.value,
        responsible=draft.responsible.value,
        urgency=draft.urgency.value,
        not_safe=draft.not_safe,
        recommended_channel=decision.channel.value,
        chosen_channel=chosen.value,
    )
    data_key = crypto.random_key()
    secrets_by_field = {"narrative": draft.narrative, **draft.identity}
    report.fields = [
        ReportField(name=name, ciphertext=crypto.seal(
            data_key, value.encode(), crypto.field_context(report.id, name)))
        for name, value in secrets_by_field.items()
    ]
    report.choices = (
        [ReportChoice(question="ground", value=g.value) for g in sorted(draft.grounds)]
        + [ReportChoice(question="want", value=w.value) for w in sorted(draft.wants)]
    )
    context = wrap_context(report.id)
    report.wrapped_keys = [
        WrappedKey(holder="escrow", wrapped=crypto.wrap_key(school.escrow_public_key, data_key,
                                                            context)),
        WrappedKey(holder="reporter", wrapped=crypto.seal(derived.key, data_key,
                                                          REPORTER_CONTEXT + context)),
        *(WrappedKey(holder="staff", staff_id=handler.id,
                     wrapped=crypto.wrap_key(handler.public_key, data_key, context))
          for handler in _handlers(session, channel.id)),
    ]
    case = Case(school_id=school.id, report=report, channel_id=channel.id,
                urgent=decision.urgent, status=CaseStatus.SUBMITTED.value)
    case.events.append(CaseEvent(actor_kind="reporter", action="submit",
                                 to_status=CaseStatus.SUBMITTED.value))
    session.add_all([report, case])
    session.flush()
    audit.record(session, audit.school_chain(school.id), "reporter", "report.submit",
                 f"case:{case.id}", channel=chosen.value)
    return Submitted(report, case, receipt)


@dataclass(frozen=True)
class ReceiptAccess:
    """What a receipt opens: the report and the key that unwraps the reporter's data key."""

    report: Report
    wrapping_key: bytes


def open_receipt(session: Session, school: School, typed: str) -> ReceiptAccess:
    """Find the report a receipt belongs to, with exactly one key derivation.

    A malformed receipt is derived anyway, so every failure costs the same time
    and says the same thing.
    """
    compact = receipts.normalise(typed)
    derived = crypto.derive_keys(compact or typed[:64], school.receipt_salt,
                                 crypto.KdfParams.decode(school.receipt_kdf_params))
    report = session.scalar(select(Report).where(
        Report.receipt_verifier == derived.verifier, Report.school_id == school.id))
    if compact is None or report is None:
        raise InvalidReceipt
    return ReceiptAccess(report, derived.key)


def read_own_report(session: Session, report: Report, wrapping_key: bytes) -> dict[str, str]:
    """Decrypt the reporter's own confidential fields with their receipt-derived key."""
    wrapped = session.scalar(select(WrappedKey.wrapped).where(
        WrappedKey.report_id == report.id, WrappedKey.holder == "reporter"))
    if wrapped is None:
        raise InvalidReceipt
    data_key = crypto.unseal(wrapping_key, wrapped, REPORTER_CONTEXT + wrap_context(report.id))
    return {
        field.name: crypto.unseal(data_key, field.ciphertext,
                                  crypto.field_context(report.id, field.name)).decode()
        for field in report.fields
    }
