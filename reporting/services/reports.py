"""Submitting a report, and opening it again with a receipt."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from reporting import crypto
from reporting.domain import receipts, references, sla
from reporting.domain.cases import CaseStatus
from reporting.domain.errors import Conflict, InvalidReceipt
from reporting.domain.report import (
    IDENTITY_FIELDS,
    Ground,
    Impact,
    Responsible,
    Setting,
    Urgency,
    Want,
    When,
    answers_told,
)
from reporting.domain.roles import ChannelKind
from reporting.domain.routing import Answers, Decision
from reporting.models import (
    Case,
    CaseEvent,
    Report,
    ReportChoice,
    ReportField,
    School,
    StaffUser,
    WrappedKey,
)
from reporting.models.base import new_id, utcnow
from reporting.services import audit, placements, stats
from reporting.services.evidence import CleanFile, seal_evidence
from reporting.services.notifications import notify_handlers
from reporting.services.placements import alerts
from reporting.services.queries import team_handlers
from reporting.services.routing_rules import decide_for
from reporting.services.sla_policy import policy_for

CONTENT, IDENTITY = "content", "identity"
REFERENCE_TRIES = 5  # a clash is one in 887 million per case held: five in a row is a fault
REPORTER_CONTEXT = b"belong/reporter/"


def wrap_context(report_id: str, scope: str) -> bytes:
    """Associated data binding a wrapped key to its report and scope."""
    return f"belong/{scope}-key/{report_id}".encode()


@dataclass(frozen=True)
class Draft:
    """A student's answers, validated by the form, ready to store."""

    narrative: str
    setting: Setting
    responsible: Responsible
    impact: Impact
    urgency: Urgency
    grounds: frozenset[Ground]
    wants: frozenset[Want]
    occurred_kind: When = When.UNSURE
    occurred_on: date | None = None
    other_ground: str = ""
    not_safe: bool = False
    identity: dict[str, str] = field(default_factory=dict)  # empty when anonymous
    share_identity_with: frozenset[ChannelKind] = frozenset()
    # The team the student said the person responsible may work in (None: no, or unsure).
    works_in: ChannelKind | None = None
    chosen_channel: ChannelKind | None = None
    # The second teams the student was told would share the report (None: the caller showed
    # none in particular, so the rules decide). A team the student was not told of never is.
    also_shown: frozenset[ChannelKind] | None = None
    files: tuple[CleanFile, ...] = ()
    notify_address_sealed: bytes | None = None  # sealed by notifications.seal_address
    language: str = "en"  # the page's language: the student's emails are written in it
    # The placement provider named (a clinical placement only; None: "I'd rather not say").
    provider_id: int | None = None


@dataclass(frozen=True)
class Submitted:
    """A stored report, its case, and the receipt to show the student once."""

    report: Report
    case: Case
    receipt: str


@dataclass(frozen=True)
class Keys:
    """A report's two data keys; identity is None for holders not allowed to see it."""

    content: bytes
    identity: bytes | None


def _seal_fields(report_id: str, key: bytes, values: dict[str, str]) -> list[ReportField]:
    return [ReportField(name=name, ciphertext=crypto.seal(
        key, value.encode(), crypto.field_context(report_id, name)))
        for name, value in values.items() if value]


def wrap_for_handlers(report_id: str, scope: str, key: bytes,
                      handlers: list[StaffUser]) -> list[WrappedKey]:
    """A key wrapped for each handler's public key."""
    context = wrap_context(report_id, scope)
    return [WrappedKey(report_id=report_id, scope=scope, holder="staff", staff_id=handler.id,
                       wrapped=crypto.wrap_key(handler.public_key, key, context))
            for handler in handlers]


def _wraps(report_id: str, school: School, reporter_key: bytes, keys: Keys,
           readers: list[StaffUser], named_readers: list[StaffUser]) -> list[WrappedKey]:
    wraps = []
    for scope, key, handlers in ((CONTENT, keys.content, readers),
                                 (IDENTITY, keys.identity, named_readers)):
        context = wrap_context(report_id, scope)
        wraps += [
            WrappedKey(scope=scope, holder="escrow",
                       wrapped=crypto.wrap_key(school.escrow_public_key, key, context)),
            WrappedKey(scope=scope, holder="reporter",
                       wrapped=crypto.seal(reporter_key, key, REPORTER_CONTEXT + context)),
        ]
        wraps += wrap_for_handlers(report_id, scope, key, handlers)
    return wraps


def second_team(decision: Decision, chosen: ChannelKind,
                shown: frozenset[ChannelKind] | None) -> ChannelKind | None:
    """The team that shares the case with the lead: the rule's `also`, only while the
    student keeps the recommended lead team and only if they were told of it."""
    if chosen is not decision.channel:
        return None  # the student chose another team: only that team reads the report
    return next((kind for kind in decision.also if shown is None or kind in shown), None)


def already_sent(session: Session, submission_id: str | None) -> bool:
    """Has a report with this one-time submission id been stored?"""
    return bool(submission_id) and session.scalar(select(Report.id).where(
        Report.submission_digest == crypto.token_digest(submission_id))) is not None


def sent_case(session: Session, school: School, submission_id: str | None) -> Case | None:
    """The case stored under this one-time submission id at this school, if any."""
    if not submission_id:
        return None
    return session.scalar(select(Case).join(Report, Case.report_id == Report.id).where(
        Report.submission_digest == crypto.token_digest(submission_id),
        Report.school_id == school.id))


def reference_taken(session: Session, school_id: int, reference: str) -> bool:
    """Does a case of this school already have this reference?"""
    return session.scalar(select(Case.id).where(
        Case.school_id == school_id, Case.reference == reference)) is not None


def store_case(session: Session, case: Case) -> None:
    """Insert a new case under a fresh reference, drawing again if another case (even one
    sent at the same moment) has it: the unique constraint decides, inside a savepoint."""
    for _ in range(REFERENCE_TRIES):
        case.reference = references.new_reference()
        try:
            with session.begin_nested():
                session.add(case)
        except IntegrityError:
            if not reference_taken(session, case.school_id, case.reference):
                raise  # some other constraint: not ours to retry
            continue
        return
    raise Conflict("No free case reference was found. Please try again.")


def placement_provider(session: Session, school: School, draft: Draft) -> int | None:
    """The provider a clinical-placement report names: a current one of this school
    (raises ProviderNotFound for another school's, a retired one or nonsense)."""
    if draft.provider_id is None or draft.setting is not Setting.CLINICAL_PLACEMENT:
        return None
    return placements.find_provider(session, school.id, draft.provider_id, current=True).id


def submit_report(session: Session, school: School, draft: Draft,
                  submission_id: str | None = None, repeats: str | None = None) -> Submitted:
    """Encrypt and store a report with its case, keys, files, first event and audit entry.

    Everything joins the caller's transaction: the caller commits once, so either
    all of it exists or none of it does. A repeated submission id is refused. `repeats` is
    the submission id of an earlier copy the student sent but never saw the receipt of:
    the new case records that it repeats that one.
    """
    digest = crypto.token_digest(submission_id) if submission_id else None
    if already_sent(session, submission_id):
        raise Conflict("This report was already sent.")
    first = sent_case(session, school, repeats)
    decision = decide_for(session, school, Answers(
        wants=draft.wants, urgency=draft.urgency, not_safe=draft.not_safe,
        setting=draft.setting, responsible=draft.responsible, grounds=draft.grounds,
        named=bool(draft.identity), avoid=draft.works_in))
    chosen = draft.chosen_channel or decision.channel
    channel = school.channel(chosen)
    also_kind = second_team(decision, chosen, draft.also_shown)
    also = school.channel(also_kind) if also_kind else None
    receipt = receipts.new_receipt()
    reporter_key = crypto.derive_keys(receipts.normalise(receipt), school.receipt_salt,
                                      crypto.KdfParams.decode(school.receipt_kdf_params))
    report_id = new_id()  # chosen before the row exists: every ciphertext is bound to it
    keys = Keys(crypto.random_key(), crypto.random_key())
    report = Report(
        id=report_id, school_id=school.id, receipt_verifier=reporter_key.verifier,
        submission_digest=digest, anonymous=not draft.identity,
        occurred_kind=draft.occurred_kind.value, occurred_on=draft.occurred_on,
        setting=draft.setting.value, responsible=draft.responsible.value,
        impact=draft.impact.value, urgency=draft.urgency.value, not_safe=draft.not_safe,
        notify_email_sealed=draft.notify_address_sealed, language=draft.language,
        recommended_channel=decision.channel.value, chosen_channel=chosen.value,
        provider_id=placement_provider(session, school, draft),
    )
    report.fields = (
        _seal_fields(report_id, keys.content, {"narrative": draft.narrative,
                                               "other_ground": draft.other_ground,
                                               "works_in": draft.works_in or ""})
        + _seal_fields(report_id, keys.identity, draft.identity)
    )
    report.choices = (
        [ReportChoice(question="ground", value=g.value) for g in sorted(draft.grounds)]
        + [ReportChoice(question="want", value=w.value) for w in sorted(draft.wants)]
        + [ReportChoice(question="share_identity", value=c.value)
           for c in sorted(draft.share_identity_with) if draft.identity]
    )
    teams = [channel] + ([also] if also else [])
    handlers, named_handlers = team_handlers(
        session, teams, draft.share_identity_with if draft.identity else ())
    policy = policy_for(channel)  # the lead team's deadlines
    report.wrapped_keys = _wraps(report_id, school, reporter_key.key, keys,
                                 handlers, named_handlers)
    report.evidence = [seal_evidence(report_id, keys.content, f) for f in draft.files]
    now = utcnow()
    case = Case(school_id=school.id, report=report, channel=channel, also_channel=also,
                repeats=first, urgent=decision.urgent, status=CaseStatus.SUBMITTED.value,
                created_at=now, last_activity_at=now,
                due_at=sla.acknowledge_by(now, policy, decision.urgent))
    case.events.append(CaseEvent(actor_kind="reporter", action="submit", at=now,
                                 to_status=CaseStatus.SUBMITTED.value))
    session.add(report)
    session.flush()
    store_case(session, case)
    stats.refresh(session, case, policy, new=True)
    alerts.check_patterns(session, school, now)  # emails only the kind of pattern, later
    audit.record(session, audit.school_chain(school.id), "reporter", "report.submit",
                 f"case:{case.id}", channel=chosen.value,
                 overrode_recommendation=chosen is not decision.channel,
                 **({"also": also_kind.value} if also_kind else {}),
                 **({"repeats": f"case:{first.id}"} if first else {}))
    notify_handlers(session, case, handlers)
    return Submitted(report, case, receipt)


@dataclass(frozen=True)
class ReceiptAccess:
    """What a receipt opens: the report and the key that unwraps the reporter's data keys."""

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


def reporter_keys(session: Session, report: Report, wrapping_key: bytes) -> Keys:
    """Unwrap the reporter's copies of the report's data keys."""
    wrapped = dict(session.execute(select(WrappedKey.scope, WrappedKey.wrapped).where(
        WrappedKey.report_id == report.id, WrappedKey.holder == "reporter")).all())
    if CONTENT not in wrapped:
        raise InvalidReceipt
    return Keys(*(crypto.unseal(wrapping_key, wrapped[scope],
                                REPORTER_CONTEXT + wrap_context(report.id, scope))
                  for scope in (CONTENT, IDENTITY)))


def read_fields(report: Report, keys: Keys) -> dict[str, str]:
    """Decrypt the fields these keys may open (identity fields only with the identity key)."""
    opened = {}
    for item in report.fields:
        key = keys.identity if item.name in IDENTITY_FIELDS else keys.content
        if key is not None:
            opened[item.name] = crypto.unseal(
                key, item.ciphertext, crypto.field_context(report.id, item.name)).decode()
    return opened


def answers_of(case: Case, works_in: str = "", other_ground: str = "") -> list[tuple[str, str]]:
    """A report's answers as (the question asked, the words the student picked); a request
    to talk to a peer was asked none of them."""
    if case.kind == "peer_connection":
        return []
    report = case.report
    return answers_told(
        occurred_kind=report.occurred_kind, occurred_on=report.occurred_on,
        setting=report.setting, responsible=report.responsible,
        grounds=report.chosen("ground"), impact=report.impact, urgency=report.urgency,
        wants=report.chosen("want"), works_in=works_in, other_ground=other_ground,
        provider=report.provider.name if report.provider else "")
