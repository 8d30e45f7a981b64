"""The queue's counts by status and overdue: those of exactly the cases the handler sees."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import event, select

from reporting.domain.cases import Action
from reporting.domain.roles import Role
from reporting.models import Case, School
from reporting.models.base import utcnow
from reporting.services import conflicts, handling, peer, queries, queue_counts, retention
from tests import factories


def _seen(session, user) -> dict[str, int]:
    """The counts the slow way: every case the handler may see, counted in Python."""
    cases = session.scalars(select(Case).where(*queries.visible_to(user))).all()
    counts = Counter(case.status for case in cases if case.status not in queries.FINISHED)
    return {"overdue": sum(1 for c in cases if c.due_at and c.due_at < utcnow()), **counts}


def test_a_case_a_handler_is_kept_off_leaves_their_counts_overdue_included(session, school):
    """A lead keeps a colleague off an overdue case: is it gone from the colleague's status
    and overdue counts, still in the lead's, and do both equal what each one sees?"""
    lead = factories.make_staff(session, school, Role.PASTORAL_OFFICER, lead=True)
    colleague = factories.make_staff(session, school, Role.PASTORAL_OFFICER,
                                     email="colleague@n.example")
    cases = [factories.make_report(session, school).case for _ in range(3)]
    for case in cases[:2]:
        case.due_at = utcnow() - timedelta(days=1)
    cases[2].status = "closed"
    session.commit()
    conflicts.exclude_colleague(session, lead, cases[0], colleague.id, cases[0].version)
    session.commit()
    assert queue_counts.status_counts(session, lead) == _seen(session, lead) == {
        "overdue": 2, "submitted": 2}  # the closed case is not work: counted when asked for
    assert queue_counts.status_counts(session, colleague) == _seen(session, colleague) == {
        "overdue": 1, "submitted": 1}


def test_a_handler_with_no_cases_counts_nothing_overdue(session, school):
    """An empty queue: no status counted, and overdue zero (the page shows it always)."""
    user = factories.make_staff(session, school, Role.INSTITUTIONAL_OFFICER)
    session.commit()
    assert queue_counts.status_counts(session, user) == {"overdue": 0}


@pytest.mark.parametrize("page_size", [1, 50])
def test_the_total_is_the_same_from_the_counts_as_counted(session, school, monkeypatch,
                                                         page_size):
    """With a case the handler is kept off: is the queue's total, whether the page holds
    every match (50 a page) or not (1 a page: taken from the page's counts for a status filter
    alone, counted for any other filter), what the handler sees?"""
    monkeypatch.setattr(queries, "PAGE_SIZE", page_size)
    lead = factories.make_staff(session, school, Role.PASTORAL_OFFICER, lead=True)
    colleague = factories.make_staff(session, school, Role.PASTORAL_OFFICER,
                                     email="colleague@n.example")
    cases = [factories.make_report(session, school).case for _ in range(4)]
    cases[3].status = "closed"
    session.commit()
    conflicts.exclude_colleague(session, lead, cases[0], colleague.id, cases[0].version)
    session.commit()
    for user, open_cases in ((lead, 3), (colleague, 2)):
        counts = queue_counts.status_counts(session, user)
        for status, expected in (("open", open_cases), ("all", open_cases + 1),
                                 ("submitted", open_cases), ("closed", 1)):
            wanted = queries.QueueFilter(status=status)
            assert queries.handler_queue(session, user, wanted, counts)[1] == expected
            assert queries.handler_queue(session, user, wanted)[1] == expected
        narrowed = queries.QueueFilter(channel_id=cases[0].channel_id, sort="received")
        assert queries.handler_queue(session, user, narrowed, counts)[1] == open_cases
        found = queries.QueueFilter(reference=cases[0].reference)
        assert queries.handler_queue(session, user, found, counts)[1] == (user is lead)


def test_the_priority_order_read_run_by_run_is_the_whole_order(session, school, monkeypatch):
    """Urgent or not, with a deadline or none, the deadlines mixed: are the pages, read run
    by run from the index, the cases sorted whole (urgent first, nearest deadline, none last,
    oldest)?"""
    monkeypatch.setattr(queries, "PAGE_SIZE", 3)
    user = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    now = utcnow()
    for urgent, days in ((True, 5), (False, 1), (True, None), (False, None), (False, -2),
                         (True, -1), (False, 3)):
        case = factories.make_report(session, school).case
        case.urgent, case.due_at = urgent, None if days is None else now + timedelta(days=days)
    session.commit()
    pages = [queries.handler_queue(session, user, queries.QueueFilter(page=n))
             for n in (1, 2, 3)]
    shown = [row.case for rows, _ in pages for row in rows]
    whole = session.scalars(select(Case).where(*queries.visible_to(user)).order_by(
        *queries.ORDERS["priority"].columns())).all()
    assert shown == whole and len(shown) == 7
    assert [c.urgent for c in shown] == [True] * 3 + [False] * 4
    assert shown[2].due_at is None and shown[-1].due_at is None


@pytest.fixture
def fresh_counts(monkeypatch):
    """Each test starts with nothing kept (the kept counts live in the process)."""
    monkeypatch.setattr(queue_counts, "_kept", type(queue_counts._kept)())


def _counting(session) -> list[int]:
    counted = [0]
    event.listen(session.get_bind(), "before_cursor_execute",
                 lambda *args: counted.__setitem__(0, counted[0] + ("count(" in args[2])))
    return counted


def test_counts_are_kept_until_a_change_and_every_change_is_seen(session, school,
                                                                   fresh_counts):
    """Asked twice, are the counts counted once? And does each change (a report filed, a
    status, a handler kept off, a peer request accepted, a deletion) show at once?"""
    lead = factories.make_staff(session, school, Role.PASTORAL_OFFICER, lead=True)
    colleague = factories.make_staff(session, school, Role.PASTORAL_OFFICER,
                                     email="colleague@n.example")
    first = factories.make_report(session, school).case
    session.commit()
    counted = _counting(session)
    assert queue_counts.status_counts(session, colleague) == _seen(session, colleague)
    before = counted[0]
    assert queue_counts.status_counts(session, colleague) == _seen(session, colleague)
    assert counted[0] == before  # kept: nothing counted again
    second = factories.make_report(session, school).case
    session.commit()
    assert queue_counts.status_counts(session, colleague)["submitted"] == 2
    handling.act(session, lead, second, Action.ACKNOWLEDGE, second.version)
    session.commit()
    assert queue_counts.status_counts(session, colleague) == {
        "overdue": 0, "submitted": 1, "acknowledged": 1}
    conflicts.exclude_colleague(session, lead, first, colleague.id, first.version)
    session.commit()
    assert queue_counts.status_counts(session, colleague) == {"overdue": 0, "acknowledged": 1}
    retention.delete_on_request(session, second)
    session.commit()
    assert queue_counts.status_counts(session, colleague) == {"overdue": 0}
    assert queue_counts.status_counts(session, lead) == _seen(session, lead) == {
        "overdue": 0, "submitted": 1}


def test_a_peer_request_accepted_leaves_the_other_supporters_counts(session, school,
                                                                    fresh_counts):
    """Accepted by one supporter (a bulk update), does it leave the other's counts at once?"""
    one, other = (factories.make_staff(session, school, Role.PEER_SUPPORTER, email=e)
                  for e in ("one@n.example", "other@n.example"))
    case = peer.request_connection(session, school, frozenset({"race"})).case
    session.commit()
    assert queue_counts.status_counts(session, other)["submitted"] == 1
    peer.accept(session, one, case)
    session.commit()
    assert queue_counts.status_counts(session, other) == _seen(session, other) == {"overdue": 0}


def test_kept_counts_end_when_a_deadline_passes(session, school, fresh_counts, monkeypatch):
    """No write at all: does a case becoming overdue still show, the next deadline having
    passed?"""
    user = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    case = factories.make_report(session, school).case
    session.commit()
    assert queue_counts.status_counts(session, user)["overdue"] == 0
    later = case.due_at + timedelta(minutes=1)
    monkeypatch.setattr(queue_counts, "utcnow", lambda: later)
    assert queue_counts.status_counts(session, user)["overdue"] == 1


def test_what_this_transaction_has_not_committed_is_never_kept(session, school, fresh_counts):
    """Counted inside a transaction that changed a case and then rolled back: are the
    counts after the rollback the committed ones?"""
    user = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    session.commit()
    factories.make_report(session, school)
    session.flush()
    assert queue_counts.status_counts(session, user)["submitted"] == 1
    session.rollback()
    assert queue_counts.status_counts(session, user) == {"overdue": 0}


def test_generations_are_drawn_at_random_never_counted_up(session, school):
    """A database made again (a restore, a new test database) starts its schools with the
    same ids: are their generations drawn afresh, so counts kept for another state never
    match, and does a change draw a new one rather than add one?"""
    other = factories.make_school(session, slug="other")
    session.commit()
    first = session.scalar(select(School.queue_generation).where(School.id == school.id))
    assert first != session.scalar(select(School.queue_generation).where(
        School.id == other.id))
    factories.make_report(session, school)
    session.commit()
    drawn = session.scalar(select(School.queue_generation).where(School.id == school.id))
    assert drawn not in (first, first + 1)
