"""Role-model profiles and sessions in Welsh: the volunteer's and the organiser's own words
show on Welsh pages; where the Welsh is missing the English shows, marked lang="en" with a
visible note; the admin and organiser lists show which lack Welsh; a Welsh edit waits for
the same approval as an English one."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from reporting.domain.roles import Role
from reporting.domain.spaces.fields import InvalidSession, check
from reporting.services.demo import build_demo
from reporting.services.role_models import profiles
from reporting.services.spaces import sessions
from tests import factories
from tests.conftest import post_form, sign_in
from tests.services.test_role_models import approved, fields
from tests.services.test_spaces import session_fields

NOTE = "(Dim ond yn Saesneg y mae hwn ar gael)"
MARK = "tag-no-welsh"  # the admin's "No Welsh yet" tag


@pytest.fixture
def admin(session, school):
    user = factories.make_staff(session, school, Role.ADMIN, email="boss@test.example")
    session.commit()
    return user


def test_a_welsh_page_shows_the_volunteers_welsh(client, session, admin, volunteer):
    profile = approved(session, admin, volunteer, role_title_cy="Meddyg ymgynghorol",
                        specialty_cy="Cardioleg", why_cy="Fi oedd y cyntaf yn fy nheulu.")
    welsh = client.get(f"/s/northfield/role-models/{profile.id}?lang=cy").text
    assert "Meddyg ymgynghorol, Cardioleg" in welsh
    assert "Fi oedd y cyntaf yn fy nheulu." in welsh
    assert "I was the first in my family." not in welsh and NOTE not in welsh
    english = client.get(f"/s/northfield/role-models/{profile.id}").text
    assert "Consultant, Cardiology" in english and "Meddyg ymgynghorol" not in english
    assert NOTE not in english and 'lang="en"' not in english.split("<body", 1)[1]
    listed = client.get("/s/northfield/role-models?lang=cy").text
    assert "Meddyg ymgynghorol" in listed and "Consultant" not in listed


def test_missing_welsh_shows_the_english_marked_with_a_note(client, session, admin,
                                                            volunteer):
    profile = approved(session, admin, volunteer)  # English only
    welsh = client.get(f"/s/northfield/role-models/{profile.id}?lang=cy").text
    assert '<span lang="en">Consultant</span>' in welsh
    assert '<span lang="en">I was the first in my family.</span>' in welsh
    assert NOTE in welsh


def test_the_admin_list_marks_profiles_without_welsh(login_as, session, school, volunteer):
    admin_client = login_as(Role.ADMIN)
    profiles.save_profile(session, volunteer, fields())
    assert MARK in admin_client.get("/admin/role-models").text
    profiles.save_profile(session, volunteer, fields(
        role_title_cy="Meddyg ymgynghorol", specialty_cy="Cardioleg",
        why_cy="Fi oedd y cyntaf yn fy nheulu."))
    page = admin_client.get("/admin/role-models").text
    assert MARK not in page and "Fi oedd y cyntaf yn fy nheulu." in page


def test_a_welsh_edit_waits_for_approval(app, client, session, admin, volunteer):
    profile = approved(session, admin, volunteer)
    staff = app.test_client()
    sign_in(staff, volunteer)
    form = {"display_name": "Ade", "role_title": "Consultant", "specialty": "Cardiology",
            "tags": ["race"], "helps": ["conversation"], "why": "I was the first in my family.",
            "role_title_cy": "Meddyg ymgynghorol", "why_cy": "Fi oedd y cyntaf."}
    assert re.search(r'<input[^>]*id="role_title_cy"[^>]*lang="cy"',
                     staff.get("/volunteer/profile").text)
    assert post_form(staff, "/volunteer/profile", form).status_code == 302
    session.refresh(profile)
    assert profile.status == "pending" and profile.role_title_cy == "Meddyg ymgynghorol"
    assert client.get(f"/s/northfield/role-models/{profile.id}?lang=cy").status_code == 404
    assert 'value="Meddyg ymgynghorol"' in staff.get("/volunteer/profile").text
    profiles.approve_profile(session, admin, profile)
    assert "Meddyg ymgynghorol" in client.get(
        f"/s/northfield/role-models/{profile.id}?lang=cy").text


def test_a_welsh_profile_too_long_is_refused(app, session, volunteer):
    staff = app.test_client()
    sign_in(staff, volunteer)
    page = post_form(staff, "/volunteer/profile", {
        "display_name": "Ade", "role_title": "Consultant", "helps": ["conversation"],
        "role_title_cy": "x" * 121})
    assert page.status_code == 200 and "Keep your role under 120 characters." in page.text


@pytest.fixture
def sessions_made(session, school):
    made = {
        "welsh": sessions.create_session(session, "test", school, session_fields(
            "Faith and race", about="Lunch together.", area="Worsley Building",
            title_cy="Ffydd a hil", about_cy="Cinio gyda’n gilydd.",
            area_cy="Adeilad Worsley", facilitator_cy="Dr A. Mensah (cy)",
            join_details_cy="Ystafell 2.14", access_notes="A hearing loop.",
            access_notes_cy="Dolen sain.")),
        "english": sessions.create_session(session, "test", school, session_fields(
            "Open to all", about="Anyone welcome.")),
    }
    session.commit()
    return made


def test_a_welsh_page_shows_the_sessions_welsh(client, sessions_made):
    space = sessions_made["welsh"]
    page = client.get(f"/s/northfield/spaces/{space.id}?lang=cy").text
    for words in ("Ffydd a hil", "Cinio gyda’n gilydd.", "Adeilad Worsley",
                  "Dr A. Mensah (cy)", "Dolen sain."):
        assert words in page, words
    assert "<title>Ffydd a hil" in page
    assert "Faith and race" not in page and "Lunch together." not in page
    listed = client.get("/s/northfield/spaces?lang=cy").text
    assert "Ffydd a hil" in listed
    english = client.get(f"/s/northfield/spaces/{space.id}").text
    assert "Faith and race" in english and "Ffydd a hil" not in english


def test_a_session_without_welsh_shows_the_english_with_a_note(client, sessions_made):
    space = sessions_made["english"]
    page = client.get(f"/s/northfield/spaces/{space.id}?lang=cy").text
    assert '<span lang="en">Open to all</span>' in page
    assert '<span lang="en">Anyone welcome.</span>' in page
    assert NOTE in page


def test_the_calendar_file_uses_the_welsh_on_a_welsh_page(client, sessions_made):
    space = sessions_made["welsh"]
    welsh = client.get(f"/s/northfield/spaces/{space.id}/calendar.ics?lang=cy").text
    assert "SUMMARY:Ffydd a hil" in welsh
    english = client.get(f"/s/northfield/spaces/{space.id}/calendar.ics").text
    assert "SUMMARY:Faith and race" in english and "Run by Dr A. Mensah." in english


def test_the_organiser_list_marks_sessions_without_welsh(login_as, session, sessions_made):
    admin_client = login_as(Role.ADMIN)
    page = admin_client.get("/admin/spaces").text
    welsh_row, english_row = (next(row for row in page.split("<tr>") if title in row)
                              for title in ("Faith and race", "Open to all"))
    assert MARK not in welsh_row and MARK in english_row


def test_an_organiser_enters_welsh_through_the_form(login_as, session, school):
    admin_client = login_as(Role.ADMIN)
    form = {"title": "Meet-up", "day": session_fields().day.isoformat(), "starts": "12:30",
            "ends": "14:00", "online": "in_person", "join_details": "Room 2.14",
            "facilitator": "Dr A. Mensah", "title_cy": "Cyfarfod",
            "join_details_cy": "Ystafell 2.14"}
    assert 'name="title_cy"' in admin_client.get("/admin/spaces/new").text
    assert post_form(admin_client, "/admin/spaces/new", form).status_code == 302
    space = sessions.upcoming(session, school.id)[0]
    assert (space.title_cy, space.join_details_cy) == ("Cyfarfod", "Ystafell 2.14")
    edit = admin_client.get(f"/admin/spaces/edit?session={space.id}").text
    assert 'value="Cyfarfod"' in edit


def test_the_demo_has_a_welsh_role_model_and_a_welsh_session(client, session):
    demo = build_demo(session, params=factories.FAST, totp_key=factories.TOTP_KEY,
                      enrolment_lifetime=timedelta(hours=1), password=factories.PASSWORD)
    session.commit()
    slug = demo.school.slug
    assert "Meddyg ymgynghorol" in client.get(f"/s/{slug}/role-models?lang=cy").text
    assert "Meddygon Du ac Asiaidd" in client.get(f"/s/{slug}/spaces?lang=cy").text
    english = client.get(f"/s/{slug}/spaces").text
    assert "Black and Asian medics" in english and "Meddygon" not in english


def test_welsh_session_words_keep_the_english_rules_but_are_optional():
    assert check(session_fields()).title_cy == ""
    with pytest.raises(InvalidSession) as refused:
        check(session_fields(title_cy="x" * 121, online=True,
                             join_details="https://meet.example.ac.uk/a",
                             join_details_cy="not a link"))
    assert set(refused.value.problems) == {"title_cy", "join_details_cy"}
    assert refused.value.problems["title_cy"] == "Keep the title under 120 characters."
