"""Coming back with a receipt: messages both ways, files, sharing, withdrawal."""

from __future__ import annotations

import html
import io
import re

from sqlalchemy import select

from reporting.domain.cases import Action
from reporting.domain.roles import ChannelKind, Role
from reporting.models import Case, WrappedKey
from reporting.services import peer
from reporting.services.casework import post_staff_message, staff_keys, transition
from tests import factories
from tests.conftest import post_form
from tests.services.test_reports import NAMED, private_key

PAGE = "/s/northfield/your-report"
TIMELINE = re.compile(r'<ol class="timeline">(.*?)</ol>', re.S)
LINE = re.compile(r"</time>: (.*?)</li>")


def history_lines(page: str) -> list[str]:
    """The words of each line of a page's history (the student's or a handler's)."""
    return [html.unescape(line) for line in LINE.findall(TIMELINE.search(page).group(1))]


def _open(client, receipt: str) -> None:
    assert post_form(client, "/s/northfield/return", {"receipt": receipt}).status_code == 302


def _act(client, action: str, data: dict, follow_redirects: bool = True, **kwargs):
    """Post one of the page's forms; a success redirects to the page (post/redirect/get)."""
    return post_form(client, f"{PAGE}/{action}", data, from_url=PAGE,
                     follow_redirects=follow_redirects, **kwargs)


def test_student_reads_a_signed_or_unsigned_reply_and_answers(client, session, school):
    """Does the student see replies (name only when signed), answer, and un-pause the case?"""
    officer = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    submitted = factories.make_report(session, school)
    case = submitted.case
    keys = staff_keys(session, officer, private_key(officer), case)
    transition(session, case, Action.ACKNOWLEDGE, actor_kind="staff", actor_id=officer.id)
    transition(session, case, Action.START, actor_kind="staff", actor_id=officer.id)
    post_staff_message(session, officer, keys, case, "Thank you for telling us.")
    post_staff_message(session, officer, keys, case, "Could we talk on Tuesday?", signed=True,
                       ask_reporter=True)
    session.commit()
    _open(client, submitted.receipt)
    page = client.get(PAGE).get_data(as_text=True)
    assert "Thank you for telling us." in page and "Could we talk on Tuesday?" in page
    assert page.count("Pastoral officer, Pastoral and wellbeing support") == 1  # signed only
    assert "We have asked you something." in page
    sent = _act(client, "reply", {"message": "Tuesday works for me."})
    assert sent.request.path == PAGE  # the page again, by a redirect after the post
    assert "Your message has been sent." in sent.text and "Tuesday works for me." in sent.text
    assert "Your message has been sent." not in client.get(PAGE).text  # said once
    session.expire_all()
    assert session.get(Case, case.id).status == "in_progress"


def test_messages_add_no_line_to_the_students_history(client, session, school):
    """Does each status read once in the student's history, in its one name, however many
    messages came (each used to add a second 'Acknowledged')?"""
    officer = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    submitted = factories.make_report(session, school)
    case = submitted.case
    keys = staff_keys(session, officer, private_key(officer), case)
    transition(session, case, Action.ACKNOWLEDGE, actor_kind="staff", actor_id=officer.id)
    post_staff_message(session, officer, keys, case, "Thank you for telling us.")
    post_staff_message(session, officer, keys, case, "We will be in touch this week.")
    transition(session, case, Action.START, actor_kind="staff", actor_id=officer.id)
    post_staff_message(session, officer, keys, case, "Could we talk?", ask_reporter=True)
    session.commit()
    _open(client, submitted.receipt)
    page = client.get(PAGE).get_data(as_text=True)
    assert history_lines(page) == ["Submitted", "Acknowledged", "In progress",
                                   "Awaiting student"]
    assert "<strong>Awaiting student.</strong>" in page
    assert "reporter" not in page.lower()


def test_a_peer_request_accepted_and_answered_reads_as_handled(client, session, school):
    """After a supporter accepts and answers, does the student read that their request is
    being handled (not 'nobody has opened it'), and the supporter's reply?"""
    supporter = factories.make_staff(session, school, Role.PEER_SUPPORTER)
    submitted = peer.request_connection(session, school, frozenset({"race"}), "Hello.")
    session.commit()
    case = submitted.case
    peer.accept(session, supporter, case)
    post_staff_message(session, supporter, staff_keys(session, supporter, private_key(supporter),
                                                      case), case, "Happy to talk.")
    session.commit()
    _open(client, submitted.receipt)
    page = client.get(PAGE).get_data(as_text=True)
    assert ("<strong>In progress.</strong> A peer supporter has taken on your request and is "
            "handling it.") in page
    assert "Nobody has opened" not in page and "No peer supporter" not in page
    assert "Happy to talk." in page
    assert history_lines(page) == ["Submitted", "Acknowledged", "In progress"]


def test_an_empty_or_stale_reply_keeps_what_was_typed(client, session, school):
    """Is an empty reply refused clearly, and a stale token keeps the typed text?"""
    submitted = factories.make_report(session, school)
    session.commit()
    _open(client, submitted.receipt)
    assert "Write your message first." in _act(client, "reply", {"message": ""}).get_data(
        as_text=True)
    stale = client.post(f"{PAGE}/reply", data={"csrf_token": "stale",
                                               "message": "Please keep me"})
    assert stale.status_code == 200 and "Please keep me" in stale.get_data(as_text=True)


def test_student_adds_files_up_to_the_limit(client, session, school):
    """Can the student add evidence later, but no more than five files in all?"""
    submitted = factories.make_report(session, school)
    session.commit()
    _open(client, submitted.receipt)
    files = [(io.BytesIO(b"note %d" % n), f"note{n}.txt") for n in range(3)]
    added = _act(client, "files", {"files": files}, content_type="multipart/form-data")
    assert "3 files added." in added.get_data(as_text=True)
    more = [(io.BytesIO(b"more %d" % n), f"more{n}.txt") for n in range(3)]
    refused = _act(client, "files", {"files": more}, content_type="multipart/form-data")
    assert "at most 5 files" in refused.get_data(as_text=True)


def test_narrowing_sharing_removes_the_name_from_handlers_at_once(client, session, school):
    """When the student unticks a team, does that team lose the identity key immediately?"""
    officer = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    submitted = factories.make_report(session, school, identity=NAMED,
                                      share_identity_with=frozenset({ChannelKind.PASTORAL}))
    session.commit()
    assert staff_keys(session, officer, private_key(officer), submitted.case).identity
    _open(client, submitted.receipt)
    page = _act(client, "sharing", {}).get_data(as_text=True)
    assert "Your choice about sharing your name has been saved." in page
    session.expire_all()
    assert staff_keys(session, officer, private_key(officer), submitted.case).identity is None
    _act(client, "sharing", {"share_identity_with": ["pastoral"]})
    session.expire_all()
    assert staff_keys(session, officer, private_key(officer), submitted.case).identity


def test_anonymous_report_has_no_sharing_choice(client, session, school):
    """Is there nothing to share (and no form) for an anonymous report?"""
    submitted = factories.make_report(session, school)
    session.commit()
    _open(client, submitted.receipt)
    assert "Who can see your name" not in client.get(PAGE).get_data(as_text=True)
    refused = _act(client, "sharing", {"share_identity_with": ["peer"]}).get_data(as_text=True)
    assert "This report is anonymous" in refused
    assert not session.scalars(select(WrappedKey).where(WrappedKey.scope == "identity",
                                                        WrappedKey.holder == "staff")).all()


def test_withdrawing_needs_a_tick_then_stops_everything(client, session, school):
    """Does withdrawal need confirmation, and afterwards refuse replies?"""
    submitted = factories.make_report(session, school)
    session.commit()
    _open(client, submitted.receipt)
    assert "Tick the box to confirm" in _act(client, "withdraw", {}).get_data(as_text=True)
    done = _act(client, "withdraw", {"confirm": "y"}).get_data(as_text=True)
    assert "Your report has been withdrawn." in done and "You withdrew this report." in done
    assert "Send message" not in done
    session.expire_all()
    assert session.get(Case, submitted.case.id).status == "withdrawn"


def test_unknown_actions_and_expired_sessions_go_somewhere_safe(client, app, session, school):
    """Do an unknown action and an old receipt session lead back, not to an error?"""
    submitted = factories.make_report(session, school)
    session.commit()
    _open(client, submitted.receipt)
    assert _act(client, "delete-everything", {}, follow_redirects=False).status_code == 302
    app.config["REPORTER_SESSION_SECONDS"] = -1
    try:
        assert client.get(PAGE).location.endswith("/s/northfield/return")
    finally:
        app.config["REPORTER_SESSION_SECONDS"] = 15 * 60
