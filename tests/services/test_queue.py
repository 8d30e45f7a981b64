"""The handler's queue as a service: search by reference, filters, orders, last activity,
"new from the student", the saved view and the metadata export, with no pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from reporting.domain.errors import Conflict
from reporting.domain.report import Ground, Setting, Urgency, Want
from reporting.domain.roles import ChannelKind, Role
from reporting.models import Case
from reporting.models.base import utcnow
from reporting.services import followup, handling, peer, queries, queue_export
from reporting.services.casework import staff_keys
from reporting.services.reports import reporter_keys
from reporting.services.staff import save_queue_view
from tests import factories
from tests.services.test_reports import private_key

Q = queries.QueueFilter


@pytest.fixture
def officer(session, school):
    made = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    session.commit()
    return made


def _shown(session, user, **wanted) -> list[Case]:
    return [row.case for row in queries.handler_queue(session, user, Q(**wanted))[0]]


def _aged(session, case: Case, days: int) -> Case:
    """Make a case look as if it came `days` ago (its activity then too)."""
    then = utcnow() - timedelta(days=days)
    session.execute(update(Case).where(Case.id == case.id).values(
        created_at=then, last_activity_at=then))
    session.commit()
    session.refresh(case)
    return case


def test_a_reference_finds_its_case_however_typed_and_whatever_else_is_asked(
        session, school, officer):
    """Does "nf 7k3q" find NF-7K3Q, even closed and against other filters, and nothing
    else; and does another school's reference find nothing?"""
    wanted = factories.make_report(session, school).case
    factories.make_report(session, school)
    other = factories.make_report(session, factories.make_school(session, slug="other")).case
    session.commit()
    typed = wanted.reference.lower().replace("-", " ")
    assert _shown(session, officer, reference=typed, status="closed",
                  urgency="urgent") == [wanted]
    assert _shown(session, officer, reference=other.reference) == []
    assert _shown(session, officer, reference="not a reference") == []


def test_ground_setting_and_received_dates_narrow_the_queue(session, school, officer):
    """Do a ground, a setting and a received-date range each keep only what matches?"""
    race = _aged(session, factories.make_report(session, school).case, 40)
    religion = _aged(session, factories.make_report(
        session, school, grounds=frozenset({Ground.RELIGION_BELIEF, Ground.SEX}),
        setting=Setting.ONLINE).case, 10)
    today = factories.make_report(session, school, grounds=frozenset({Ground.SEX})).case
    session.commit()
    assert set(_shown(session, officer, ground="sex")) == {religion, today}
    assert _shown(session, officer, ground="religion_belief") == [religion]
    assert _shown(session, officer, setting="online") == [religion]
    days_ago = utcnow().date() - timedelta(days=20)
    assert set(_shown(session, officer, since=days_ago)) == {religion, today}
    assert _shown(session, officer, until=days_ago) == [race]
    assert _shown(session, officer, since=days_ago, until=days_ago + timedelta(days=15),
                  ground="sex") == [religion]


def test_each_order_sorts_across_pages(session, school, officer, monkeypatch):
    """Received (newest first), deadline and last activity: right order, paged as one?"""
    monkeypatch.setattr(queries, "PAGE_SIZE", 2)
    old = _aged(session, factories.make_report(session, school).case, 30)
    middle = _aged(session, factories.make_report(session, school).case, 20)
    new = factories.make_report(session, school, urgency=Urgency.HIGH).case
    session.commit()
    paged = [*_shown(session, officer, sort="received"),
             *_shown(session, officer, sort="received", page=2)]
    assert paged == [new, middle, old]
    keys = staff_keys(session, officer, private_key(officer), old)
    handling.add_note(session, officer, keys, old, "Rang the placement lead.")
    session.commit()
    assert _shown(session, officer, sort="activity")[0] == old
    by_deadline = _shown(session, officer, sort="deadline") + _shown(
        session, officer, sort="deadline", page=2)
    assert by_deadline == sorted(by_deadline, key=lambda c: c.due_at)


def test_what_the_student_sends_is_new_until_the_handler_opens_the_case(
        session, school, officer):
    """A student's message marks the case "new" for each handler until that handler opens
    it; a handler's own message is activity, not news."""
    colleague = factories.make_staff(session, school, Role.PASTORAL_OFFICER,
                                     email="colleague@x.example")
    submitted = factories.make_report(session, school)
    case = submitted.case
    session.commit()

    def news(user) -> bool:
        return queries.handler_queue(session, user, Q())[0][0].news

    assert not news(officer)
    keys = staff_keys(session, officer, private_key(officer), case)
    handling.write_to_student(session, officer, keys, case, "Can we talk?", case.version)
    session.commit()
    assert not news(officer) and case.last_activity_at > case.created_at
    student = reporter_keys(session, case.report, factories.reporter_wrapping_key(
        session, school, submitted.receipt))
    followup.reply(session, case, student, "Yes, on Tuesday.")
    session.commit()
    assert news(officer) and news(colleague)
    handling.open_case(session, officer, private_key(officer), case)
    session.commit()
    assert not news(officer) and news(colleague)


def test_peer_requests_are_told_apart(session, school):
    """Does a peer request reach a supporter's queue, and its export, as a peer request,
    beside a report the student chose to send to the peer team?"""
    supporter = factories.make_staff(session, school, Role.PEER_SUPPORTER)
    factories.make_report(session, school, wants=frozenset({Want.PEER}),
                          chosen_channel=ChannelKind.PEER)
    peer.request_connection(session, school, frozenset({"race"}))
    session.commit()
    assert sorted(c.kind for c in _shown(session, supporter)) == ["peer_connection", "report"]
    exported = queue_export.queue_export(session, supporter, Q())
    [row] = [r for r in queue_export.queue_csv_rows(exported)
             if r[1] == "peer request"]


def test_the_export_holds_the_shown_metadata_and_no_content(session, school, officer):
    """Does the CSV hold each case's metadata in the queue's order, and nothing a
    student wrote?"""
    factories.make_report(session, school, narrative="CANARY-NARRATIVE words")
    factories.make_report(session, school, urgency=Urgency.HIGH)
    session.commit()
    rows = list(queue_export.queue_csv_rows(queue_export.queue_export(session, officer, Q())))
    assert rows[0][:3] == ["reference", "kind", "received_utc"] and len(rows) == 3
    assert rows[1][4] == "urgent" and rows[2][4] == "routine"
    assert "CANARY" not in repr(rows)


def test_a_saved_view_is_one_persons_and_bounded(session, school, officer):
    """Is a saved view kept for its handler only, forgotten on request, and refused when
    it is too long to keep?"""
    save_queue_view(session, officer, "ground=race&sort=received")
    session.commit()
    assert officer.queue_view == "ground=race&sort=received"
    save_queue_view(session, officer, None)
    assert officer.queue_view is None
    with pytest.raises(Conflict):
        save_queue_view(session, officer, "x" * 501)
