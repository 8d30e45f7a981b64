"""A handler's work on a case: scoping, reading, claiming, moving on, notes."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from reporting.domain.cases import Action, InvalidTransition
from reporting.domain.errors import BelongError, Conflict
from reporting.domain.report import Want
from reporting.domain.roles import Role
from reporting.models import AuditEntry, Case, StaffUser
from reporting.services import handling
from reporting.services.casework import staff_keys
from tests import factories
from tests.services.test_reports import NAMED, private_key


@pytest.fixture
def officer(session, school):
    user = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    session.commit()
    return user


def test_cases_are_found_only_in_your_school_and_channels(session, school, officer):
    """Is a case of another channel or another school 'not found' for a handler?"""
    mine = factories.make_report(session, school).case
    peer_case = factories.make_report(session, school, wants=frozenset({
        Want.PEER})).case
    other_school = factories.make_school(session, slug="southbank")
    elsewhere = factories.make_report(session, other_school).case
    session.commit()
    assert handling.find_case(session, officer, mine.id) is mine
    for case in (peer_case, elsewhere):
        with pytest.raises(handling.CaseNotFound):
            handling.find_case(session, officer, case.id)


def test_opening_a_case_decrypts_it_and_audits_the_read(session, school, officer):
    """Does opening a case show its contents and write 'case.read' (without contents)?"""
    case = factories.make_report(session, school, narrative="Very private words.").case
    session.commit()
    view = handling.open_case(session, officer, private_key(officer), case)
    assert view.fields["narrative"] == "Very private words." and not view.identity_shared
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "case.read"))
    assert entry.actor == f"staff:{officer.id}" and "private" not in entry.detail


def test_claiming_twice_tells_the_second_who_has_it(session, school, officer):
    """When a case is already claimed, is the next claimant told clearly by whom?"""
    colleague = factories.make_staff(session, school, Role.PASTORAL_OFFICER, email="c@n.example")
    case = factories.make_report(session, school).case
    session.commit()
    handling.claim(session, officer, case)
    session.commit()
    with pytest.raises(handling.AlreadyClaimed, match="Pastoral officer has already claimed"):
        handling.claim(session, colleague, case)


def test_many_handlers_claiming_at_once_leaves_exactly_one_owner(engine, session, school):
    """With eight handlers claiming the same case at the same moment, does exactly one win?"""
    handlers = [factories.make_staff(session, school, Role.PASTORAL_OFFICER,
                                     email=f"h{n}@n.example") for n in range(8)]
    case_id = factories.make_report(session, school).case.id
    session.commit()
    ids = [h.id for h in handlers]
    barrier = threading.Barrier(len(ids))
    outcomes: dict[int, str] = {}

    def attempt(user_id: int) -> None:
        with Session(engine) as own:
            user = own.get(StaffUser, user_id)
            case = own.get(Case, case_id)
            barrier.wait()
            try:
                handling.claim(own, user, case)
                own.commit()
                outcomes[user_id] = "won"
            except handling.AlreadyClaimed as exc:
                outcomes[user_id] = str(exc)
            except Exception as exc:  # SQLite may refuse a concurrent writer outright
                outcomes[user_id] = f"busy: {exc.__class__.__name__}"

    threads = [threading.Thread(target=attempt, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    winners = [i for i, outcome in outcomes.items() if outcome == "won"]
    assert len(winners) == 1
    session.expire_all()
    assert session.get(Case, case_id).assignee_id == winners[0]
    told = [o for o in outcomes.values() if o != "won" and not o.startswith("busy")]
    assert all("has already claimed this case" in o for o in told)
    if engine.dialect.name == "postgresql":
        assert len(told) == len(ids) - 1  # PostgreSQL: every loser is told who has it


def test_a_stale_form_is_refused(session, school, officer):
    """If the case changed after the page was loaded, is the action refused, not applied?"""
    case = factories.make_report(session, school).case
    session.commit()
    seen = case.version
    handling.act(session, officer, case, Action.ACKNOWLEDGE, seen)
    session.commit()
    with pytest.raises(Conflict, match="changed since you opened it"):
        handling.act(session, officer, case, Action.START, seen)


def test_only_the_state_machine_moves_a_case(session, school, officer):
    """Is an action not allowed from the current status refused with the domain's words?"""
    case = factories.make_report(session, school).case
    session.commit()
    with pytest.raises(InvalidTransition):
        handling.act(session, officer, case, Action.CLOSE, case.version)


def test_deadline_follows_the_case(session, school, officer):
    """Is the deadline set at submission, moved at acknowledgement, cleared when resolved?"""
    case = factories.make_report(session, school).case
    session.commit()
    first = case.due_at
    handling.act(session, officer, case, Action.ACKNOWLEDGE, case.version)
    session.commit()
    assert case.due_at > first
    handling.act(session, officer, case, Action.RESOLVE, case.version)
    session.commit()
    assert case.due_at is None


def test_notes_are_private_and_encrypted(session, school, officer):
    """Is a handler's note sealed, readable by the channel, and not shown to the student?"""
    submitted = factories.make_report(session, school, identity=NAMED)
    case = submitted.case
    keys = staff_keys(session, officer, private_key(officer), case)
    note = handling.add_note(session, officer, keys, case, "Spoke to the placement lead.")
    session.commit()
    assert b"placement lead" not in note.body_sealed
    view = handling.open_case(session, officer, private_key(officer), case)
    assert view.notes[0][1] == "Spoke to the placement lead."


def test_assigning_only_to_colleagues_of_the_channel(session, school, officer):
    """Can a case be given to a colleague in its channel, and not to someone outside it?"""
    colleague = factories.make_staff(session, school, Role.PASTORAL_OFFICER, email="c@n.example")
    outsider = factories.make_staff(session, school, Role.PEER_SUPPORTER)
    case = factories.make_report(session, school).case
    session.commit()
    handling.assign(session, officer, case, colleague.id, case.version)
    session.commit()
    assert case.assignee_id == colleague.id
    with pytest.raises(BelongError):
        handling.assign(session, officer, case, outsider.id, case.version)


def test_a_finished_case_cannot_be_claimed(session, school, officer):
    """Can a withdrawn case be taken on? No: it has to be reopened first."""
    case = factories.make_report(session, school).case
    session.commit()
    handling.act(session, officer, case, Action.WITHDRAW, case.version)
    session.commit()
    with pytest.raises(BelongError, match="finished"):
        handling.claim(session, officer, case)
