"""Routing reasons in Welsh: `because <English> cymraeg <Welsh>` in the rule language."""

from __future__ import annotations

import pytest

from reporting.domain.report import Want
from reporting.domain.roles import ChannelKind
from reporting.domain.routing import (
    BASELINE,
    BASELINE_RULES,
    Answers,
    RuleErrors,
    lacking_welsh,
    parse,
    route,
)

SOURCE = ('when wants peer then peer because Peers can help. cymraeg "Gall cymheiriaid helpu."\n'
          "otherwise pastoral because Pastoral staff will help.")


def test_a_rule_may_give_its_reason_in_welsh_too():
    peer, otherwise = parse(SOURCE)
    assert (peer.reason, peer.reason_cy) == ("Peers can help.", "Gall cymheiriaid helpu.")
    assert (otherwise.reason, otherwise.reason_cy) == ("Pastoral staff will help.", "")


def test_the_decision_carries_both_languages():
    rules = parse(SOURCE)
    decision = route(Answers(wants=frozenset({Want.PEER})), rules)
    assert decision.reasons == ("Peers can help.",)
    assert decision.reasons_cy == ("Gall cymheiriaid helpu.",)
    fallback = route(Answers(wants=frozenset()), rules)
    assert fallback.reasons_cy == ("",)  # no Welsh: the page shows the English, with a note


def test_belongs_own_sentence_stands_in_both_lists():
    rules = parse("when wants peer then peer because Peers. cymraeg Cymheiriaid.\n"
                  "otherwise pastoral because Pastoral.")
    decision = route(Answers(wants=frozenset({Want.PEER}), avoid=ChannelKind.PEER), rules)
    assert len(decision.reasons) == len(decision.reasons_cy) == 2
    assert decision.reasons[1] == decision.reasons_cy[1]


def test_capitalised_cymraeg_is_part_of_the_reason():
    (rule,) = parse("otherwise pastoral because Staff who speak Cymraeg can help.")
    assert rule.reason == "Staff who speak Cymraeg can help." and rule.reason_cy == ""


@pytest.mark.parametrize("source", [
    "otherwise pastoral because Help. cymraeg",
    "otherwise pastoral because Help. cymraeg " + "x" * 301,
])
def test_an_empty_or_long_welsh_reason_is_refused_with_the_line(source):
    with pytest.raises(RuleErrors) as errors:
        parse(source)
    assert errors.value.problems == [
        "Line 1: after 'cymraeg', give the reason in Welsh, 1 to 300 characters."]


def test_an_english_reason_is_still_required():
    with pytest.raises(RuleErrors) as errors:
        parse("otherwise pastoral because cymraeg Help.")
    assert "the reason must be 1 to 300 characters" in errors.value.problems[0]


def test_the_baseline_has_welsh_for_every_reason():
    assert all(rule.reason_cy for rule in BASELINE_RULES)
    assert lacking_welsh(BASELINE) == []


def test_lines_without_welsh_are_found_for_the_editor():
    source = "# a comment\n" + SOURCE + "\n"
    assert lacking_welsh(source) == [3]
