"""One id, one label, one control, on every page every role reaches: each route, the pages
its links lead to, and its forms sent back with nothing filled in (their error pages)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from reporting.domain.cases import Action
from reporting.domain.directory import EntryFields
from reporting.domain.roles import ChannelKind
from reporting.models import StaffUser
from reporting.services import handling
from reporting.services.directory import create_entry
from reporting.services.rerouting import request_reroute
from reporting.services.spaces.sessions import create_session
from tests.conftest import post_form
from tests.services.test_spaces import session_fields
from tests.web.conftest import ROLES, SESSION_ENDING, URL_VALUES, routes
from tests.web.markup import problems
from tests.web.walk import walk

OLD_CASE_PAGE = """<form><label for="text">Message to the student</label>
<textarea id="text" name="text"></textarea><input id="csrf_token" type="hidden"></form>
<form><label for="text">Private note (only this team can read it)</label>
<textarea id="text" name="text"></textarea><input id="csrf_token" type="hidden"></form>
<label for="nowhere">Outcome</label><label for="csrf_token">Token</label>
<label>Sign <input type="checkbox" id="signed"></label><label for="signed">Sign</label>
<time datetime="2026-12-02T09:00:00.123456+00:00">2 December</time>"""


def test_the_check_finds_what_the_case_page_got_wrong():
    """Does the check name each repeated id, stray label, doubly named control and bad
    `datetime`, and pass the same page made right?"""
    assert problems(OLD_CASE_PAGE) == [
        'id "text" is on 2 elements', 'id "csrf_token" is on 2 elements',
        'label "Outcome" is for "nowhere", which is not on the page',
        'label "Token" is for "csrf_token", an element (<input>) that is not a control',
        'control "text" has 2 labels: "Message to the student", '
        '"Private note (only this team can read it)"',
        'control "signed" has 2 labels: "Sign", "Sign"',
        'datetime="2026-12-02T09:00:00.123456+00:00" is not a valid HTML date or time']
    assert problems("""<label for="a">A</label><textarea id="a"></textarea>
        <label>B <select></select></label><label>C <input></label>
        <time datetime="2026-12-02T09:00:00Z"></time><time datetime="2026-12-25"></time>""") == []


@pytest.fixture
def reached(session, school, clients):
    """More of each page shown: two directory entries (a retire form each), a case
    acknowledged (the outcome form beside the message and the note) that waits on the
    student's consent to a move (their consent form), a peer request, and two sessions to
    meet (an edit and a cancel form each)."""
    for name in ("Night line", "Chaplaincy"):
        create_entry(session, "test", school, EntryFields(
            kind="wellbeing", name=name, offers="Listening.", url="https://nl.example"))
    for title in ("Meet-up", "Online meet-up"):
        create_session(session, "test", school, session_fields(title, ("race",)))
    officer = session.scalar(select(StaffUser).filter_by(email="pastoral@test.example"))
    case = handling.find_case(session, officer, URL_VALUES["case_id"])
    handling.act(session, officer, case, Action.ACKNOWLEDGE, case.version)
    assert request_reroute(session, officer, case, school.channel(ChannelKind.INSTITUTIONAL),
                           "The EDI office handles placements.")
    session.commit()
    asked = post_form(clients["student"], "/s/northfield/peer", {"tags": ["race"]},
                      from_url="/s/northfield/peer")
    assert asked.status_code == 303
    return clients


def _page_problems(where: str, response) -> list[str]:
    if response.mimetype != "text/html":
        return []
    return [f"{where}: {problem}" for problem in problems(response.get_data(as_text=True))]


def test_every_page_has_one_id_one_label_one_control(app, reached):
    """On every page every role reaches, and every form's error page, is each id on one
    element, each label for a control on the page, no control named twice, and each
    `datetime` valid HTML?"""
    start = [url for endpoint, url, method in routes(app)
             if method == "GET" and endpoint not in SESSION_ENDING]
    found = [f"{role} {problem}" for role in ROLES
             for problem in walk(app, reached[role], start, _page_problems)]
    assert not found, "\n".join(found)
