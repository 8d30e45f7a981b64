"""The case page in the student's words: the labels they picked, a declined move, a peer
request as what it is (issue 11, point 2)."""

from __future__ import annotations

import html
import re
from datetime import date

from reporting.domain.report import Ground, Impact, Responsible, Urgency, Want, When
from reporting.domain.roles import ChannelKind, Role
from reporting.services import peer, rerouting
from reporting.services.reports import reporter_keys
from tests import factories
from tests.web.test_followup import history_lines

ANSWERS = re.compile(r'<dl class="summary" id="answers">(.*?)</dl>', re.DOTALL)
ROW = re.compile(r"<dt>(.*?)</dt><dd>(.*?)</dd>", re.DOTALL)


def answers(page: str) -> dict[str, str]:
    """The case page's answers: each question as the form asked it, and the words picked."""
    found = ANSWERS.search(page)
    return {html.unescape(q): html.unescape(a) for q, a in ROW.findall(found.group(1))} \
        if found else {}


def _asked_to_move(session, school, officer, kind: ChannelKind, reason: str, approve: bool):
    """A report its officer asks to move to another team, and the student's answer."""
    submitted = factories.make_report(session, school)
    request = rerouting.request_reroute(session, officer, submitted.case, school.channel(kind),
                                        reason)
    key = factories.reporter_wrapping_key(session, school, submitted.receipt)
    rerouting.decide_consent(session, submitted.case,
                             reporter_keys(session, submitted.report, key), request,
                             approve=approve)
    session.commit()
    return submitted, request


def test_every_answer_reads_as_the_student_picked_it(login_as, session, school):
    """Does the case page ask each question as the form did and answer with the label the
    student chose, the urgency and their own "something else" included, and no raw codes?"""
    client = login_as(Role.PASTORAL_OFFICER)
    case = factories.make_report(
        session, school, responsible=Responsible.CLINICIAN, impact=Impact.SOME,
        urgency=Urgency.MEDIUM, occurred_kind=When.DATE, occurred_on=date(2026, 3, 4),
        grounds=frozenset({Ground.ACCENT_LANGUAGE, Ground.RELIGION_BELIEF, Ground.OTHER}),
        other_ground="my hijab", wants=frozenset({Want.SUPPORT, Want.INFORMAL})).case
    session.commit()
    page = client.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    assert answers(page) == {
        "When did it happen?": "On a particular day (4 March 2026)",
        "Where did it happen?": "Clinical placement",
        "Who was responsible?": "A clinician or supervisor on placement",
        "What do you think it was about?":
            "Religion or belief; Accent or language; Something else",
        "Something else (optional detail)": "my hijab",
        "How much is it affecting you?": "Quite a lot",
        "How soon would you like a reply?": "I would like a reply soon",
        "What would you like to happen?": "Support and advice; Sort it out informally",
        "Student": "Anonymous",
    }
    for code in ("clinician<", "accent_language", "religion_belief", "some<", "medium<",
                 "clinical_placement", "clinical placement<"):
        assert code not in page


def test_a_declined_move_shows_on_the_case_page(login_as, session, school):
    """When the student says no to a move, do the team read it, with the date, in a notice
    and in the history (with the request itself)?"""
    client = login_as(Role.PASTORAL_OFFICER)
    factories.make_staff(session, school, Role.PEER_SUPPORTER)
    submitted, request = _asked_to_move(session, school, client.user, ChannelKind.PEER,
                                        "A peer could help.", approve=False)
    page = client.get(f"/staff/cases/{submitted.case.id}").get_data(as_text=True)
    on = request.decided_at
    assert (f"The student declined the move to Peer support on <time datetime="
            f"\"{on:%Y-%m-%dT%H:%M:%S}") in page and f">{on.day} {on:%B %Y}</time>." in page
    assert history_lines(page)[-2:] == [
        "Asked the student to agree to a move to Peer support: A peer could help.",
        "The student declined the move to Peer support"]


def test_an_agreed_move_reads_as_a_move_between_named_teams(login_as, session, school):
    """When the student agrees, does the history say so and name both teams in words?"""
    client = login_as(Role.PASTORAL_OFFICER)
    edi = login_as(Role.INSTITUTIONAL_OFFICER)
    submitted, _ = _asked_to_move(session, school, client.user, ChannelKind.INSTITUTIONAL,
                                  "Formal.", approve=True)
    page = edi.get(f"/staff/cases/{submitted.case.id}").get_data(as_text=True)
    assert history_lines(page)[-3:] == [
        "Asked the student to agree to a move to Formal complaints and EDI office: Formal.",
        "The student agreed to the move to Formal complaints and EDI office",
        "Moved from Pastoral and wellbeing support to Formal complaints and EDI office: "
        "Formal."]
    assert "declined" not in page


def test_a_peer_request_shows_what_was_asked_and_no_report_answers(login_as, session,
                                                                    school):
    """A request to talk to a peer: its tags in words and the message, none of the report
    questions the student was never asked?"""
    client = login_as(Role.PEER_SUPPORTER)
    case = peer.request_connection(session, school, frozenset({"race", "first_generation"}),
                                   "Someone who gets it, please.").case
    session.commit()
    page = client.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    assert "A request to talk to a peer" in page and "Someone who gets it, please." in page
    assert "<strong>First in my family at university</strong>" in page
    assert "<strong>Race, ethnicity or nationality</strong>" in page
    assert answers(page) == {} and "What the student told us" not in page
    for asked in ("Where did it happen?", "Who was responsible?", "How much is it affecting",
                  "How soon would you like a reply?", "A little", "Somewhere else",
                  "I don&#39;t know or I&#39;d rather not say"):
        assert asked not in page
