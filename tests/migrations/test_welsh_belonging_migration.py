"""Role-model profiles' and sessions' Welsh words (e9b3d7f1a5c8) go down and up with the
English rows kept."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text
from sqlalchemy.orm import Session

from reporting.domain.roles import Role
from reporting.extensions import db
from reporting.services.role_models import profiles
from reporting.services.spaces import sessions
from tests import factories
from tests.services.test_role_models import fields
from tests.services.test_spaces import session_fields

WELSH = "e9b3d7f1a5c8"
PROFILE = {"role_title_cy", "specialty_cy", "why_cy"}
SESSION = {"title_cy", "about_cy", "area_cy", "join_details_cy", "facilitator_cy",
           "access_notes_cy"}


def _columns(table: str) -> set[str]:
    with db.engine.connect() as connection:
        return {column["name"] for column in inspect(connection).get_columns(table)}


def test_welsh_belonging_columns_go_down_and_up_keeping_every_row(app, migrated):
    with Session(db.engine) as session:
        school = factories.make_school(session)
        session.flush()
        volunteer = factories.make_staff(session, school, Role.ROLE_MODEL)
        session.commit()
        profiles.save_profile(session, volunteer, fields(role_title_cy="Meddyg ymgynghorol"))
        sessions.create_session(session, "test", school, session_fields(
            title="Meet-up", title_cy="Cyfarfod"))
        session.commit()
    downgrade(revision=f"{WELSH}-1")
    assert not PROFILE & _columns("role_model_profiles")
    assert not SESSION & _columns("space_sessions")
    with db.engine.connect() as connection:
        assert connection.execute(text(
            "SELECT role_title, why FROM role_model_profiles")).one() \
            == ("Consultant", "I was the first in my family.")
        assert connection.execute(text("SELECT title FROM space_sessions")).scalar() \
            == "Meet-up"
    upgrade(revision=WELSH)
    assert PROFILE <= _columns("role_model_profiles")
    assert SESSION <= _columns("space_sessions")
    with db.engine.connect() as connection:
        # Rows made before the Welsh existed: English kept, Welsh empty (so the English shows).
        assert connection.execute(text(
            "SELECT role_title, role_title_cy, specialty_cy, why_cy FROM role_model_profiles"
        )).one() == ("Consultant", "", "", "")
        assert connection.execute(text(
            "SELECT title, title_cy, about_cy, area_cy, join_details_cy, facilitator_cy, "
            "access_notes_cy FROM space_sessions")).one() \
            == ("Meet-up", "", "", "", "", "", "")
    upgrade()
