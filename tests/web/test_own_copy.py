"""The student's own copy: a printable view of the report and its messages, downloads of
their own files, every action answered by a redirect (a reload sends nothing twice), and
nothing of it left in the browser after Leave."""

from __future__ import annotations

from sqlalchemy import func, select

from reporting.domain.evidence import TEXT
from reporting.domain.roles import Role
from reporting.models import Message
from reporting.services.casework import post_staff_message, staff_keys
from reporting.services.evidence import CleanFile
from tests import factories
from tests.conftest import post_form
from tests.services.test_reports import private_key

PAGE = "/s/northfield/your-report"
NOTE = b"Rota change emailed on 3 October.\n"


def _returned(client, session, school, **overrides):
    """A report with a file and a reply, opened with its receipt by `client`."""
    officer = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    submitted = factories.make_report(session, school, files=(
        CleanFile("rota.txt", TEXT, NOTE),), **overrides)
    keys = staff_keys(session, officer, private_key(officer), submitted.case)
    post_staff_message(session, officer, keys, submitted.case, "Thank you for telling us.")
    session.commit()
    assert post_form(client, "/s/northfield/return",
                     {"receipt": submitted.receipt}).status_code == 302
    return submitted


def test_the_copy_holds_the_report_its_answers_and_messages(client, session, school):
    """Does the copy give the narrative, every answer in the words the student picked, the
    files and the messages, and is it never cached?"""
    _returned(client, session, school)
    copy = client.get(f"{PAGE}/copy")
    page = copy.get_data(as_text=True)
    assert copy.status_code == 200 and copy.headers["Cache-Control"] == "no-store"
    assert "Something happened on placement." in page
    assert "How much is it affecting you?" in page and "Quite a lot" in page
    assert "A clinician or supervisor on placement" in page and "clinician<" not in page
    assert "Race, ethnicity or nationality" in page
    assert "Thank you for telling us." in page and "rota.txt" in page
    assert "Print command" in page and "Leave" in page
    assert f'href="{PAGE}/copy"' in client.get(PAGE).get_data(as_text=True)


def test_a_peer_request_copy_has_no_report_answers(client, session, school):
    """Does a peer request's copy leave out the answers the student was never asked?"""
    submitted = factories.make_report(session, school)
    submitted.case.kind = "peer_connection"
    session.commit()
    post_form(client, "/s/northfield/return", {"receipt": submitted.receipt})
    page = client.get(f"{PAGE}/copy").get_data(as_text=True)
    assert "Your own copy of your request" in page
    assert "How much is it affecting you?" not in page


def test_the_student_downloads_their_own_file_and_nobody_else_can(app, client, session,
                                                                  school):
    """Is the file the student's own bytes, as an attachment never cached or shown inline;
    and does anyone without the receipt session, or any other id, get nothing?"""
    submitted = _returned(client, session, school)
    evidence = submitted.report.evidence[0]
    got = client.get(f"{PAGE}/files/{evidence.id}")
    assert got.status_code == 200 and got.data == NOTE
    assert got.headers["Content-Disposition"].startswith("attachment;")
    assert "rota.txt" in got.headers["Content-Disposition"]
    assert got.headers["Cache-Control"] == "no-store"
    assert got.headers["Content-Type"] == "application/octet-stream"
    assert got.headers["Content-Security-Policy"].startswith("sandbox")
    assert client.get(f"{PAGE}/files/not-an-id").status_code == 404
    stranger = app.test_client()
    assert stranger.get(f"{PAGE}/files/{evidence.id}").status_code == 302
    other = factories.make_report(session, school, files=(CleanFile("x.txt", TEXT, b"x"),))
    session.commit()
    assert client.get(f"{PAGE}/files/{other.report.evidence[0].id}").status_code == 404


def test_a_reload_after_send_message_sends_nothing_twice(client, session, school):
    """Does Send message redirect to the page (the notice once), so a reload only reads?"""
    submitted = _returned(client, session, school)
    sent = post_form(client, f"{PAGE}/reply", {"message": "Tuesday works."}, from_url=PAGE)
    assert sent.status_code == 303 and sent.location.endswith(PAGE)
    shown = client.get(PAGE).get_data(as_text=True)
    assert "Your message has been sent." in shown and "Tuesday works." in shown
    reloaded = client.get(PAGE).get_data(as_text=True)
    assert "Your message has been sent." not in reloaded  # said once
    session.expire_all()
    assert session.scalar(select(func.count(Message.id)).where(
        Message.case_id == submitted.case.id, Message.author == "reporter")) == 1


def test_leave_ends_the_session_and_clears_the_browser(app, client, session, school):
    """After Leave: the session cookie gone, the browser told to clear its cache, cookies
    and storage, and the copy and files no longer open?"""
    submitted = _returned(client, session, school)
    left = post_form(client, "/s/northfield/leave", {}, from_url=PAGE)
    assert left.status_code == 303
    assert left.headers["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert client.get_cookie(app.config["SESSION_COOKIE_NAME"]) is None
    for path in (PAGE, f"{PAGE}/copy", f"{PAGE}/files/{submitted.report.evidence[0].id}"):
        assert client.get(path).status_code == 302


def test_a_deletion_is_confirmed_once_then_leads_home(client, session, school):
    """Does Delete redirect to a page said once, a reload of it going to the start?"""
    _returned(client, session, school)
    gone = post_form(client, f"{PAGE}/delete", {"confirm": "y"}, from_url=PAGE)
    assert gone.status_code == 303 and gone.location.endswith(f"{PAGE}/deleted")
    assert "Your report has been deleted" in client.get(f"{PAGE}/deleted").get_data(
        as_text=True)
    again = client.get(f"{PAGE}/deleted")
    assert again.status_code == 302 and again.location.endswith("/s/northfield/")
