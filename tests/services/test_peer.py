"""Peer connection: requests, matching by shared experience and load, acceptance."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select

from reporting.domain import sla
from reporting.domain.cases import Action
from reporting.domain.errors import BelongError
from reporting.domain.roles import Role
from reporting.models import CaseStat, OutboxMessage
from reporting.services import followup, handling, peer
from reporting.services.casework import NoAccess, post_staff_message, staff_keys
from reporting.services.reports import reporter_keys
from reporting.services.sla_policy import policy_for
from tests import factories
from tests.services.test_reports import private_key


@pytest.fixture
def supporters(session, school):
    made = [factories.make_staff(session, school, Role.PEER_SUPPORTER, email=f"p{n}@n.example")
            for n in range(3)]
    session.commit()
    peer.set_offers(session, made[0], frozenset({"race", "first_generation"}))
    peer.set_offers(session, made[1], frozenset({"race"}))
    session.commit()
    return made


def test_a_request_is_a_peer_connection_case_with_its_tags(session, school, supporters):
    """Does a request become a peer-connection case in the peer channel with the tags?"""
    submitted = peer.request_connection(session, school, frozenset({"race", "first_generation"}),
                                        "I'd like to talk.")
    session.commit()
    case = submitted.case
    assert (case.kind, case.channel.kind) == ("peer_connection", "peer")
    assert case.report.chosen("peer_tag") == ["first_generation", "race"]
    assert submitted.receipt


def test_unknown_or_no_tags_are_refused(session, school):
    """Is a request with no tags, or a made-up tag, refused clearly?"""
    for tags in (frozenset(), frozenset({"astronaut"})):
        with pytest.raises(BelongError, match="Choose at least one"):
            peer.request_connection(session, school, tags)


def test_matching_prefers_shared_experience_then_the_least_busy(session, school, supporters):
    """Is the supporter sharing most tags first, and among equals the least busy?"""
    case = peer.request_connection(session, school, frozenset({"race", "first_generation"})).case
    session.commit()
    order = [(m.supporter.id, m.shared) for m in peer.suggest(session, case)]
    assert order[0] == (supporters[0].id, ["first_generation", "race"])
    assert order[1] == (supporters[1].id, ["race"])
    busy = peer.request_connection(session, school, frozenset({"race"})).case
    session.commit()
    peer.accept(session, supporters[1], busy)
    session.commit()
    second = peer.request_connection(session, school, frozenset({"race"})).case
    session.commit()
    ranking = [m.supporter.id for m in peer.suggest(session, second)]
    assert ranking.index(supporters[0].id) < ranking.index(supporters[1].id)


def test_once_accepted_only_that_supporter_can_see_or_read_it(session, school, supporters):
    """After one supporter accepts, do the others lose sight of it and its key?"""
    case = peer.request_connection(session, school, frozenset({"race"})).case
    session.commit()
    mine, other = supporters[0], supporters[2]
    assert handling.find_case(session, other, case.id)  # unassigned: the channel sees it
    peer.accept(session, mine, case)
    session.commit()
    assert staff_keys(session, mine, private_key(mine), case).content
    with pytest.raises(handling.CaseNotFound):
        handling.find_case(session, other, case.id)
    with pytest.raises(NoAccess):
        staff_keys(session, other, private_key(other), case)
    with pytest.raises(handling.AlreadyClaimed):
        peer.accept(session, other, case)


def test_only_peer_supporters_offer_tags(session, school):
    """Can a pastoral officer or a made-up tag be offered? No."""
    officer = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    with pytest.raises(BelongError):
        peer.set_offers(session, officer, frozenset({"race"}))


def test_after_acceptance_only_that_supporter_hears_of_replies(session, school, supporters):
    """Once accepted, do the student's replies notify the supporter, and nobody else?"""
    submitted = peer.request_connection(session, school, frozenset({"race"}))
    session.commit()
    peer.accept(session, supporters[0], submitted.case)
    session.commit()
    session.execute(delete(OutboxMessage))
    keys = reporter_keys(session, submitted.report,
                         factories.reporter_wrapping_key(session, school, submitted.receipt))
    followup.reply(session, submitted.case, keys, "Thank you!")
    session.commit()
    assert [row.staff_id for row in session.scalars(select(OutboxMessage))] == [
        supporters[0].id]
    with pytest.raises(BelongError):
        handling.assign(session, supporters[0], submitted.case, 0, submitted.case.version)


def _student_view(session, school, submitted):
    keys = reporter_keys(session, submitted.report,
                         factories.reporter_wrapping_key(session, school, submitted.receipt))
    return followup.reporter_view(submitted.case, keys)


def test_accepting_acknowledges_the_request_and_stops_its_clock(session, school, supporters):
    """Once a supporter accepts and answers, is the request in progress, its acknowledgement
    deadline gone (the feedback one instead), the acknowledgement and the first reply in the
    statistics, and does the student read that it is being handled, and the reply?"""
    submitted = peer.request_connection(session, school, frozenset({"race"}))
    session.commit()
    case, supporter = submitted.case, supporters[0]
    assert case.due_at == sla.acknowledge_by(case.created_at, policy_for(case.channel), False)
    peer.accept(session, supporter, case)
    session.commit()
    assert case.status == "in_progress"
    assert [(e.action, e.actor_id) for e in case.events[1:]] == [
        (Action.ACKNOWLEDGE, supporter.id), (Action.START, supporter.id)]
    acknowledged_at = case.events[1].at
    assert case.due_at == sla.feedback_by(acknowledged_at, policy_for(case.channel))
    row = session.scalar(select(CaseStat).where(CaseStat.case_id == case.id))
    assert (row.status, row.ack_within_target, row.first_response_hours) == (
        "in_progress", True, None)
    assert row.ack_hours is not None
    post_staff_message(session, supporter, staff_keys(session, supporter, private_key(supporter),
                                                      case), case, "Happy to talk.")
    session.commit()
    session.refresh(row)
    assert row.first_response_hours is not None and row.feedback_within_target is True
    view = _student_view(session, school, submitted)
    assert case.case_status.for_peer_request.startswith("A peer supporter has taken on")
    assert [line.text for line in view.history] == ["Submitted", "Acknowledged", "In progress"]
    assert [(m.author, m.text) for m in view.messages] == [(case.channel.name, "Happy to talk.")]


def test_accepting_a_request_someone_acknowledged_only_starts_it(session, school, supporters):
    """If a supporter acknowledged it first, does accepting keep that acknowledgement (and
    its time) and only start the work?"""
    case = peer.request_connection(session, school, frozenset({"race"})).case
    session.commit()
    handling.act(session, supporters[1], case, Action.ACKNOWLEDGE, case.version)
    session.commit()
    peer.accept(session, supporters[0], case)
    session.commit()
    assert [(e.action, e.actor_id) for e in case.events[1:]] == [
        (Action.ACKNOWLEDGE, supporters[1].id), (Action.START, supporters[0].id)]
