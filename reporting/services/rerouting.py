"""Who may read a case: re-routing (with the student's consent when it widens), and
escrow grants for handlers who joined after a case was filed."""

from __future__ import annotations

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from reporting import crypto
from reporting.domain.errors import BelongError
from reporting.domain.words import N_
from reporting.models import (
    Case,
    CaseEvent,
    Channel,
    ConsentRequest,
    School,
    StaffUser,
    WrappedKey,
)
from reporting.models.base import utcnow
from reporting.services import audit, stats
from reporting.services.casework import refresh_deadline, touch
from reporting.services.handling import check_may
from reporting.services.notifications import notify_handlers, notify_reporter
from reporting.services.queries import channel_handlers, not_excluded
from reporting.services.reports import CONTENT, IDENTITY, Keys, wrap_context, wrap_for_handlers
from reporting.services.schools import ESCROW_CONTEXT


class WrongPassphrase(BelongError):
    """The escrow passphrase does not open the school's escrow key."""


def key_holders(session: Session, case: Case, scope: str = CONTENT) -> set[int]:
    """The handlers who hold a key of this scope for the case."""
    return set(session.scalars(select(WrappedKey.staff_id).where(
        WrappedKey.report_id == case.report_id, WrappedKey.scope == scope,
        WrappedKey.holder == "staff")))


def request_reroute(session: Session, user: StaffUser, case: Case, to_channel: Channel,
                    reason: str) -> ConsentRequest | None:
    """Move a case to another channel of its school.

    If that would let anyone new read the report, the student is asked through their
    receipt inbox and nothing moves until they agree (returns the request). Otherwise
    (narrowing) the case moves at once and readers outside the new channel lose their keys.
    A shared case moves whole: afterwards the new channel alone reads it, so the team it
    was shared with loses its keys too (moving to that team is narrowing, and immediate).
    """
    check_may(user, case, "reroute")  # only the lead team moves a shared case
    reason = reason.strip()
    if not reason:
        raise BelongError(N_("Say why the case should move: the student will see it."))
    if to_channel.school_id != case.school_id or to_channel.id == case.channel_id:
        raise BelongError(N_("Choose another channel of this school."))
    target = {h.id for h in channel_handlers(session, to_channel.id, case.id)}
    # A team with nobody in it yet is not "narrower": whoever joins later would read it.
    widens = not target or bool(target - key_holders(session, case))
    audit.record(session, audit.school_chain(case.school_id), f"staff:{user.id}",
                 "case.reroute_requested", f"case:{case.id}", to=to_channel.kind,
                 needs_consent=widens)
    if widens:
        request = ConsentRequest(case_id=case.id, requested_by=user.id,
                                 to_channel_id=to_channel.id, reason=reason)
        case.consent_requests.append(request)
        notify_reporter(session, case.report)
        return request
    _move(session, case, to_channel, reason, actor=f"staff:{user.id}")
    return None


def _move(session: Session, case: Case, to_channel: Channel, reason: str, actor: str) -> None:
    """Re-route: only the new channel's handlers keep keys (a second team is no longer
    shared with); the move is an event."""
    keep = {h.id for h in channel_handlers(session, to_channel.id, case.id)}
    session.execute(delete(WrappedKey).where(
        WrappedKey.report_id == case.report_id, WrappedKey.holder == "staff",
        WrappedKey.staff_id.not_in(keep or {0})))
    from_kind = case.channel.kind
    shared = case.also_channel.kind if case.also_channel else None
    case.channel = to_channel
    case.also_channel = None
    case.assignee_id = None
    case.events.append(_reroute_event(
        case, actor, f"{from_kind} (also {shared})" if shared else from_kind, to_channel.kind,
        reason))
    refresh_deadline(case)
    stats.refresh(session, case)
    touch(session, case, by_student=actor == "reporter")
    notify_handlers(session, case)
    audit.record(session, audit.school_chain(case.school_id), actor, "case.reroute",
                 f"case:{case.id}", frm=from_kind, to=to_channel.kind,
                 **({"unshared": shared} if shared else {}))


def _reroute_event(case: Case, actor: str, from_kind: str, to_kind: str,
                   reason: str) -> CaseEvent:
    staff_id = int(actor.split(":")[1]) if actor.startswith("staff:") else None
    return CaseEvent(actor_kind="staff" if staff_id else "reporter", actor_id=staff_id,
                     action="reroute", from_status=case.status, to_status=case.status,
                     reason=f"{from_kind} -> {to_kind}: {reason}"[:500], at=utcnow())


def decide_consent(session: Session, case: Case, keys: Keys, request: ConsentRequest,
                   approve: bool) -> None:
    """The student agrees (keys are wrapped for the new channel, the case moves) or declines."""
    if request.case_id != case.id or request.decided_at is not None:
        raise BelongError(N_("That request has already been answered."))
    request.decided_at = utcnow()
    request.decision = "approved" if approve else "declined"
    audit.record(session, audit.school_chain(case.school_id), "reporter",
                 f"case.reroute_{request.decision}", f"case:{case.id}")
    if not approve:
        touch(session, case, by_student=True)
        return
    target = request.to_channel
    handlers = channel_handlers(session, target.id, case.id)
    holders = key_holders(session, case)
    newcomers = [h for h in handlers if h.id not in holders]
    session.add_all(wrap_for_handlers(case.report_id, CONTENT, keys.content, newcomers))
    if keys.identity is not None and target.kind in case.report.chosen("share_identity"):
        named = key_holders(session, case, IDENTITY)  # perhaps through the sharing team
        session.add_all(wrap_for_handlers(case.report_id, IDENTITY, keys.identity,
                                          [h for h in handlers if h.id not in named]))
    _move(session, case, target, request.reason, actor="reporter")


def unlock_escrow(school: School, passphrase: str) -> bytes:
    """The school's escrow private key, opened with the admins' passphrase."""
    params = crypto.KdfParams.decode(school.escrow_kdf_params)
    kek = crypto.derive_keys(passphrase, school.escrow_kdf_salt, params).key
    try:
        return crypto.unseal(kek, school.escrow_private_sealed, ESCROW_CONTEXT)
    except crypto.CryptoError:
        raise WrongPassphrase(N_("That passphrase does not open the escrow key.")) from None


def open_escrow(session: Session, admin: StaffUser, school: School, passphrase: str,
                target: str) -> bytes:
    """The school's escrow key for an admin of that school; a wrong passphrase is audited
    (against `target`, the grant's subject) and raises WrongPassphrase."""
    if admin.school_id != school.id:
        raise BelongError(N_("Choose a handler of your own school."))
    try:
        return unlock_escrow(school, passphrase)
    except WrongPassphrase:
        audit.record(session, audit.school_chain(school.id), f"staff:{admin.id}",
                     "escrow.unlock_failed", target)
        raise


def grant_from_escrow(session: Session, admin: StaffUser, school: School, passphrase: str,
                      handler: StaffUser) -> int:
    """Give a handler the keys of every case in their channels (leading or sharing it)
    that they cannot yet read, except those they are kept off (a conflict of interest).

    Identity keys are granted only where the student shared their identity with a channel
    of the case that the handler works in. Returns how many cases were granted.
    """
    if handler.school_id != school.id:
        raise BelongError(N_("Choose a handler of your own school."))
    escrow = open_escrow(session, admin, school, passphrase, f"staff:{handler.id}")
    return grant_with_escrow(session, admin, escrow, handler)


def grant_with_escrow(session: Session, admin: StaffUser, escrow: bytes,
                      handler: StaffUser) -> int:
    """grant_from_escrow with the escrow key already open (one unlock for several handlers)."""
    school_id = handler.school_id
    if admin.school_id != school_id or not handler.active:
        raise BelongError(N_("Choose an active handler of your own school."))
    mine = handler.channel_ids or {0}
    cases = session.scalars(select(Case).where(
        Case.school_id == school_id,
        or_(Case.channel_id.in_(mine), Case.also_channel_id.in_(mine)),
        not_excluded(handler.id)))
    granted = 0
    for case in cases:
        accepted_by_another = (case.kind == "peer_connection" and case.assignee_id
                               and case.assignee_id != handler.id)
        if accepted_by_another or handler.id in key_holders(session, case):
            continue
        wrapped = dict(session.execute(select(WrappedKey.scope, WrappedKey.wrapped).where(
            WrappedKey.report_id == case.report_id, WrappedKey.holder == "escrow")).all())
        scopes = [CONTENT]
        shared_with = set(case.report.chosen("share_identity"))
        if IDENTITY in wrapped and any(team.kind in shared_with and team.id in mine
                                       for team in case.teams):
            scopes.append(IDENTITY)
        for scope in scopes:
            key = crypto.unwrap_key(escrow, wrapped[scope], wrap_context(case.report_id, scope))
            session.add_all(wrap_for_handlers(case.report_id, scope, key, [handler]))
        granted += 1
    audit.record(session, audit.school_chain(school_id), f"staff:{admin.id}", "escrow.grant",
                 f"staff:{handler.id}", cases=granted)
    return granted
