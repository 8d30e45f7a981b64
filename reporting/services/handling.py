"""A handler's work on one case: open it, claim or assign it, move it on, write notes."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from reporting import crypto
from reporting.domain import timeline
from reporting.domain.cases import Action, may_act
from reporting.domain.errors import BelongError, Conflict
from reporting.domain.report import MESSAGE_MAX
from reporting.domain.words import N_
from reporting.models import (
    Case,
    CaseExclusion,
    CaseNote,
    CaseRead,
    ConsentRequest,
    Message,
    StaffUser,
)
from reporting.models.base import new_id, utcnow
from reporting.services import access_log, audit
from reporting.services.casework import (
    open_message,
    post_staff_message,
    staff_keys,
    touch,
    transition,
)
from reporting.services.evidence import open_evidence_data, open_evidence_name
from reporting.services.queries import FINISHED, channel_handlers, kept_off, visible_to
from reporting.services.queue_counts import queue_changed
from reporting.services.reports import Keys, answers_of, read_fields


class CaseNotFound(BelongError):
    """No such case in this person's school and channels (said the same either way)."""


class AlreadyClaimed(Conflict):
    """Someone else owns the case."""


def find_case(session: Session, user: StaffUser, case_id: str) -> Case:
    """A case of the user's school and channels, or CaseNotFound."""
    case = session.scalar(select(Case).where(Case.id == case_id, *visible_to(user)))
    if case is None:
        raise CaseNotFound(N_("There is no such case in your queue."))
    return case


def leads(user: StaffUser, case: Case) -> bool:
    """Is the handler in the team that leads the case (not only the one it is shared with)?"""
    return case.channel_id in user.channel_ids


def check_may(user: StaffUser, case: Case, action: str) -> None:
    """Refuse what only the lead team may do to a shared case (domain.cases decides)."""
    if not may_act(action, leads(user, case)):
        raise BelongError(N_("%(team)s leads this case, so only they can do that. Your team "
                             "can read it, acknowledge it, write to the student and add "
                             "notes.") % {"team": case.channel.shown_name})


def check_version(case: Case, seen: int | None) -> None:
    """Refuse a form made from an older state of the case (optimistic concurrency)."""
    if seen != case.version:
        raise Conflict(N_("This case changed since you opened it. Nothing was saved: read "
                          "the latest version below and try again."))


def _audit(session: Session, user: StaffUser, case: Case, action: str, **detail) -> None:
    audit.record(session, audit.school_chain(case.school_id), f"staff:{user.id}", action,
                 f"case:{case.id}", **detail)


@dataclass(frozen=True)
class CaseView:
    """A case decrypted for one handler, with what they may see and no more."""

    case: Case
    fields: dict[str, str]
    answers: list[tuple[str, str]]  # (question, the words picked); none for a peer request
    messages: list[tuple[object, str]]
    notes: list[tuple[CaseNote, str]]
    files: list[tuple[object, str]]
    identity_shared: bool
    repeated_by: list[Case]  # later copies the student sent, never having seen its receipt
    kept_off: list[timeline.KeptOff]  # handlers kept off it for a conflict of interest

    @property
    def history(self) -> list[timeline.Line]:
        """Every event of the case, and each move the student was asked to agree to, in a
        handler's words."""
        return timeline.for_staff(self.case.events, [
            timeline.Consent(r.created_at, r.to_channel.shown_name, r.reason, r.decided_at,
                             r.decision) for r in self.case.consent_requests], self.kept_off)

    @property
    def declined(self) -> list[ConsentRequest]:
        """The moves to another team that the student said no to."""
        return [r for r in self.case.consent_requests if r.decision == "declined"]


def note_context(case: Case, note_id: str) -> bytes:
    """Associated data binding a note to its report."""
    return crypto.field_context(case.report_id, f"note:{note_id}")


def open_case(session: Session, user: StaffUser, private_key: bytes, case: Case) -> CaseView:
    """Decrypt a case for a handler and record that they read it."""
    keys = staff_keys(session, user, private_key, case)
    _audit(session, user, case, "case.read")
    _mark_read(session, user, case)
    fields = read_fields(case.report, keys)
    return CaseView(
        case=case,
        fields=fields,
        answers=answers_of(case, fields.get("works_in", ""), fields.get("other_ground", "")),
        messages=[(m, open_message(keys, case, m)) for m in case.messages],
        notes=[(n, crypto.unseal(keys.content, n.body_sealed, note_context(case, n.id)).decode())
               for n in case.notes],
        files=[(e, open_evidence_name(keys.content, e)) for e in case.report.evidence],
        identity_shared=keys.identity is not None,
        repeated_by=list(session.scalars(select(Case).where(
            Case.repeats_case_id == case.id).order_by(Case.created_at))),
        kept_off=_kept_off(session, case),
    )


def _kept_off(session: Session, case: Case) -> list[timeline.KeptOff]:
    """Who was kept off the case, when, and by whom if not by themselves."""
    names = access_log.staff_names(session, case.school_id)
    return [timeline.KeptOff(e.at, names.get(e.staff_id, N_("A former colleague")),
                             names.get(e.by_staff_id, N_("A lead")) if e.kind == "excluded"
                             else None)
            for e in session.scalars(select(CaseExclusion).where(
                CaseExclusion.case_id == case.id))]


def _mark_read(session: Session, user: StaffUser, case: Case) -> None:
    """Remember when this handler last opened the case (one row each, however many tabs)."""
    now = utcnow()
    dialect = {"postgresql": postgresql, "sqlite": sqlite}[session.get_bind().dialect.name]
    session.execute(dialect.insert(CaseRead).values(case_id=case.id, staff_id=user.id,
                                                    read_at=now)
                    .on_conflict_do_update(index_elements=["case_id", "staff_id"],
                                           set_={"read_at": now}))


def open_evidence(session: Session, user: StaffUser, private_key: bytes, case: Case,
                  evidence_id: str) -> tuple[str, bytes]:
    """The name and bytes of one evidence file, audited."""
    keys = staff_keys(session, user, private_key, case)
    evidence = next((e for e in case.report.evidence if e.id == evidence_id), None)
    if evidence is None:
        raise CaseNotFound(N_("There is no such file."))
    _audit(session, user, case, "case.evidence_read")
    return (open_evidence_name(keys.content, evidence),
            open_evidence_data(keys.content, evidence))


def claim(session: Session, user: StaffUser, case: Case) -> None:
    """Claim an unassigned, unfinished case of the user's lead team. A peer request is
    accepted instead (services.peer.accept), which leaves the keys with the supporter alone."""
    if case.kind == "peer_connection":
        raise BelongError(N_("A request to talk to a peer is accepted, not claimed: "
                             "accepting it makes sure only you can read it."))
    check_may(user, case, "claim")
    take(session, user, case)


def take(session: Session, user: StaffUser, case: Case) -> None:
    """Make the user the case's owner if nobody is, never someone kept off it. Under
    concurrency exactly one wins."""
    if kept_off(session, case.id, user.id):
        raise BelongError(N_("You stepped away from this case or were kept off it, so you "
                             "cannot take it on."))
    won = session.execute(
        update(Case).where(Case.id == case.id, Case.assignee_id.is_(None),
                           Case.status.not_in(FINISHED))
        .values(assignee_id=user.id, version=Case.version + 1, last_activity_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if not won:
        session.rollback()
        owner = session.scalar(select(StaffUser.display_name).join(
            Case, Case.assignee_id == StaffUser.id).where(Case.id == case.id))
        if owner is None:
            raise BelongError(N_("This case is finished: reopen it before taking it on."))
        raise AlreadyClaimed(N_("%(name)s has already claimed this case.") % {"name": owner})
    queue_changed(session, case.school_id)  # a peer request leaves the others' queues
    session.refresh(case)
    _audit(session, user, case, "case.claim")


def assign(session: Session, user: StaffUser, case: Case, to_id: int, seen: int) -> None:
    """Give the case to a colleague in its lead channel (or back to nobody with to_id 0)."""
    check_version(case, seen)
    if case.kind == "peer_connection":
        raise BelongError(N_("A peer request belongs to the supporter who accepted it."))
    check_may(user, case, "assign")
    if to_id and to_id not in {h.id for h in channel_handlers(session, case.channel_id,
                                                              case.id)}:
        raise BelongError(N_("Choose someone who works in this case's channel and is not "
                             "kept off it."))
    case.assignee_id = to_id or None
    touch(session, case)
    _audit(session, user, case, "case.assign", to=f"staff:{to_id}" if to_id else "nobody")


def act(session: Session, user: StaffUser, case: Case, action: Action, seen: int,
        reason: str = "") -> None:
    """Move the case along the state machine, from the state the handler saw (a shared
    case's second team may only acknowledge it)."""
    check_may(user, case, action.value)
    check_version(case, seen)
    transition(session, case, action, actor_kind="staff", actor_id=user.id, reason=reason)


def write_to_student(session: Session, user: StaffUser, keys: Keys, case: Case, text: str,
                     seen: int, *, signed: bool = False, ask: bool = False) -> Message:
    """A message to the student, from the state the handler saw. Asking a question stops
    the lead team's clock, so a shared case's second team may write but not ask."""
    check_version(case, seen)
    if ask:
        check_may(user, case, Action.ASK_REPORTER.value)
    return post_staff_message(session, user, keys, case, text, signed=signed, ask_reporter=ask)


def add_note(session: Session, user: StaffUser, keys: Keys, case: Case, text: str,
             kind: str = "note") -> CaseNote:
    """A private note (or the recorded outcome), readable by the channel's handlers only."""
    body = text.strip()
    if not body or len(body) > MESSAGE_MAX:
        raise BelongError(N_("A note needs between 1 and %(max)s characters.")
                          % {"max": MESSAGE_MAX})
    note_id = new_id()
    note = CaseNote(id=note_id, case_id=case.id, kind=kind, staff_id=user.id,
                    body_sealed=crypto.seal(keys.content, body.encode(),
                                            note_context(case, note_id)))
    case.notes.append(note)
    touch(session, case)
    _audit(session, user, case, f"case.{kind}")
    return note
