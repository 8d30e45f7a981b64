"""The baseline routing rules of DESIGN.md, in order of precedence."""

from __future__ import annotations

from reporting.domain.report import Urgency, Want
from reporting.domain.roles import ChannelKind
from reporting.domain.routing import Answers, route


def test_not_safe_goes_to_institutional_and_pastoral_urgently():
    """Does 'I am not safe right now' beat every other answer?"""
    decision = route(Answers(wants=frozenset({Want.PEER}), not_safe=True))
    assert (decision.channel, decision.also, decision.urgent) == (
        ChannelKind.INSTITUTIONAL, (ChannelKind.PASTORAL,), True)


def test_formal_complaint_goes_to_institutional():
    """Does wanting a formal complaint route to the institutional channel?"""
    decision = route(Answers(wants=frozenset({Want.FORMAL, Want.PEER})))
    assert decision.channel is ChannelKind.INSTITUTIONAL


def test_peer_without_urgency_goes_to_peer():
    """Does wanting a peer, with no urgency, route to peer support?"""
    assert route(Answers(wants=frozenset({Want.PEER}))).channel is ChannelKind.PEER


def test_urgent_peer_request_goes_to_pastoral():
    """Does an urgent peer request go to pastoral staff instead of volunteers?"""
    decision = route(Answers(wants=frozenset({Want.PEER}), urgency=Urgency.HIGH))
    assert (decision.channel, decision.urgent) == (ChannelKind.PASTORAL, True)


def test_everything_else_goes_to_pastoral_with_a_reason():
    """Do other answers go to pastoral support, always with a plain reason?"""
    for wants in ({Want.SUPPORT}, {Want.INFORMAL}, {Want.RECORD_ONLY}, set()):
        decision = route(Answers(wants=frozenset(wants)))
        assert decision.channel is ChannelKind.PASTORAL
        assert decision.reasons and all(reason.endswith(".") for reason in decision.reasons)
