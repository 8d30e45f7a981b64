"""The rules that narrow who reads a case, through hand-made requests and the case page:
a peer request is never claimed, and conflicts of interest (stepping away, a lead keeping a
colleague off, a student saying who may be involved)."""

from __future__ import annotations

import re

from sqlalchemy import select

from reporting.domain.roles import Role
from reporting.models import Case, WrappedKey
from reporting.services import handling, peer
from tests import factories
from tests.services.test_reports import private_key
from tests.web.reporting_pages import ANSWERS, file_report, post_step, ready_to_send, start
from tests.web.test_case_words import answers
from tests.web.test_casework import _act

COLLEAGUE_OPTION = re.compile(r'<select[^>]*name="colleague"[^>]*>\s*<option value="(\d+)"')


def _holders(session, case) -> set[int]:
    return set(session.scalars(select(WrappedKey.staff_id).where(
        WrappedKey.report_id == case.report_id, WrappedKey.holder == "staff",
        WrappedKey.scope == "content")))


def test_a_hand_made_claim_of_a_peer_request_is_refused(login_as, session, school):
    """POST /claim on a peer request (the page offers only Accept): refused, nobody owns it,
    and the other supporter keeps their key?"""
    client = login_as(Role.PEER_SUPPORTER, email="one@n.example")
    other = factories.make_staff(session, school, Role.PEER_SUPPORTER, email="two@n.example")
    session.commit()
    case = peer.request_connection(session, school, frozenset({"race"})).case
    session.commit()
    response = _act(client, case, "claim")
    assert response.status_code == 400
    assert "accepted, not claimed" in response.get_data(as_text=True)
    session.refresh(case)
    assert case.assignee_id is None and _holders(session, case) == {client.user.id, other.id}


def test_a_handler_steps_away_from_the_case_page(login_as, session, school):
    """The case page offers to step away; without the tick nothing happens, with it the
    case leaves the handler's queue and page, and stays with the colleague."""
    client = login_as(Role.PASTORAL_OFFICER, email="me@n.example")
    colleague = factories.make_staff(session, school, Role.PASTORAL_OFFICER,
                                     email="colleague@n.example")
    session.commit()
    case = factories.make_report(session, school).case
    session.commit()
    page = client.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    assert "Step away from this case" in page and 'name="colleague"' not in page
    refused = _act(client, case, "declare_conflict")
    assert refused.status_code == 400
    assert "Tick the box to confirm that you step away." in refused.get_data(as_text=True)
    done = _act(client, case, "declare_conflict", {"confirm": "y"})
    assert done.status_code == 302 and done.location.endswith("/staff/")
    assert client.get(f"/staff/cases/{case.id}").status_code == 404
    assert f"/staff/cases/{case.id}" not in client.get("/staff/").get_data(as_text=True)
    assert _holders(session, case) == {colleague.id}
    history = [line.text for line in handling.open_case(
        session, colleague, private_key(colleague), case).history]
    assert f"{client.user.display_name} declared a conflict of interest and stepped away" \
        in history


def test_a_lead_keeps_a_colleague_off_from_the_case_page(login_as, session, school):
    """Does a lead see whom they may keep off, and keep them off; and is a colleague who
    is not a lead refused, even with a hand-made request?"""
    lead = login_as(Role.PASTORAL_OFFICER, email="lead@n.example", lead=True)
    colleague = login_as(Role.PASTORAL_OFFICER, email="colleague@n.example")
    case = factories.make_report(session, school).case
    session.commit()
    assert 'name="colleague"' not in colleague.get(f"/staff/cases/{case.id}").get_data(
        as_text=True)
    refused = _act(colleague, case, "exclude", {"colleague": str(lead.user.id)})
    assert refused.status_code == 400
    page = lead.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    assert COLLEAGUE_OPTION.search(page).group(1) == str(colleague.user.id)
    done = _act(lead, case, "exclude", {"colleague": str(colleague.user.id)})
    assert done.status_code == 302 and done.location.endswith(f"/staff/cases/{case.id}")
    assert colleague.get(f"/staff/cases/{case.id}").status_code == 404
    assert _holders(session, case) == {lead.user.id}
    page = lead.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    assert 'name="colleague"' not in page  # nobody left to keep off
    assert (f"{lead.user.display_name} kept {colleague.user.display_name} off the case "
            "(a conflict of interest)") in page  # in the history


def test_the_student_can_say_the_person_may_work_in_a_team(client, login_as, session,
                                                            school):
    """A formal complaint about someone who may work in the EDI office: is it suggested to
    pastoral support, sent there, and the answer shown to the team that reads it?"""
    pastoral = login_as(Role.PASTORAL_OFFICER)
    page = post_step(client, "safety", {**start(client), **ANSWERS}).get_data(as_text=True)
    assert "Might the person responsible work in one of these teams?" in page
    data = ready_to_send(client, wants=["formal"], works_in="institutional")
    assert data["chosen_channel"] == "pastoral"
    review = post_step(client, "wishes", data).get_data(as_text=True)
    assert "so that team will not read your report" in review
    assert 'id="avoided-team"' not in review
    file_report(client, wants=["formal"], works_in="institutional")
    case = session.scalar(select(Case))
    assert case.channel.kind == "pastoral"
    shown = pastoral.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    assert answers(shown)["Might the person responsible work in one of these teams?"] == \
        "Formal complaints and EDI office"


def test_the_review_says_plainly_when_the_avoided_team_reads_it(client, school):
    """Support and advice, and the person may work in pastoral support (no other team does
    that): does the review say so before Send?"""
    data = ready_to_send(client, works_in="pastoral")
    review = post_step(client, "wishes", data).get_data(as_text=True)
    assert ("This report will be read by Pastoral and wellbeing support, the team you said "
            "the person may work in.") in review
