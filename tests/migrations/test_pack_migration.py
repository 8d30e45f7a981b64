"""The 'You said, we did' table goes down and up with the rest kept."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text
from sqlalchemy.orm import Session

from reporting.extensions import db
from reporting.models import YouSaid
from reporting.models.base import utcnow
from tests import factories


def test_going_below_you_said_drops_its_sections_and_keeps_the_school(app, migrated):
    with Session(db.engine) as session:
        school = factories.make_school(session)
        session.flush()
        session.add(YouSaid(school_id=school.id, academic_year="2026/27",
                            body="We changed the rota.", published_at=utcnow()))
        session.commit()
    downgrade(revision="e3c7a9d1f5b2")
    with db.engine.connect() as connection:
        assert "you_said_we_did" not in inspect(connection).get_table_names()
        assert connection.execute(text("SELECT count(*) FROM schools")).scalar() == 1
    upgrade()
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM you_said_we_did")).scalar() == 0
