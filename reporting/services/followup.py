"""What a student can do when they come back with their receipt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from reporting.domain import timeline
from reporting.domain.cases import Action, CaseStatus
from reporting.domain.errors import BelongError
from reporting.domain.roles import ChannelKind
from reporting.domain.words import N_
from reporting.models import Case, Channel, OutboxMessage, ReportChoice, WrappedKey
from reporting.services import audit
from reporting.services.casework import open_message, seal_message, touch, transition
from reporting.services.evidence import (
    CleanFile,
    open_evidence_data,
    open_evidence_name,
    seal_evidence,
)
from reporting.services.notifications import notify_handlers
from reporting.services.queries import team_handlers
from reporting.services.reports import (
    IDENTITY,
    Keys,
    answers_of,
    read_fields,
    wrap_for_handlers,
)


@dataclass(frozen=True)
class ShownMessage:
    """A message as the student sees it: who (channel or signed name), when, what."""

    from_student: bool
    author: str
    at: datetime
    text: str


@dataclass(frozen=True)
class Readers:
    """Who can read a report, as the student is told: its teams (the lead first) and, for a
    named report, those of them that see the name (None when anonymous)."""

    teams: list[Channel]
    named_to: list[Channel] | None


def readers_of(case: Case) -> Readers:
    """The teams that hold the case's keys, and which of them the student shared their
    name with (what the receipt and the follow-up page say)."""
    shared = set(case.report.chosen("share_identity"))
    return Readers(case.teams, None if case.report.anonymous
                   else [team for team in case.teams if team.kind in shared])


@dataclass(frozen=True)
class ReporterView:
    """Everything the receipt holder may see of their report."""

    case: Case
    fields: dict[str, str]
    answers: list[tuple[str, str]]  # (question, the words picked); none for a peer request
    messages: list[ShownMessage]
    files: list[tuple[str, str, str]]  # (id, name, type)
    shared_with: list[str]
    readers: Readers

    @property
    def history(self) -> list[timeline.Line]:
        """What has happened so far, in the student's words."""
        return timeline.for_student(self.case.events)


def reporter_view(case: Case, keys: Keys) -> ReporterView:
    """Decrypt the student's own report, messages and file names."""
    messages = [
        ShownMessage(
            from_student=m.author == "reporter",
            author=str(N_("You")) if m.author == "reporter" else (
                f"{m.staff.display_name}, {(m.channel or case.channel).shown_name}"
                if m.signed and m.staff else (m.channel or case.channel).shown_name),
            at=m.created_at,
            text=open_message(keys, case, m),
        )
        for m in case.messages
    ]
    files = [(e.id, open_evidence_name(keys.content, e), e.content_type)
             for e in case.report.evidence]
    return ReporterView(case, read_fields(case.report, keys), answers_of(case), messages,
                        files, case.report.chosen("share_identity"), readers_of(case))


def own_file(case: Case, keys: Keys, evidence_id: str) -> tuple[str, bytes] | None:
    """The name and bytes of one of the student's own files, or None if there is none."""
    evidence = next((e for e in case.report.evidence if e.id == evidence_id), None)
    if evidence is None:
        return None
    return (open_evidence_name(keys.content, evidence),
            open_evidence_data(keys.content, evidence))


def _still_open(case: Case) -> None:
    if case.case_status in (CaseStatus.WITHDRAWN, CaseStatus.CLOSED):
        raise BelongError(N_("This report is closed, so nothing more can be added to it."))


def _audit(session: Session, case: Case, action: str, **detail: object) -> None:
    audit.record(session, audit.school_chain(case.school_id), "reporter", action,
                 f"case:{case.id}", **detail)


def reply(session: Session, case: Case, keys: Keys, text: str) -> None:
    """The student writes to the handlers; if they were waiting for an answer, work resumes."""
    _still_open(case)
    seal_message(case, keys, text, author="reporter")
    touch(session, case, by_student=True)
    if case.case_status is CaseStatus.AWAITING_REPORTER:
        transition(session, case, Action.REPORTER_REPLIED, actor_kind="reporter")
    notify_handlers(session, case)
    _audit(session, case, "case.reporter_message")


def add_files(session: Session, case: Case, keys: Keys, files: list[CleanFile],
              limit: int) -> None:
    """Add evidence, up to the per-report limit."""
    _still_open(case)
    if len(case.report.evidence) + len(files) > limit:
        raise BelongError(N_("A report can hold at most %(limit)d files.") % {"limit": limit})
    case.report.evidence.extend(seal_evidence(case.report_id, keys.content, f) for f in files)
    touch(session, case, by_student=True)
    _audit(session, case, "case.reporter_files", count=len(files))


def change_sharing(session: Session, case: Case, keys: Keys,
                   channels: frozenset[ChannelKind]) -> None:
    """Change which channels may see the student's name and contact.

    Narrowing removes the identity key from the case's handlers at once; widening
    wraps it for them, team by team (a shared case has two). Only the student holds the
    key to do either.
    """
    report = case.report
    if report.anonymous or keys.identity is None:
        raise BelongError(N_("This report is anonymous: there is no name to share."))
    report.choices = [c for c in report.choices if c.question != "share_identity"] + [
        ReportChoice(question="share_identity", value=c.value) for c in sorted(channels)]
    session.execute(delete(WrappedKey).where(
        WrappedKey.report_id == report.id, WrappedKey.scope == IDENTITY,
        WrappedKey.holder == "staff"))
    _, named = team_handlers(session, case.teams, {c.value for c in channels}, case.id)
    session.add_all(wrap_for_handlers(report.id, IDENTITY, keys.identity, named))
    touch(session, case, by_student=True)
    _audit(session, case, "case.sharing_changed", channels=sorted(channels))


def withdraw(session: Session, case: Case) -> None:
    """The student withdraws the report: nobody acts on it, and no email goes to them."""
    transition(session, case, Action.WITHDRAW, actor_kind="reporter")
    if case.report.notify_email_sealed:  # queued reply emails go, with the address
        session.execute(delete(OutboxMessage).where(
            OutboxMessage.address_sealed == case.report.notify_email_sealed))
    case.report.notify_email_sealed = None
