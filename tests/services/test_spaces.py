"""Spaces to meet against a real database: who may organise, what is audited, how students'
choices match, and how "I might come" is counted and shown."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from sqlalchemy import select

from reporting.domain.errors import Conflict
from reporting.domain.roles import Role
from reporting.domain.spaces.fields import (
    InvalidSession,
    NotAnOrganiser,
    SessionFields,
    SessionNotFound,
)
from reporting.models import AuditEntry, SpaceSession
from reporting.services import audit
from reporting.services.demo import build_demo
from reporting.services.spaces import leads, sessions
from reporting.services.spaces.interest import interest_shown, note_interest
from reporting.services.staff_admin import StaffNotFound
from tests import factories


def session_fields(title: str = "Meet-up", tags: tuple[str, ...] = (), days: int = 7,
                   **changes) -> SessionFields:
    """A session a week from today (or `days` from today), 12:30 to 14:00."""
    return SessionFields(**{**dict(
        title=title, tags=tags, day=date.today() + timedelta(days=days), starts=time(12, 30),
        ends=time(14), facilitator="Dr A. Mensah", join_details="Room 2.14"), **changes})


@pytest.fixture
def peer(session, school):
    user = factories.make_staff(session, school, Role.PEER_SUPPORTER)
    session.commit()
    return user


def _ended(session, space: SpaceSession) -> SpaceSession:
    """Move a session into the past."""
    space.starts_at -= timedelta(days=30)
    space.ends_at -= timedelta(days=30)
    session.commit()
    return space


def test_an_admin_publishes_edits_and_cancels_each_audited(session, school, admin):
    """Is each change an audit entry naming the admin and the session only?"""
    space = sessions.create_session(session, admin, school, session_fields())
    sessions.edit_session(session, admin, space, session_fields(title="Renamed"))
    sessions.cancel_session(session, admin, space)
    session.commit()
    entries = session.scalars(select(AuditEntry).where(
        AuditEntry.action.like("spaces.%")).order_by(AuditEntry.seq)).all()
    assert [(e.action, e.actor, e.target) for e in entries] == [
        (action, f"staff:{admin.id}", f"space_session:{space.id}")
        for action in ("spaces.create", "spaces.edit", "spaces.cancel")]
    assert "Renamed" not in " ".join(e.detail for e in entries)
    assert space.title == "Renamed" and space.sequence == 2 and space.cancelled_at
    assert audit.verify(session) == []


def test_a_peer_supporter_who_is_not_a_lead_cannot_publish(session, school, peer):
    """Does the service itself refuse a peer supporter no admin named, storing nothing?"""
    with pytest.raises(NotAnOrganiser):
        sessions.create_session(session, peer, school, session_fields())
    assert session.scalars(select(SpaceSession)).all() == []


def test_a_named_lead_publishes_until_the_admin_stops_them(session, school, admin, peer):
    """Once named, can a lead publish and edit; once removed, are they refused again?"""
    leads.name_lead(session, admin, peer.id)
    space = sessions.create_session(session, peer, school, session_fields())
    sessions.edit_session(session, peer, space, session_fields(title="Peer-led"))
    session.commit()
    assert [u.id for u in leads.leads(session, school.id)] == [peer.id]
    leads.remove_lead(session, admin, peer.id)
    session.commit()
    with pytest.raises(NotAnOrganiser):
        sessions.cancel_session(session, peer, space)
    actions = session.scalars(select(AuditEntry.action).where(
        AuditEntry.target == f"staff:{peer.id}", AuditEntry.action.like("spaces.%"))
        .order_by(AuditEntry.id)).all()
    assert actions == ["spaces.lead_named", "spaces.lead_removed"]


def test_only_an_admin_names_leads_and_only_of_their_school(session, school, admin, peer):
    """Can a lead name another lead, or an admin name another school's staff or an admin? No."""
    other = factories.make_school(session, slug="southbank")
    stranger = factories.make_staff(session, other, Role.PEER_SUPPORTER,
                                    email="peer@southbank.example")
    session.commit()
    leads.name_lead(session, admin, peer.id)
    with pytest.raises(NotAnOrganiser):
        leads.name_lead(session, peer, admin.id)
    with pytest.raises(StaffNotFound):
        leads.name_lead(session, admin, stranger.id)
    with pytest.raises(StaffNotFound):
        leads.name_lead(session, admin, admin.id)


def test_another_schools_admin_cannot_see_or_change_a_session(session, school, admin):
    """Is this school's session "not found" to another school's admin, by id or directly?"""
    space = sessions.create_session(session, admin, school, session_fields())
    other = factories.make_school(session, slug="southbank")
    stranger = factories.make_staff(session, other, Role.ADMIN, email="admin@southbank.example")
    session.commit()
    with pytest.raises(SessionNotFound):
        sessions.find_session(session, other.id, space.id)
    with pytest.raises(SessionNotFound):
        sessions.edit_session(session, stranger, space, session_fields(title="Taken"))
    with pytest.raises(SessionNotFound):
        sessions.cancel_session(session, stranger, space)
    session.refresh(space)
    assert space.title == "Meet-up" and space.cancelled_at is None


def test_a_session_is_published_to_come_not_for_the_archive(session, school, admin):
    """Is a session whose day has passed (on the school's clock) refused, storing nothing?"""
    with pytest.raises(InvalidSession) as refused:
        sessions.create_session(session, admin, school, session_fields(days=-1))
    assert "day" in refused.value.problems
    assert session.scalars(select(SpaceSession)).all() == []


def test_a_session_that_ended_or_was_cancelled_cannot_change(session, school, admin):
    """Are an ended and a cancelled session refused further edits?"""
    ended = _ended(session, sessions.create_session(session, admin, school, session_fields()))
    with pytest.raises(Conflict):
        sessions.edit_session(session, admin, ended, session_fields())
    off = sessions.create_session(session, admin, school, session_fields())
    sessions.cancel_session(session, admin, off)
    with pytest.raises(Conflict):
        sessions.cancel_session(session, admin, off)


def test_students_see_the_best_overlap_first_and_past_sessions_apart(session, school, admin):
    """Filtered by two identities: both first, then one, then open to all, none of another;
    and is an ended session only in the archive?"""
    for title, tags in [("Open to all", ()), ("Race only", ("race",)),
                        ("Faith and race", ("race", "religion_belief")),
                        ("Disability", ("disability",))]:
        sessions.create_session(session, admin, school, session_fields(title, tags))
    old = sessions.create_session(session, admin, school, session_fields("Last term"))
    _ended(session, old)

    def titles(found):
        return [s.title for s in found]

    assert titles(sessions.upcoming(session, school.id, ["race", "religion_belief"])) == [
        "Faith and race", "Race only", "Open to all"]
    assert len(sessions.upcoming(session, school.id)) == 4
    assert titles(sessions.archive(session, school.id)) == ["Last term"]


def test_i_might_come_is_counted_and_shown_as_fewer_than_5(session, school, admin):
    """Does each "I might come" add one, show as "fewer than 5" from 1 to 4, and as the
    number from 5, with nothing else stored or audited?"""
    space = sessions.create_session(session, admin, school, session_fields())
    session.commit()
    entries = session.scalar(select(AuditEntry.seq).order_by(AuditEntry.seq.desc()).limit(1))
    assert interest_shown(space) == "0"
    shown = []
    for _ in range(5):
        note_interest(session, space)
        session.commit()
        session.refresh(space)
        shown.append(interest_shown(space))
    assert shown == ["fewer than 5"] * 4 + ["5"]
    assert session.scalar(select(AuditEntry.seq).order_by(AuditEntry.seq.desc()).limit(1)) \
        == entries


def test_interest_is_refused_once_cancelled_or_ended(session, school, admin):
    """Is "I might come" refused for a cancelled session and an ended one, counting nothing?"""
    off = sessions.create_session(session, admin, school, session_fields())
    sessions.cancel_session(session, admin, off)
    ended = _ended(session, sessions.create_session(session, admin, school, session_fields()))
    for space in (off, ended):
        with pytest.raises(Conflict):
            note_interest(session, space)
        session.refresh(space)
        assert space.interest_count == 0


def test_the_demo_school_has_sessions_coming_up_and_one_past(session):
    """Does the demo seed three upcoming sessions and one in the archive, through the rules?"""
    demo = build_demo(session, params=factories.FAST, totp_key=factories.TOTP_KEY,
                      enrolment_lifetime=timedelta(hours=1), password=factories.PASSWORD)
    session.commit()
    coming = sessions.upcoming(session, demo.school.id, ["race"])
    assert len(sessions.upcoming(session, demo.school.id)) == 3
    assert coming[0].title.startswith("Black and Asian medics")
    assert [s.title for s in sessions.archive(session, demo.school.id)] == [
        "LGBTQ+ medics: coffee before exams"]
