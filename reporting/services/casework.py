"""What happens to a case: transitions through the state machine, and messages."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from reporting import crypto
from reporting.domain import sla
from reporting.domain.cases import Action, CaseStatus, next_status
from reporting.domain.errors import BelongError
from reporting.domain.report import MESSAGE_MAX
from reporting.domain.words import N_
from reporting.models import Case, CaseEvent, Channel, Message, StaffUser, WrappedKey
from reporting.models.base import new_id, utcnow
from reporting.services import audit, stats
from reporting.services.reports import CONTENT, IDENTITY, Keys, wrap_context
from reporting.services.sla_policy import clock_events, policy_for


class NoAccess(BelongError):
    """This person holds no key for this case."""


def message_context(report_id: str, message_id: str) -> bytes:
    """Associated data binding a message to its report."""
    return crypto.field_context(report_id, f"message:{message_id}")


def refresh_deadline(case: Case, policy: sla.Policy | None = None) -> None:
    """Recompute the case's next deadline from its events under its channel's policy
    (domain.sla decides); pass the policy when recomputing many cases of one channel."""
    case.due_at = sla.next_deadline(case.case_status, policy or policy_for(case.channel),
                                    case.urgent, case.created_at, clock_events(case.events))


def touch(session: Session, case: Case, *, by_student: bool = False) -> None:
    """Record that something happened to the case now: the queue's last activity, and, for
    what the student sent, "new from the student". Not a new version of the case: a note
    or a message does not make a colleague's open form stale."""
    now = utcnow()
    session.execute(update(Case).where(Case.id == case.id).values(
        last_activity_at=now, **({"student_wrote_at": now} if by_student else {})))


def transition(session: Session, case: Case, action: Action, *, actor_kind: str,
               actor_id: int | None = None, reason: str = "") -> CaseStatus:
    """Move a case with the state machine (the only place that decides), recording an event."""
    before = case.case_status
    after = next_status(before, action)
    case.status = after.value
    case.events.append(CaseEvent(actor_kind=actor_kind, actor_id=actor_id, action=action.value,
                                 from_status=before.value, to_status=after.value,
                                 reason=reason, at=utcnow()))
    refresh_deadline(case)
    stats.refresh(session, case)
    touch(session, case, by_student=actor_kind == "reporter")
    actor = f"staff:{actor_id}" if actor_id else actor_kind
    audit.record(session, audit.school_chain(case.school_id), actor, f"case.{action.value}",
                 f"case:{case.id}", from_status=before.value, to_status=after.value)
    return after


def team_of(user: StaffUser, case: Case) -> Channel | None:
    """The team a handler works on this case for: the lead team, else the sharing team."""
    for team in case.teams:
        if team.id in user.channel_ids:
            return team
    return None


def staff_keys(session: Session, user: StaffUser, private_key: bytes, case: Case) -> Keys:
    """Unwrap a handler's keys for a case; identity only if the student shared it with them."""
    wrapped = dict(session.execute(select(WrappedKey.scope, WrappedKey.wrapped).where(
        WrappedKey.report_id == case.report_id, WrappedKey.holder == "staff",
        WrappedKey.staff_id == user.id)).all())
    if CONTENT not in wrapped or user.school_id != case.school_id:
        raise NoAccess(N_("You do not hold a key for this case."))
    return Keys(*(crypto.unwrap_key(private_key, wrapped[scope],
                                    wrap_context(case.report_id, scope))
                  if scope in wrapped else None for scope in (CONTENT, IDENTITY)))


def seal_message(case: Case, keys: Keys, text: str, **columns: object) -> Message:
    """A new message on a case, its body sealed under the content key."""
    body = text.strip()
    if not body or len(body) > MESSAGE_MAX:
        raise BelongError(N_("A message needs between 1 and %(max)s characters.")
                          % {"max": MESSAGE_MAX})
    message_id = new_id()
    message = Message(id=message_id, case_id=case.id, **columns,
                      body_sealed=crypto.seal(keys.content, body.encode(),
                                              message_context(case.report_id, message_id)))
    case.messages.append(message)
    return message


def open_message(keys: Keys, case: Case, message: Message) -> str:
    """The text of a message."""
    return crypto.unseal(keys.content, message.body_sealed,
                         message_context(case.report_id, message.id)).decode()


def post_staff_message(session: Session, user: StaffUser, keys: Keys, case: Case, text: str,
                       *, signed: bool = False, ask_reporter: bool = False) -> Message:
    """A handler writes to the student; optionally waiting for their answer.

    The message keeps the team it was written for (the case's lead, if the writer is in
    neither team), so it is still theirs after the case moves to another team."""
    team = team_of(user, case) or case.channel
    message = seal_message(case, keys, text, author="staff", staff_id=user.id, signed=signed,
                           channel=team)
    case.events.append(CaseEvent(actor_kind="staff", actor_id=user.id, action="staff_message",
                                 from_status=case.status, to_status=case.status, at=utcnow()))
    stats.refresh(session, case)
    touch(session, case)
    if ask_reporter:
        transition(session, case, Action.ASK_REPORTER, actor_kind="staff", actor_id=user.id)
    audit.record(session, audit.school_chain(case.school_id), f"staff:{user.id}",
                 "case.message", f"case:{case.id}")
    return message
