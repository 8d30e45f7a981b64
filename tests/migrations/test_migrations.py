"""Every Alembic revision runs up and down with data in it; the head matches the models."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text
from sqlalchemy.orm import Session

from reporting.domain import references
from reporting.domain.roles import Role
from reporting.extensions import db
from reporting.services import conflicts
from tests import factories


@pytest.fixture
def migrated(app):
    """Yield inside an app context; always leave the database at head for other tests."""
    with app.app_context():
        try:
            yield
        finally:
            db.session.remove()
            upgrade()


def _revisions(app) -> list[str]:
    with app.app_context():
        script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
        return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def test_head_matches_the_models(app, migrated):
    """Does the schema the migrations build equal the one the models describe?"""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


def test_every_revision_goes_down_and_up_with_data(app, migrated):
    """Can each revision be undone and redone, from head to base and back, with rows present?"""
    revisions = _revisions(app)
    with Session(db.engine) as session:
        factories.make_report(session, factories.make_school(session))
        session.commit()
    for revision in reversed(revisions):
        downgrade(revision=f"{revision}-1" if revision != revisions[0] else "base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    for revision in revisions:
        upgrade(revision=revision)
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() \
                == revision
    assert {t.name for t in db.metadata.sorted_tables} <= set(inspect(db.engine).get_table_names())


def test_going_below_shared_cases_leaves_only_the_lead_team_with_keys(app, migrated):
    """Undoing the shared-cases revision: does the second team lose its keys (the older code
    could neither show nor scope them), the lead team and the student keep theirs?"""
    with Session(db.engine) as session:
        school = factories.make_school(session)
        lead = factories.make_staff(session, school, Role.INSTITUTIONAL_OFFICER)
        second = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
        factories.make_report(session, school, not_safe=True)
        session.commit()
        lead_id, second_id = lead.id, second.id
    downgrade(revision="5d1e2a7c9b04")
    with db.engine.connect() as connection:
        holders = connection.execute(text(
            "SELECT holder, staff_id FROM wrapped_keys WHERE scope = 'content'")).all()
        assert "also_channel_id" not in {c["name"] for c in inspect(connection).get_columns(
            "cases")}
    assert sorted(holders, key=str) == sorted(
        [("escrow", None), ("reporter", None), ("staff", lead_id)], key=str)
    assert second_id not in {staff for _, staff in holders}
    upgrade()
    with db.engine.connect() as connection:
        assert connection.execute(text(
            "SELECT count(*) FROM cases WHERE also_channel_id IS NULL")).scalar() == 1


def test_going_below_repeats_keeps_both_copies(app, migrated):
    """Undoing the repeats revision: do a report and the copy that repeats it both stay,
    unlinked, and does going up again start with no link?"""
    with Session(db.engine) as session:
        school = factories.make_school(session)
        first = factories.make_report(session, school, submission_id="first-send")
        session.flush()
        second = factories.make_report(session, school)
        second.case.repeats = first.case
        session.commit()
        assert second.case.repeats_case_id == first.case.id
    downgrade(revision="7b3c8e1f2a60")
    with db.engine.connect() as connection:
        assert "repeats_case_id" not in {c["name"] for c in inspect(connection).get_columns(
            "cases")}
        assert connection.execute(text("SELECT count(*) FROM cases")).scalar() == 2
    upgrade()
    with db.engine.connect() as connection:
        assert connection.execute(text(
            "SELECT count(*) FROM cases WHERE repeats_case_id IS NOT NULL")).scalar() == 0


def test_going_below_exclusions_forgets_them_but_keeps_their_keys_removed(app, migrated):
    """Undoing the exclusions revision: does the table go while the key it removed stays
    removed, and does going up again start with no exclusion?"""
    with Session(db.engine) as session:
        school = factories.make_school(session)
        lead = factories.make_staff(session, school, Role.PASTORAL_OFFICER, lead=True)
        colleague = factories.make_staff(session, school, Role.PASTORAL_OFFICER,
                                         email="colleague@n.example")
        case = factories.make_report(session, school).case
        session.flush()
        conflicts.exclude_colleague(session, lead, case, colleague.id, case.version)
        session.commit()
        colleague_id = colleague.id
    downgrade(revision="a4d9e6b1c3f7")
    with db.engine.connect() as connection:
        assert "case_exclusions" not in inspect(connection).get_table_names()
        holders = connection.execute(text(
            "SELECT staff_id FROM wrapped_keys WHERE holder = 'staff'")).scalars().all()
    assert colleague_id not in holders and holders
    upgrade()
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM case_exclusions")).scalar() == 0


def test_case_references_are_given_to_existing_cases_and_dropped_going_down(app, migrated):
    """Going up to case references with cases already there: does each get a well-formed
    reference, unique in its school? Going down: is the column gone, the cases kept?"""
    with Session(db.engine) as session:
        school = factories.make_school(session)
        for _ in range(3):
            factories.make_report(session, school)
        session.commit()
    downgrade(revision="b5e0c7d2f8a1")
    with db.engine.connect() as connection:
        assert "reference" not in {c["name"] for c in inspect(connection).get_columns("cases")}
        assert connection.execute(text("SELECT count(*) FROM cases")).scalar() == 3
    upgrade(revision="c6f1d8e3a9b2")
    with db.engine.connect() as connection:
        given = connection.execute(text("SELECT reference FROM cases")).scalars().all()
    assert len(given) == len(set(given)) == 3
    assert all(references.normalise(reference) == reference for reference in given)
