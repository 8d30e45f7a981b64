"""The handler's pages: queue filters, the case page, actions, stale forms, evidence."""

from __future__ import annotations

import re

from sqlalchemy import select

from reporting.domain.evidence import TEXT
from reporting.domain.report import Want
from reporting.domain.roles import ChannelKind, Role
from reporting.models import AuditEntry, Case, ChannelMembership, ConsentRequest
from reporting.services import queries
from reporting.services.evidence import CleanFile
from tests import factories
from tests.conftest import csrf_token, post_form
from tests.services.test_reports import NAMED
from tests.web.test_followup import history_lines

VERSION = re.compile(r'name="version" value="(\d+)"')
MESSAGE_META = re.compile(r'<li class="message[^"]*">\s*<p class="message-meta">(.*?)</p>')


def _act(client, case, action: str, data: dict | None = None, version: int | None = None):
    page = client.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    seen = VERSION.search(page).group(1) if version is None else version
    token = csrf_token(client, f"/staff/cases/{case.id}")
    return client.post(f"/staff/cases/{case.id}/{action}",
                       data={"csrf_token": token, "version": seen, **(data or {})})


def test_queue_filters_and_counts(login_as, session, school):
    """Do the filters (urgency, unassigned, status) narrow the queue, with counts on top?"""
    client = login_as(Role.PASTORAL_OFFICER)
    factories.make_report(session, school, narrative="one")
    factories.make_report(session, school, narrative="two", urgency=factories.Urgency.HIGH)
    session.commit()
    page = client.get("/staff/").get_data(as_text=True)
    assert page.count("/staff/cases/") == 2 and "Overdue" in page
    urgent = client.get("/staff/?urgency=urgent").get_data(as_text=True)
    assert urgent.count("/staff/cases/") == 1
    closed = client.get("/staff/?status=closed").get_data(as_text=True)
    assert "that match these filters" in closed
    wrong = client.get("/staff/?status=nonsense&page=-4")
    assert wrong.status_code == 400 and "Not a valid choice" in wrong.text
    assert "The page must be between 1 and 100,000." in wrong.text


def test_case_page_shows_contents_and_audits_the_read(login_as, session, school):
    """Does the case page decrypt the report for its handler and record the read?"""
    client = login_as(Role.PASTORAL_OFFICER)
    case = factories.make_report(session, school, narrative="The words they used.").case
    session.commit()
    page = client.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    assert "The words they used." in page
    assert session.scalar(select(AuditEntry).where(AuditEntry.action == "case.read"))


def test_peer_supporter_never_sees_identity(login_as, session, school):
    """On a named peer request the student did not share with peers, is the name hidden?"""
    client = login_as(Role.PEER_SUPPORTER)
    case = factories.make_report(session, school, identity=NAMED,
                                 wants=frozenset({Want.PEER})).case
    session.commit()
    page = client.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    assert "Ada Lovelace" not in page and "ada@example.org" not in page
    assert "have not shared their name with this team" in page


def test_handler_without_a_key_gets_a_clear_page(login_as, session, school):
    """A handler who joined after the case was filed: told to ask for an escrow grant?"""
    case = factories.make_report(session, school).case
    session.commit()
    client = login_as(Role.PASTORAL_OFFICER)
    response = client.get(f"/staff/cases/{case.id}")
    assert response.status_code == 403 and "escrow" in response.get_data(as_text=True)


def test_acknowledge_claim_message_and_resolve(login_as, session, school):
    """Can a handler acknowledge, claim, write to the student and record an outcome?"""
    client = login_as(Role.PASTORAL_OFFICER)
    case = factories.make_report(session, school).case
    session.commit()
    assert _act(client, case, "acknowledge").status_code == 302
    assert _act(client, case, "claim").status_code == 302
    sent = _act(client, case, "message", {"text": "We hear you.", "signed": "y"})
    assert sent.status_code == 302
    assert _act(client, case, "start").status_code == 302
    resolved = _act(client, case, "outcome", {"text": "Met the placement lead."})
    assert resolved.status_code == 302
    session.expire_all()
    case = session.get(Case, case.id)
    assert case.status == "resolved" and case.assignee_id == client.user.id
    assert [e.action for e in case.events] == ["submit", "acknowledge", "staff_message", "start",
                                              "resolve"]
    page = client.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    assert "We hear you." in page and "Met the placement lead." in page


def test_waiting_on_the_student_has_one_name_on_every_staff_page(login_as, session, school):
    """Is a case waiting on the student 'Awaiting student' in the queue's counts, filter and
    table and on the case page, never 'awaiting reporter', and is its history in words?"""
    client = login_as(Role.PASTORAL_OFFICER)
    case = factories.make_report(session, school).case
    session.commit()
    for action in ("acknowledge", "start"):
        assert _act(client, case, action).status_code == 302
    asked = _act(client, case, "message", {"text": "When would suit you?", "ask": "y"})
    assert asked.status_code == 302
    queue = client.get("/staff/?status=all").get_data(as_text=True)
    page = client.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    assert "awaiting reporter" not in queue.lower() and "awaiting reporter" not in page.lower()
    assert queue.count("Awaiting student") == 3  # the count, the filter's option, the row
    assert "<dd>Awaiting student</dd>" in page
    assert history_lines(page) == [
        "Sent by the student", "Acknowledged (Submitted → Acknowledged)",
        "Work started (Acknowledged → In progress)", "Wrote to the student",
        "Asked the student (In progress → Awaiting student)"]


def test_a_moved_case_shows_which_team_wrote_each_message(login_as, session, school):
    """After a case moves, does the new team still read which team wrote the earlier
    messages, and the move itself in the history?"""
    client = login_as(Role.INSTITUTIONAL_OFFICER)
    client.user.memberships.append(ChannelMembership(channel=school.channel(
        ChannelKind.PASTORAL)))
    session.commit()
    case = factories.make_report(session, school).case  # pastoral, read by both teams
    session.commit()
    assert _act(client, case, "message", {"text": "From pastoral."}).status_code == 302
    moved = _act(client, case, "reroute", {"channel": school.channel(
        ChannelKind.INSTITUTIONAL).id, "reason": "Formal route agreed."})
    assert moved.status_code == 302
    assert _act(client, case, "message", {"text": "From the EDI office."}).status_code == 302
    page = client.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    teams = [re.search(r"\((.*?)\)", meta).group(1) for meta in MESSAGE_META.findall(page)]
    assert teams == ["Pastoral and wellbeing support", "Formal complaints and EDI office"]
    assert ("Moved from Pastoral and wellbeing support to Formal complaints and EDI office: "
            "Formal route agreed.") in history_lines(page)


def test_a_stale_form_is_refused_with_a_clear_message(login_as, session, school):
    """Acting from an old page: refused with 409 and a message, nothing changed?"""
    client = login_as(Role.PASTORAL_OFFICER)
    case = factories.make_report(session, school).case
    session.commit()
    old = case.version
    _act(client, case, "acknowledge")
    response = _act(client, case, "claim", version=old)
    assert response.status_code == 302  # claiming is first-come, not version-bound
    stale = _act(client, case, "start", version=old)
    assert stale.status_code == 409 and "changed since you opened it" in stale.get_data(
        as_text=True)
    session.expire_all()
    assert session.get(Case, case.id).status == "acknowledged"


def test_an_impossible_move_and_empty_message_are_explained(login_as, session, school):
    """Closing a new case, or sending an empty message: a clear message, no 500?"""
    client = login_as(Role.PASTORAL_OFFICER)
    case = factories.make_report(session, school).case
    session.commit()
    closing = _act(client, case, "close")
    assert closing.status_code == 400 and "cannot be closed" in closing.get_data(as_text=True)
    empty = _act(client, case, "message", {"text": ""})
    assert empty.status_code == 400 and "Write the message first." in empty.get_data(as_text=True)


def test_reroute_asks_the_student_and_their_yes_moves_the_case(login_as, app, session, school):
    """Does a widening re-route show in the student's inbox, and their 'yes' move it?"""
    client = login_as(Role.PASTORAL_OFFICER)
    factories.make_staff(session, school, Role.INSTITUTIONAL_OFFICER)
    submitted = factories.make_report(session, school)
    session.commit()
    institutional = school.channel(ChannelKind.INSTITUTIONAL)
    response = _act(client, submitted.case, "reroute", {"channel": institutional.id,
                                                        "reason": "This needs a formal look."})
    assert response.status_code == 302
    student = app.test_client()
    post_form(student, "/s/northfield/return", {"receipt": submitted.receipt})
    inbox = student.get("/s/northfield/your-report").get_data(as_text=True)
    assert "We would like to move your report" in inbox and "This needs a formal look." in inbox
    request = session.scalar(select(ConsentRequest))
    answer = post_form(student, "/s/northfield/your-report/consent",
                       {"request_id": request.id, "decision": "approve"},
                       from_url="/s/northfield/your-report", follow_redirects=True)
    assert "Your report has moved" in answer.get_data(as_text=True)
    session.expire_all()
    assert session.get(Case, submitted.case.id).channel.kind == "institutional"
    assert client.get(f"/staff/cases/{submitted.case.id}").status_code == 404


def test_evidence_downloads_as_an_attachment(login_as, session, school):
    """Is an evidence file always a download (never rendered), with its original name?"""
    client = login_as(Role.PASTORAL_OFFICER)
    submitted = factories.make_report(
        session, school, files=(CleanFile("<b>notes</b>.txt", TEXT, b"<script>x</script>"),))
    session.commit()
    evidence = submitted.report.evidence[0]
    response = client.get(f"/staff/cases/{submitted.case.id}/files/{evidence.id}")
    assert response.status_code == 200 and response.data == b"<script>x</script>"
    assert response.headers["Content-Type"] == "application/octet-stream"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert client.get(f"/staff/cases/{submitted.case.id}/files/nope").status_code == 404


def test_admin_grants_a_late_joiner_access_through_escrow(login_as, session, school):
    """Does the admin's escrow grant let a late joiner read an old case (wrong passphrase: no)?"""
    case = factories.make_report(session, school).case
    session.commit()
    newcomer = login_as(Role.PASTORAL_OFFICER)
    assert newcomer.get(f"/staff/cases/{case.id}").status_code == 403
    admin = login_as(Role.ADMIN, email="boss@n.example")
    wrong = post_form(admin, "/admin/grant", {"handler": newcomer.user.id,
                                              "passphrase": "not the passphrase"},
                      from_url="/admin/")
    assert wrong.status_code == 400 and "does not open the escrow key" in wrong.get_data(
        as_text=True)
    right = post_form(admin, "/admin/grant", {"handler": newcomer.user.id,
                                              "passphrase": factories.ESCROW_PASSPHRASE},
                      from_url="/admin/")
    assert right.status_code == 302
    assert "can now read fewer than 5 more cases" in admin.get("/admin/").get_data(as_text=True)
    assert newcomer.get(f"/staff/cases/{case.id}").status_code == 200
    assert "Something happened" not in admin.get("/admin/").get_data(as_text=True)


def test_handler_chooses_a_daily_digest(login_as, session):
    """Can a handler switch to a daily digest, and is a bad value refused?"""
    client = login_as(Role.PEER_SUPPORTER)
    assert post_form(client, "/staff/settings", {"notify_mode": "hourly"}).status_code == 200
    assert post_form(client, "/staff/settings", {"notify_mode": "digest"}).status_code == 302
    session.refresh(client.user)
    assert client.user.notify_mode == "digest"


def test_queue_pages_keep_the_filters(login_as, session, school, monkeypatch):
    """Do the queue's previous/next links keep the chosen filters?"""
    monkeypatch.setattr(queries, "PAGE_SIZE", 2)
    client = login_as(Role.PASTORAL_OFFICER)
    for _ in range(5):
        factories.make_report(session, school)
    session.commit()
    page = client.get("/staff/?urgency=routine&page=2").get_data(as_text=True)
    assert "Page 2 of 3" in page
    assert "?page=1&amp;urgency=routine" in page and "?page=3&amp;urgency=routine" in page
