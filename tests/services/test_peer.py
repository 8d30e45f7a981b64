"""Peer connection: requests, matching by shared experience and load, acceptance."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select

from reporting.domain.errors import BelongError
from reporting.domain.roles import Role
from reporting.models import OutboxMessage
from reporting.services import followup, handling, peer
from reporting.services.casework import NoAccess, staff_keys
from reporting.services.reports import reporter_keys
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
