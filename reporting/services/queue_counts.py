"""The queue's counts by status and overdue, kept by each app process until they change.

Counting a handler's unfinished cases reads an index entry for each of them: at 100,000
cases, more than any other part of a queue page. So each process keeps a handler's counts
with the school's queue generation (schools.queue_generation, drawn at random) they were made
at, and the
next deadline that would make a case overdue. The generation is drawn anew, in the same
transaction, with every change the counts are made of: a case filed, deleted, moved, shared,
given a new status, deadline or owner, and a handler kept off one. A change of the handler's
teams changes the key. So a page never shows counts older than the database it reads.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime

from sqlalchemy import case as when
from sqlalchemy import event, func, inspect, select, update
from sqlalchemy.orm import Session

from reporting.models import Case, CaseExclusion, School, StaffUser
from reporting.models.base import new_generation, utcnow
from reporting.services.queries import UNFINISHED, _counted, visible_to

KEPT = 1000  # handlers whose counts a process keeps
WATCHED = ("status", "channel_id", "also_channel_id", "due_at", "assignee_id", "kind")
_kept: OrderedDict[tuple, tuple[int, datetime | None, dict[str, int]]] = OrderedDict()


def status_counts(session: Session, user: StaffUser) -> dict[str, int]:
    """How many unfinished cases of each status are in the handler's channels (the work the
    queue is for), plus 'overdue'. Finished cases are counted when a filter asks for them:
    they are most of a school's cases."""
    generation = session.scalar(select(School.queue_generation).where(
        School.id == user.school_id))
    key, now = (user.id, user.school_id, tuple(sorted(user.channel_ids))), utcnow()
    found = _kept.get(key)
    if found and found[0] == generation and (found[1] is None or now < found[1]):
        _kept.move_to_end(key)
        return dict(found[2])
    counts = _count(session, user, now)
    if not session.info.get("queue_changed"):  # never what this transaction has not committed
        _kept[key] = (generation, _next_deadline(session, user, now), counts)
        if len(_kept) > KEPT:
            _kept.popitem(last=False)
    return dict(counts)


def _count(session: Session, user: StaffUser, now: datetime) -> dict[str, int]:
    sums = _counted(session, user, None, [Case.status.in_(UNFINISHED)], func.count(),
                    func.count(when((Case.due_at < now, 1))), by=Case.status)
    return {"overdue": sum(late for _, late in sums.values()),
            **{status: n for status, (n, _) in sums.items() if n}}


def _next_deadline(session: Session, user: StaffUser, now: datetime) -> datetime | None:
    """When the next of the handler's cases becomes overdue: the counts last until then
    (the cases they are kept off included, which can only end them sooner)."""
    return session.scalar(select(func.min(Case.due_at)).where(
        *visible_to(user, kept_off=False), Case.status.in_(UNFINISHED), Case.due_at >= now))


def queue_changed(session: Session, school_id: int) -> None:
    """Move the school's queue generation on, in this transaction (for a change made with a
    bulk statement, which the flush below does not see)."""
    _move_on(session, School.id == school_id)


def _move_on(session: Session, which) -> None:
    session.info["queue_changed"] = True
    session.connection().execute(update(School).where(which).values(
        queue_generation=new_generation()))


def _changes_counts(case: Case) -> bool:
    state = inspect(case)
    return any(state.attrs[name].history.has_changes() for name in WATCHED)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context) -> None:
    """Every case filed, deleted or changed in what the counts read, and every handler kept
    off a case, moves its school's generation on."""
    schools = {thing.school_id for thing in (*session.new, *session.deleted, *session.dirty)
               if isinstance(thing, Case) and (thing not in session.dirty
                                               or _changes_counts(thing))}
    cases = {thing.case_id for thing in (*session.new, *session.deleted)
             if isinstance(thing, CaseExclusion)}
    if schools:
        _move_on(session, School.id.in_(schools))
    if cases:
        _move_on(session, School.id.in_(select(Case.school_id).where(Case.id.in_(cases))))


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _transaction_ended(session: Session) -> None:
    session.info.pop("queue_changed", None)
