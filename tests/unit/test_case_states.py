"""The case state machine: every status against every action."""

from __future__ import annotations

import pytest

from reporting.domain.cases import (
    TRANSITIONS,
    Action,
    CaseStatus,
    InvalidTransition,
    allowed_actions,
    may_act,
    next_status,
    taking_on,
)

S, A = CaseStatus, Action
EXPECTED = {
    S.SUBMITTED: {A.ACKNOWLEDGE: S.ACKNOWLEDGED, A.WITHDRAW: S.WITHDRAWN},
    S.ACKNOWLEDGED: {A.START: S.IN_PROGRESS, A.RESOLVE: S.RESOLVED, A.WITHDRAW: S.WITHDRAWN},
    S.IN_PROGRESS: {A.ASK_REPORTER: S.AWAITING_REPORTER, A.RESOLVE: S.RESOLVED,
                    A.WITHDRAW: S.WITHDRAWN},
    S.AWAITING_REPORTER: {A.REPORTER_REPLIED: S.IN_PROGRESS, A.RESOLVE: S.RESOLVED,
                          A.WITHDRAW: S.WITHDRAWN},
    S.RESOLVED: {A.CLOSE: S.CLOSED, A.REOPEN: S.REOPENED, A.WITHDRAW: S.WITHDRAWN},
    S.CLOSED: {A.REOPEN: S.REOPENED},
    S.REOPENED: {A.START: S.IN_PROGRESS, A.WITHDRAW: S.WITHDRAWN},
    S.WITHDRAWN: {},
}


@pytest.mark.parametrize("status", list(CaseStatus))
@pytest.mark.parametrize("action", list(Action))
def test_every_status_and_action(status, action):
    """Does each (status, action) pair lead exactly where the design says, or refuse?"""
    expected = EXPECTED[status].get(action)
    if expected is None:
        with pytest.raises(InvalidTransition) as error:
            next_status(status, action)
        assert status.label.lower() in str(error.value)
    else:
        assert next_status(status, action) is expected


def test_table_has_nothing_beyond_the_design():
    """Does the transition table hold exactly the designed transitions?"""
    assert len(TRANSITIONS) == sum(len(v) for v in EXPECTED.values())


def test_withdrawn_is_final_and_closed_only_reopens():
    """Is a withdrawn case final, and can a closed one only be reopened?"""
    assert allowed_actions(S.WITHDRAWN) == []
    assert allowed_actions(S.CLOSED) == [A.REOPEN]


def test_every_status_has_words_for_the_student():
    """Does every status have a plain sentence for the student, of a report and of a request
    to talk to a peer (which is never called a report)?"""
    assert all(status.for_student.endswith(".") for status in CaseStatus)
    assert all(status.for_peer_request.endswith(".") and "report" not in
               status.for_peer_request for status in CaseStatus)


def test_one_name_for_each_status():
    """Is each status called one thing, 'Awaiting student' rather than 'Awaiting reporter'?"""
    labels = [status.label for status in CaseStatus]
    assert len(set(labels)) == len(labels)
    assert S.AWAITING_REPORTER.label == "Awaiting student"
    assert not any("reporter" in label.lower() for label in labels)


@pytest.mark.parametrize(("status", "moves"), [
    (S.SUBMITTED, [A.ACKNOWLEDGE, A.START]), (S.ACKNOWLEDGED, [A.START]),
    (S.REOPENED, [A.START]), (S.IN_PROGRESS, []), (S.AWAITING_REPORTER, []),
    (S.RESOLVED, []), (S.CLOSED, []), (S.WITHDRAWN, [])])
def test_taking_a_case_on_acknowledges_it_once_and_starts_it(status, moves):
    """Does taking a case on acknowledge it only if nobody has, and put it in progress,
    leaving a case already under way or finished as it is?"""
    assert taking_on(status) == moves
    for action in moves:
        status = next_status(status, action)
    assert not moves or status is S.IN_PROGRESS


def test_the_sharing_team_may_only_acknowledge_write_and_note():
    """On a shared case, does the lead team do everything and the other team only these?"""
    assert {a for a in ("acknowledge", "message", "note", "start", "resolve", "close",
                        "reopen", "claim", "assign", "reroute", "outcome", "legal_hold",
                        "ask_reporter") if may_act(a, leads=False)} == {
        "acknowledge", "message", "note"}
    assert all(may_act(a.value, leads=True) for a in A)
