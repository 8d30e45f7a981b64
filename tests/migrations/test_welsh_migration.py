"""The school's Welsh words (c7a1e5b9d3f2) go down and up with the English rows kept."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text
from sqlalchemy.orm import Session

from reporting.domain.directory import EntryFields, Kind
from reporting.extensions import db
from reporting.services.directory import create_entry
from tests import factories

WELSH = "c7a1e5b9d3f2"


def _columns(table: str) -> set[str]:
    with db.engine.connect() as connection:
        return {column["name"] for column in inspect(connection).get_columns(table)}


def test_welsh_columns_go_down_and_up_keeping_every_row(app, migrated):
    with Session(db.engine) as session:
        school = factories.make_school(session)
        session.flush()
        create_entry(session, "test", school, EntryFields(
            kind=Kind.WELLBEING.value, name="Student Wellbeing", offers="Someone to talk to.",
            phone="0113 496 0000", name_cy="Lles Myfyrwyr"))
        session.commit()
    downgrade(revision=f"{WELSH}-1")
    assert "name_cy" not in _columns("support_revisions")
    assert "urgent_contact_cy" not in _columns("schools")
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT name FROM support_revisions")).scalars().all() \
            == ["Student Wellbeing"]
        assert connection.execute(text("SELECT urgent_contact FROM schools")).scalar() \
            == "Duty wellbeing officer: 0113 496 0000"
    upgrade(revision=WELSH)
    assert {"name_cy", "offers_cy", "hours_cy"} <= _columns("support_revisions")
    with db.engine.connect() as connection:
        # Rows made before the Welsh existed: English kept, Welsh empty (so the English shows).
        assert connection.execute(text(
            "SELECT name, name_cy, offers_cy, hours_cy FROM support_revisions")).one() \
            == ("Student Wellbeing", "", "", "")
        assert connection.execute(text(
            "SELECT urgent_contact, urgent_contact_cy FROM schools")).one() \
            == ("Duty wellbeing officer: 0113 496 0000", "")
