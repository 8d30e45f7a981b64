"""A not-safe report shared by two teams, through the pages: what the student reads on the
review step, the receipt and the follow-up; both officers' queues and case pages; who may do
what; the admin's preview."""

from __future__ import annotations

from sqlalchemy import select

from reporting.domain.directory import EntryFields, Kind
from reporting.domain.report import Urgency
from reporting.domain.roles import ChannelKind, Role
from reporting.domain.routing import BASELINE
from reporting.models import Case
from reporting.services.directory import create_entry
from tests import factories
from tests.conftest import CSRF, csrf_token, post_form
from tests.services.test_reports import NAMED
from tests.web.reporting_pages import ANSWERS, RECEIPT, post_step, start
from tests.web.test_casework import _act
from tests.web.test_routing_editor import EXAMPLE

EDI, PASTORAL = "Formal complaints and EDI office", "Pastoral and wellbeing support"
NOT_SAFE = {**ANSWERS, "safe": "no", "urgency": "high"}


def _main(page: str) -> str:
    return page[page.find("<main"):]


def _review(client, **changes) -> tuple[dict, str]:
    data = {**start(client), **NOT_SAFE, **changes}
    for step in ("safety", "what", "about", "wishes"):
        response = post_step(client, step, data)
    return data, response.get_data(as_text=True)


def test_the_review_step_names_both_teams_and_who_sees_the_name(client, school):
    """Does the review step say that two teams will read it, who leads, and who gets the name?"""
    _, page = _review(client, identity="named", name="Ada", share_identity_with=["pastoral"])
    main = _main(page)
    assert 0 <= main.find("If you are in danger, get help now") < main.find("<h1>")
    assert (f"two teams can read your report: <strong>{EDI}</strong>, who lead, and "
            f"<strong>{PASTORAL}</strong>. Nobody else can.") in main
    assert f"Your name and contact details go only to {PASTORAL}, the team you ticked." in main
    assert 'name="also_shown" value="pastoral"' in main
    assert "then only that team can read your report" in main


def test_the_receipt_names_both_teams_under_the_emergency_routes(client, session, school):
    """After sending, is the emergency block on top, are both teams named, and does
    confidential help come before the complaints office?"""
    factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    for name, kind, channels, confidential in (
            ("EDI and Complaints Office", Kind.EDI_COMPLAINTS, ("institutional",), False),
            ("Student Wellbeing Service", Kind.WELLBEING, ("pastoral",), True)):
        create_entry(session, "test", school, EntryFields(
            kind.value, name, "What it offers.", channels=channels, confidential=confidential,
            url="https://support.example.ac.uk/"))
    session.commit()
    data, _ = _review(client)
    data.update(chosen_channel="institutional", also_shown="pastoral")
    main = _main(post_step(client, "review", data, follow_redirects=True).get_data(
        as_text=True))
    emergency = main.find("If you are in danger, get help now")
    assert 0 <= emergency < main.find("<h1>Your report has been sent")
    for route in ("999", "NHS 111", "116 123", "0113 496 0000"):
        assert route in main[:main.find("<h1>")]
    assert (f"It is with two teams: <strong>{EDI}</strong>, who lead, and "
            f"<strong>{PASTORAL}</strong>. Only the people in these two teams can read it."
            ) in main
    assert main.find("Student Wellbeing Service") < main.find("EDI and Complaints Office")
    case = session.scalar(select(Case))
    assert (case.channel.kind, case.also_channel.kind) == ("institutional", "pastoral")


def test_choosing_another_team_is_read_by_that_team_alone(client, session, school):
    """If the student picks pastoral instead, does the receipt say only pastoral, and is it?"""
    data, _ = _review(client)
    data.update(chosen_channel="pastoral", also_shown="pastoral")
    main = _main(post_step(client, "review", data, follow_redirects=True).get_data(
        as_text=True))
    assert f"It is with <strong>{PASTORAL}</strong>. Only they can read it." in main
    assert "If you are in danger, get help now" in main
    case = session.scalar(select(Case))
    assert (case.channel.kind, case.also_channel) == ("pastoral", None)


def test_the_follow_up_keeps_emergency_help_on_top_and_names_both_teams(client, session,
                                                                        school):
    """Coming back with the receipt: emergency routes first, both teams and the name named?"""
    submitted = factories.make_report(session, school, not_safe=True, urgency=Urgency.HIGH,
                                      identity=NAMED,
                                      share_identity_with=frozenset({ChannelKind.INSTITUTIONAL}))
    session.commit()
    assert post_form(client, "/s/northfield/return",
                     {"receipt": submitted.receipt}).status_code == 302
    main = _main(client.get("/s/northfield/your-report").get_data(as_text=True))
    assert 0 <= main.find("If you are in danger, get help now") < main.find("<h1>")
    assert f"It is with two teams: <strong>{EDI}</strong>, who lead" in main
    assert f"Your name and contact details go only to {EDI}." in main


def test_a_safe_report_shows_no_emergency_block_on_follow_up(client, session, school):
    """Is the emergency block kept for not-safe reports (not shown to everyone)?"""
    submitted = factories.make_report(session, school)
    session.commit()
    post_form(client, "/s/northfield/return", {"receipt": submitted.receipt})
    main = _main(client.get("/s/northfield/your-report").get_data(as_text=True))
    assert "If you are in danger" not in main
    assert f"It is with <strong>{PASTORAL}</strong>. Only they can read it." in main


def test_both_queues_show_the_case_and_who_leads(login_as, session, school):
    """Is the case in both queues: 'leads, also' for the lead, 'Shared with' for the other?"""
    edi, pastoral = login_as(Role.INSTITUTIONAL_OFFICER), login_as(Role.PASTORAL_OFFICER)
    factories.make_report(session, school, not_safe=True)
    session.commit()
    lead_page = edi.get("/staff/").get_data(as_text=True)
    assert f"{EDI} (leads), also {PASTORAL}" in lead_page
    shared_page = pastoral.get("/staff/").get_data(as_text=True)
    assert f"Shared with {EDI} (leads)" in shared_page
    assert lead_page.count("/staff/cases/") == shared_page.count("/staff/cases/") == 1


def test_the_sharing_team_acts_but_leaves_ownership_to_the_lead(login_as, session, school):
    """May pastoral acknowledge and write, but not claim or resolve; may the lead do both?"""
    edi, pastoral = login_as(Role.INSTITUTIONAL_OFFICER), login_as(Role.PASTORAL_OFFICER)
    case = factories.make_report(session, school, not_safe=True).case
    session.commit()
    page = pastoral.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    assert f"Shared with {EDI} (leads)." in page
    assert "Claim this case" not in page and "Move to another team" not in page
    assert "Private note (only the two teams sharing this case can read it)" in page
    refused = _act(pastoral, case, "claim")
    assert refused.status_code == 400 and "leads this case" in refused.get_data(as_text=True)
    assert _act(pastoral, case, "acknowledge").status_code == 302
    assert _act(pastoral, case, "message", {"text": "We can talk today."}).status_code == 302
    asked = _act(pastoral, case, "message", {"text": "Are you safe?", "ask": "y"})
    assert asked.status_code == 400
    lead_page = edi.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    assert "Shared with Pastoral and wellbeing support." in lead_page
    assert f"Pastoral officer</strong> ({PASTORAL})" in lead_page
    assert _act(edi, case, "claim").status_code == 302
    session.refresh(case)
    assert case.status == "acknowledged" and case.assignee_id == edi.user.id


def test_third_channel_and_other_school_get_404(login_as, session, school):
    """Does a peer supporter, or another school's pastoral officer, get 404 for the case?"""
    case = factories.make_report(session, school, not_safe=True).case
    other = factories.make_school(session, slug="southbank")
    session.commit()
    for client in (login_as(Role.PEER_SUPPORTER),
                   login_as(Role.PASTORAL_OFFICER, at_school=other)):
        assert client.get(f"/staff/cases/{case.id}").status_code == 404
        token = csrf_token(client, "/staff/settings")
        assert client.post(f"/staff/cases/{case.id}/acknowledge",
                           data={"csrf_token": token, "version": 1}).status_code == 404


def test_the_admin_preview_names_who_could_read_it(login_as, school):
    """Does the preview of a not-safe example name both teams, the lead and nobody else?"""
    admin = login_as(Role.ADMIN)
    page = post_form(admin, "/admin/routing", {
        "source": BASELINE, "action": "preview",
        **EXAMPLE, "example-safe": "no"}).get_data(as_text=True)
    assert f"These rules would suggest: {EDI}, shared with {PASTORAL}, urgent" in page
    assert (f"Who could read the report: the handlers of {EDI}, who lead") in page
    assert f"and of {PASTORAL}, who can read it" in page and "Nobody else can read it." in page


def test_emergency_help_stays_while_the_receipt_is_confirmed(client, session, school):
    """Pressing Continue without ticking, then ticking: do both pages keep the routes on top
    after a not-safe report, and does a safe report's next page stay calm?"""
    data, _ = _review(client)
    data.update(chosen_channel="institutional", also_shown="pastoral")
    shown = post_step(client, "review", data, follow_redirects=True)
    url, page = shown.request.path, shown.get_data(as_text=True)
    receipt = RECEIPT.search(page).group(1)
    assert "not_safe" not in page  # kept in the session: nothing posted can change it
    token = CSRF.search(page).group(1)
    again = _main(client.post(url, data={"csrf_token": token}).get_data(as_text=True))
    assert 0 <= again.find("If you are in danger, get help now") < again.find("<h1>")
    assert receipt in again and "Tick the box" in again
    sent = _main(client.post(url, data={"kept": "y", "csrf_token": token},
                             follow_redirects=True).get_data(as_text=True))
    assert 0 <= sent.find("If you are in danger, get help now") < sent.find(
        "<h1>What happens next")
    calm = {**start(client), **ANSWERS}
    for step in ("safety", "what", "about", "wishes"):
        post_step(client, step, calm)
    shown = post_step(client, "review", {**calm, "chosen_channel": "pastoral"},
                      follow_redirects=True)
    page = shown.get_data(as_text=True)
    sent = client.post(shown.request.path, data={
        "kept": "y", "csrf_token": CSRF.search(page).group(1)},
        follow_redirects=True).get_data(as_text=True)
    assert "What happens next" in sent and "If you are in danger" not in sent
