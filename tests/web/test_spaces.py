"""Spaces to meet through the test client: students browse cookie-free until they say
"I might come"; organisers publish, edit and cancel; leads only when named."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from reporting.domain.roles import Role
from reporting.services.spaces import leads, sessions
from tests import factories
from tests.conftest import post_form
from tests.services.test_spaces import session_fields

TOKEN = re.compile(r'name="token"[^>]*value="([^"]+)"')


@pytest.fixture
def published(session, school):
    """Two upcoming sessions (one for race and faith, one open to all) and an ended one."""
    made = {
        "race": sessions.create_session(session, "test", school, session_fields(
            "Faith and race", ("race", "religion_belief"))),
        "all": sessions.create_session(session, "test", school, session_fields(
            "Open to all", online=True, join_details="https://meet.example.ac.uk/open")),
        "old": sessions.create_session(session, "test", school, session_fields("Last term")),
    }
    made["old"].starts_at -= timedelta(days=30)
    made["old"].ends_at -= timedelta(days=30)
    session.commit()
    return made


def _url(space, tail: str = "") -> str:
    return f"/s/northfield/spaces/{space.id}{tail}"


def _might_come(client, space):
    token = TOKEN.search(client.get(_url(space)).get_data(as_text=True)).group(1)
    return client.post(_url(space, "/interest"), data={"token": token})


def test_browsing_sessions_sets_no_cookie(client, published):
    """Do the list, a filtered list, the archive, a session's page (with its form) and its
    .ics leave no cookie before the student acts?"""
    for url in ["/s/northfield/spaces", "/s/northfield/spaces?tag=race&tag=disability",
                "/s/northfield/spaces/past", _url(published["race"]),
                _url(published["race"], "/calendar.ics")]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Set-Cookie" not in response.headers, url


def test_the_filter_shows_the_closest_match_first_and_past_sessions_apart(client, published):
    """Filtered by race: the race session, then the open one; is last term's only archived?"""
    page = client.get("/s/northfield/spaces?tag=race").get_data(as_text=True)
    assert page.index("Faith and race") < page.index("Open to all")
    assert "Last term" not in page
    assert "Last term" in client.get("/s/northfield/spaces/past").get_data(as_text=True)
    assert client.get("/s/northfield/spaces?tag=nonsense").status_code == 400


def test_i_might_come_counts_once_and_then_shows_how_to_join(session, client, published):
    """Is how to join hidden until the student says they might come, counted once however
    often this browser presses, and then shown?"""
    space = published["all"]
    page = client.get(_url(space)).get_data(as_text=True)
    assert "meet.example.ac.uk/open" not in page
    token = TOKEN.search(page).group(1)
    response = client.post(_url(space, "/interest"), data={"token": token})
    assert response.status_code == 303 and response.location.endswith("#join")
    assert "Set-Cookie" in response.headers
    page = client.get(_url(space)).get_data(as_text=True)
    assert "https://meet.example.ac.uk/open" in page and "I might come</button>" not in page
    assert client.post(_url(space, "/interest"), data={"token": token}).status_code == 303
    session.refresh(space)
    assert space.interest_count == 1


def test_the_calendar_file_holds_the_link_only_after_i_might_come(client, published):
    """Is the .ics a text/calendar attachment, with the join link only for a browser that
    said it might come?"""
    space = published["all"]
    before = client.get(_url(space, "/calendar.ics"))
    assert before.mimetype == "text/calendar"
    assert before.headers["Content-Disposition"].startswith("attachment;")
    assert b"LOCATION:Online" in before.data and b"meet.example" not in before.data
    _might_come(client, space)
    assert b"meet.example.ac.uk/open" in client.get(_url(space, "/calendar.ics")).data


def test_a_forged_or_foreign_token_counts_nothing(session, client, published, app):
    """Is a missing token, or one for another session, refused with the page and a word
    why, and a POST another site started refused before that?"""
    space, other = published["race"], published["all"]
    token = TOKEN.search(client.get(_url(other)).get_data(as_text=True)).group(1)
    assert client.post(_url(space, "/interest"), data={}).status_code == 400
    refused = client.post(_url(space, "/interest"), data={"token": token})
    assert refused.status_code == 400 and "open too long" in refused.get_data(as_text=True)
    assert client.post(_url(space, "/interest"), data={"token": token},
                       headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
    session.refresh(space)
    assert space.interest_count == 0


def test_a_cancelled_session_takes_no_interest(session, client, published):
    """Is a cancelled session marked, without the button, and a post to it refused?"""
    space = published["race"]
    token = TOKEN.search(client.get(_url(space)).get_data(as_text=True)).group(1)
    sessions.cancel_session(session, "test", space)
    session.commit()
    page = client.get(_url(space)).get_data(as_text=True)
    assert "This session is cancelled." in page and "I might come" not in page
    assert client.post(_url(space, "/interest"), data={"token": token}).status_code == 409
    assert b"STATUS:CANCELLED" in client.get(_url(space, "/calendar.ics")).data


def test_an_admin_publishes_edits_and_cancels_through_the_pages(session, school, login_as):
    """Can an admin publish (errors shown first), edit and cancel through the forms?"""
    admin = login_as(Role.ADMIN)
    form = {"title": "Meet-up", "day": session_fields().day.isoformat(), "starts": "12:30",
            "ends": "14:00", "online": "in_person", "join_details": "Room 2.14",
            "facilitator": "Dr A. Mensah", "tags": ["race"], "access": ["step_free"]}
    refused = post_form(admin, "/admin/spaces/new", {**form, "ends": "11:00"})
    assert refused.status_code == 400 and "must end after it starts" in refused.text
    assert post_form(admin, "/admin/spaces/new", form).status_code == 302
    space = sessions.upcoming(session, school.id)[0]
    assert space.step_free and space.tag_list == ["race"]
    edit = f"/admin/spaces/edit?session={space.id}"
    assert 'value="Meet-up"' in admin.get(edit).text
    assert post_form(admin, edit, {**form, "title": "Renamed"}).status_code == 302
    assert post_form(admin, "/admin/spaces/cancel", {"session": space.id},
                     from_url="/admin/spaces").status_code == 302
    session.refresh(space)
    assert space.title == "Renamed" and space.cancelled_at is not None


def test_organisers_see_fewer_than_5(session, school, login_as, published, client):
    """With three students saying they might come, does the organiser see "fewer than 5"?"""
    admin = login_as(Role.ADMIN)
    for _ in range(3):
        _might_come(admin.application.test_client(), published["race"])
    page = admin.get("/admin/spaces").get_data(as_text=True)
    assert "fewer than 5" in page and ">3<" not in page


def test_a_peer_lead_publishes_only_once_named(session, school, login_as):
    """Is a peer supporter refused the organisers' pages until an admin names them through
    the leads page, and then able to publish?"""
    admin = login_as(Role.ADMIN)
    peer = login_as(Role.PEER_SUPPORTER)
    assert peer.get("/staff/spaces").status_code == 403
    assert "Sessions to meet" not in peer.get("/staff/").get_data(as_text=True)
    assert post_form(admin, "/admin/spaces/leads", {"staff": str(peer.user.id)}) \
        .status_code == 302
    assert [u.id for u in leads.leads(session, school.id)] == [peer.user.id]
    assert "Sessions to meet" in peer.get("/staff/").get_data(as_text=True)
    form = {"title": "Peer-led", "day": session_fields().day.isoformat(), "starts": "18:00",
            "ends": "19:00", "online": "online", "join_details": "https://meet.example/p",
            "facilitator": "Kofi"}
    assert post_form(peer, "/staff/spaces/new", form).status_code == 302
    assert peer.get("/staff/spaces").status_code == 200
    assert post_form(admin, "/admin/spaces/leads/remove", {"staff": str(peer.user.id)},
                     from_url="/admin/spaces/leads").status_code == 302
    assert peer.get("/staff/spaces").status_code == 403


def test_another_schools_admin_cannot_edit_or_cancel(session, school, login_as, published):
    """Is this school's session "not there" for another school's admin, and left as it was?"""
    other = factories.make_school(session, slug="southbank")
    session.commit()
    stranger = login_as(Role.ADMIN, at_school=other, email="admin@southbank.example")
    space = published["race"]
    assert stranger.get(f"/admin/spaces/edit?session={space.id}").status_code == 404
    assert post_form(stranger, "/admin/spaces/cancel", {"session": space.id},
                     from_url="/admin/spaces").status_code == 404
    assert "Faith and race" not in stranger.get("/admin/spaces").get_data(as_text=True)
    session.refresh(space)
    assert space.cancelled_at is None
