"""Routing: the baseline rules of DESIGN.md, the rule language, and its guarantees."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reporting.domain.report import Ground, Responsible, Setting, Urgency, Want
from reporting.domain.roles import ChannelKind
from reporting.domain.routing import BASELINE, Answers, RuleErrors, parse, route

ANSWERS = st.builds(
    Answers,
    wants=st.frozensets(st.sampled_from(Want)),
    urgency=st.sampled_from(Urgency),
    not_safe=st.booleans(),
    setting=st.sampled_from(Setting),
    responsible=st.sampled_from(Responsible),
    grounds=st.frozensets(st.sampled_from(Ground)),
    named=st.booleans(),
    avoid=st.none() | st.sampled_from(ChannelKind),
)


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


@given(ANSWERS)
def test_every_answer_gets_exactly_one_team_and_a_reason(answers):
    """For any answers at all, is there one primary team, at least one reason, urgency kept?"""
    decision = route(answers)
    assert isinstance(decision.channel, ChannelKind)
    assert decision.reasons and all(decision.reasons)
    assert decision.channel not in decision.also
    if answers.not_safe or answers.urgency is Urgency.HIGH:
        assert decision.urgent


@given(st.sets(st.sampled_from(Want)), st.sampled_from(Urgency))
def test_every_combination_of_wants_and_urgency(wants, urgency):
    """Do the baseline's precedence rules hold for every combination of wants and urgency?"""
    decision = route(Answers(wants=frozenset(wants), urgency=urgency))
    if Want.FORMAL in wants:
        expected = ChannelKind.INSTITUTIONAL
    elif Want.PEER in wants and urgency is not Urgency.HIGH:
        expected = ChannelKind.PEER
    else:
        expected = ChannelKind.PASTORAL
    assert decision.channel is expected


CUSTOM = """
# Placement incidents involving clinicians go straight to the EDI office.
when setting is clinical_placement and responsible is clinician then institutional because Incidents with clinicians on placement go to the EDI office.
when ground disability and named then pastoral also institutional because Disability support can make adjustments straight away.
otherwise pastoral because Pastoral staff will help.
"""  # noqa: E501


def test_custom_rules_apply_in_order():
    """Does a school's own rule set decide, first match first?"""
    rules = parse(CUSTOM)
    placement = Answers(wants=frozenset({Want.PEER}), setting=Setting.CLINICAL_PLACEMENT,
                        responsible=Responsible.CLINICIAN, grounds=frozenset({Ground.DISABILITY}),
                        named=True)
    assert route(placement, rules).channel is ChannelKind.INSTITUTIONAL
    disability = Answers(wants=frozenset(), grounds=frozenset({Ground.DISABILITY}), named=True)
    assert route(disability, rules).also == (ChannelKind.INSTITUTIONAL,)
    assert route(Answers(wants=frozenset()), rules).reasons == ("Pastoral staff will help.",)


@pytest.mark.parametrize("source,problem", [
    ("", "exactly one 'otherwise'"),
    ("when wants peer then peer because Peers.", "exactly one 'otherwise'"),
    ("otherwise pastoral because A.\nwhen wants peer then peer because B.",
     "exactly one 'otherwise'"),
    ("when wants cake then peer because B.\notherwise pastoral because A.",
     "Line 1: 'cake' is not one of"),
    ("when wants peer then peer\notherwise pastoral because A.", "Line 1: end with 'because'"),
    ("when then peer because B.\notherwise pastoral because A.", "a condition is missing"),
    ("when wants peer then moon because B.\notherwise pastoral because A.",
     "'moon' is not one of"),
    ("when wants peer then peer also peer because B.\notherwise pastoral because A.",
     "name one team"),
    ("when urgency is very high then peer because B.\notherwise pastoral because A.",
     "cannot understand the condition"),
    ("when urgency is then peer because B.\notherwise pastoral because A.",
     "cannot understand the condition"),
    ("if wants peer then peer because B.\notherwise pastoral because A.",
     "start with 'when ... then' or 'otherwise'"),
    ("otherwise pastoral because " + "x" * 301, "1 to 300 characters"),
])
def test_invalid_rule_sets_are_refused_with_the_line(source, problem):
    """Is each kind of mistake refused, saying which line and what is wrong?"""
    with pytest.raises(RuleErrors) as errors:
        parse(source)
    assert any(problem in message for message in errors.value.problems), errors.value.problems


def test_every_problem_is_reported_at_once():
    """Are all the bad lines listed together, not one per save?"""
    with pytest.raises(RuleErrors) as errors:
        parse("when wants x then peer because A.\nwhen wants y then peer because B.\n"
              "otherwise pastoral because C.")
    assert [p[:6] for p in errors.value.problems] == ["Line 1", "Line 2"]


def test_baseline_is_a_valid_rule_set():
    """Does the baseline itself pass the checks an admin's rules must pass?"""
    assert len(parse(BASELINE)) == 5


CONDITIONS = st.one_of(
    st.just("not_safe"), st.just("named"), st.just("anonymous"),
    st.sampled_from(Want).map(lambda w: f"wants {w.value}"),
    st.sampled_from(Ground).map(lambda g: f"ground {g.value}"),
    st.tuples(st.sampled_from(["urgency is", "urgency is not"]), st.sampled_from(Urgency)).map(
        lambda t: f"{t[0]} {t[1].value}"),
    st.tuples(st.sampled_from(["setting is", "setting is not"]), st.sampled_from(Setting)).map(
        lambda t: f"{t[0]} {t[1].value}"),
)
RULE_LINES = st.tuples(st.lists(CONDITIONS, min_size=1, max_size=3),
                       st.sampled_from(ChannelKind), st.booleans()).map(
    lambda t: f"when {' and '.join(t[0])} then {t[1].value}{' urgent' if t[2] else ''} "
              f"because Rule for {t[1].value}.")


@given(st.lists(RULE_LINES, max_size=8), st.sampled_from(ChannelKind), ANSWERS)
def test_any_valid_rule_set_gives_one_team_and_a_reason(lines, fallback, answers):
    """For any rule set an admin could save, does every report get one team and a reason?"""
    rules = parse("\n".join([*lines, f"otherwise {fallback.value} because Fallback."]))
    decision = route(answers, rules)
    assert isinstance(decision.channel, ChannelKind) and decision.reasons[0]


def test_someone_who_may_work_in_the_edi_office_moves_a_formal_complaint_to_pastoral():
    """A formal complaint about someone who may work in the EDI office: does the next rule
    that fits decide, and does the student read why?"""
    decision = route(Answers(wants=frozenset({Want.FORMAL}), avoid=ChannelKind.INSTITUTIONAL))
    assert (decision.channel, decision.also, decision.unavoided) == (
        ChannelKind.PASTORAL, (), None)
    assert decision.reasons[-1] == ("You said the person responsible may work in Formal "
                                    "complaints and EDI office, so that team will not read "
                                    "your report.")


@pytest.mark.parametrize(("avoid", "teams"), [
    (ChannelKind.INSTITUTIONAL, (ChannelKind.PASTORAL, ())),
    (ChannelKind.PASTORAL, (ChannelKind.INSTITUTIONAL, ())),
    (ChannelKind.PEER, (ChannelKind.INSTITUTIONAL, (ChannelKind.PASTORAL,))),
])
def test_not_safe_keeps_the_team_that_is_not_avoided_and_stays_urgent(avoid, teams):
    """'Not safe', and the person may work in one of its two teams: does the other lead
    alone, still urgent (and a team the rule never named changes nothing)?"""
    decision = route(Answers(wants=frozenset({Want.SUPPORT}), not_safe=True, avoid=avoid))
    assert ((decision.channel, decision.also), decision.urgent) == (teams, True)
    assert decision.unavoided is None


def test_when_no_other_team_fits_the_decision_says_the_avoided_team_reads_it():
    """Support and advice, and the person may work in pastoral support: the baseline has no
    other team for that, so does pastoral still read it, and does the decision say so?"""
    decision = route(Answers(wants=frozenset({Want.SUPPORT}), avoid=ChannelKind.PASTORAL))
    assert (decision.channel, decision.unavoided) == (ChannelKind.PASTORAL,
                                                     ChannelKind.PASTORAL)
    assert len(decision.reasons) == 1


@given(ANSWERS)
def test_an_avoided_team_reads_a_report_only_when_the_decision_says_so(answers):
    """For any answers: is the avoided team among the readers only as `unavoided`, and is
    the urgency the same as without avoiding anyone?"""
    decision = route(answers)
    readers = {decision.channel, *decision.also}
    assert (answers.avoid in readers) == (decision.unavoided is not None)
    assert decision.urgent == route(replace(answers, avoid=None)).urgent
