"""Every Alembic revision runs up and down with data in it; the head matches the models."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select, text
from sqlalchemy.orm import Session

from reporting import crypto
from reporting.domain import references
from reporting.domain.report import Ground, ground_bits
from reporting.domain.roles import Role
from reporting.extensions import db
from reporting.models import (
    Case,
    Message,
    OutboxMessage,
    PulseAgreement,
    PulseItem,
    PulseResponse,
    PulseToken,
    School,
    SpaceLead,
    SpaceSession,
    StaffUser,
)
from reporting.models.base import utcnow
from reporting.services import auth, conflicts, password_help
from reporting.services.role_models import profiles, threads
from tests import factories
from tests.services.test_role_models import fields


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


def _count(table: str) -> int:
    with db.engine.connect() as connection:
        return connection.execute(text(f"SELECT count(*) FROM {table}")).scalar()  # noqa: S608


def test_rebuilding_the_cases_table_keeps_what_cascades_from_it(app, migrated):
    """On SQLite a batch migration rebuilds `cases` (copy, drop, rename): are its events,
    messages and keys still there after going down and up through such revisions?"""
    with Session(db.engine) as session:
        factories.make_report(session, factories.make_school(session))
        session.commit()
    tables = ("cases", "case_events", "wrapped_keys", "report_fields")
    before = {table: _count(table) for table in tables}
    assert before["case_events"] >= 1
    downgrade(revision="b5e0c7d2f8a1")  # below references and the queue's columns
    upgrade()
    assert {table: _count(table) for table in tables} == before


def test_the_queue_columns_are_filled_from_what_happened(app, migrated):
    """Going up to the queue's columns: does last activity come from the latest event or
    message, and "the student wrote" from the student's own latest message?"""
    with Session(db.engine) as session:
        school = factories.make_school(session)
        quiet = factories.make_report(session, school).case
        busy = factories.make_report(session, school).case
        session.commit()
        quiet_id, busy_id, created = quiet.id, busy.id, busy.created_at
    downgrade(revision="c6f1d8e3a9b2")
    with db.engine.begin() as connection:
        assert "last_activity_at" not in {c["name"] for c in inspect(connection).get_columns(
            "cases")}
        messages = Message.__table__
        connection.execute(messages.insert(), [
            {"id": f"m{minutes}", "case_id": busy_id, "author": author, "signed": False,
             "body_sealed": b"x", "created_at": created + timedelta(minutes=minutes)}
            for minutes, author in ((5, "staff"), (9, "reporter"), (12, "staff"))])
    upgrade(revision="f3c9e5a7b2d4")
    with Session(db.engine) as session:
        busy, quiet = session.get(Case, busy_id), session.get(Case, quiet_id)
        assert busy.last_activity_at == created + timedelta(minutes=12)
        assert busy.student_wrote_at == created + timedelta(minutes=9)
        assert quiet.last_activity_at >= quiet.created_at and quiet.student_wrote_at is None


def test_totp_secrets_are_sealed_going_up_and_opened_going_down(app, migrated):
    """Going up to sealed TOTP secrets with accounts there: is each plain secret replaced by
    one that opens only for its own row and still checks a code? Going down: is it plain
    again, the same secret?"""
    with Session(db.engine) as session:
        school = factories.make_school(session)
        user = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
        other = factories.make_staff(session, school, Role.ADMIN)
        session.commit()
        user_id, other_id = user.id, other.id
    downgrade(revision="f3c9e5a7b2d4")
    secret = pyotp.random_base32()
    with db.engine.begin() as connection:
        assert "totp_secret_sealed" not in {c["name"] for c in inspect(connection).get_columns(
            "staff")}
        connection.execute(text("UPDATE staff SET totp_secret = :secret WHERE id = :id"),
                           {"secret": secret, "id": user_id})
    upgrade()  # through a7e3c9d1f5b8, to where the models are
    with Session(db.engine) as session:
        user, other = session.get(StaffUser, user_id), session.get(StaffUser, other_id)
        assert secret.encode() not in user.totp_secret_sealed
        assert factories.totp_secret(user) == secret
        other.totp_secret_sealed = user.totp_secret_sealed  # moved onto another row
        with pytest.raises(crypto.CryptoError):
            factories.totp_secret(other)
        session.rollback()
        auth.check_second_factor(session, user, pyotp.TOTP(secret).now(), factories.TOTP_KEY)
        session.commit()
    downgrade(revision="f3c9e5a7b2d4")
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT totp_secret FROM staff WHERE id = :id"),
                                  {"id": user_id}).scalar() == secret


def test_going_below_password_help_drops_its_emails_and_keeps_the_others(app, migrated):
    """Undoing the password-help revision: do its outbox rows go (the older code could not
    send them) while the other emails stay, and does going up again accept them anew?"""
    with Session(db.engine) as session:
        school = factories.make_school(session)
        officer = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
        admin = factories.make_staff(session, school, Role.ADMIN)
        factories.make_report(session, school)  # queues a case_attention email
        session.commit()
        password_help.ask_for_help(session, officer.email)
        session.commit()
        admin_id, officer_id, school_id = admin.id, officer.id, school.id
    downgrade(revision="a7e3c9d1f5b8")
    with db.engine.connect() as connection:
        assert "about_staff_id" not in {c["name"] for c in inspect(connection).get_columns(
            "outbox")}
        assert connection.execute(text("SELECT kind FROM outbox")).scalars().all() == [
            "case_attention"]
    upgrade()
    with Session(db.engine) as session:
        session.add(OutboxMessage(kind="password_help", staff_id=admin_id,
                                  about_staff_id=officer_id, school_id=school_id))
        session.commit()


def test_going_below_staff_administration_drops_queued_enrolment_emails(app, migrated):
    """Going down from the staff administration columns: are queued enrolment emails (the
    one kind the older outbox cannot hold) dropped and the other emails kept; and going
    up again, do existing accounts have no inviter and no deactivation date?"""
    with Session(db.engine) as session:
        school = factories.make_school(session)
        user = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
        session.flush()
        session.add_all([OutboxMessage(kind="enrolment", staff_id=user.id, school_id=school.id,
                                       link_sealed=b"sealed"),
                         OutboxMessage(kind="case_attention", staff_id=user.id,
                                       school_id=school.id)])
        session.commit()
        user_id = user.id
    downgrade(revision="d2b6f8a4c0e1")
    columns = {c["name"] for c in inspect(db.engine).get_columns("staff")}
    assert not {"invited_by_id", "deactivated_at"} & columns
    assert "link_sealed" not in {c["name"] for c in inspect(db.engine).get_columns("outbox")}
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT kind FROM outbox")).scalars().all() \
            == ["case_attention"]
    upgrade(revision="b8f4d0e2a6c9")
    with db.engine.connect() as connection:  # raw: the models are at head, this is not
        invited, deactivated, active = connection.execute(text(
            "SELECT invited_by_id, deactivated_at, active FROM staff WHERE id = :id"),
            {"id": user_id}).one()
    assert invited is None and deactivated is None and active


def test_the_queue_counts_index_replaces_the_status_index_and_comes_back_down(app, migrated):
    """Going up: do the queue's counts get their covering index in place of the status one,
    the cases kept? Going down: is the status index back?"""
    def indexes() -> dict[str, list[str]]:
        with db.engine.connect() as connection:
            return {ix["name"]: ix["column_names"] for ix in inspect(connection).get_indexes(
                "cases")}

    with Session(db.engine) as session:
        factories.make_report(session, factories.make_school(session))
        session.commit()
    assert indexes()["ix_cases_counts"] == ["school_id", "channel_id", "status", "due_at"]
    assert "ix_cases_status" not in indexes()
    downgrade(revision="b8f4d0e2a6c9")
    assert indexes()["ix_cases_status"] == ["school_id", "channel_id", "status"]
    assert "ix_cases_counts" not in indexes()
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM cases")).scalar() == 1


def test_statistics_get_their_grounds_bits_and_repeats_going_up(app, migrated):
    """Going down below the dashboard's revision and up again with statistics there: are the
    grounds kept, does each row get the bits of its grounds, and is the copy of a report
    sent again marked as a repeat?"""
    with Session(db.engine) as session:
        school = factories.make_school(session)
        first = factories.make_report(session, school, submission_id="first-send",
                                      grounds=frozenset({Ground.RACE, Ground.CARING}))
        again = factories.make_report(session, school, repeats="first-send")
        session.commit()
        first_id, again_id = first.case.id, again.case.id
    downgrade(revision="e2b8d4f6a1c3")
    with db.engine.connect() as connection:
        assert not {"ground_bits", "repeat"} & {c["name"] for c in inspect(
            connection).get_columns("case_stats")}
    upgrade(revision="d1a7c3e5b9f2")
    with db.engine.connect() as connection:
        rows = dict(connection.execute(text(
            "SELECT case_id, ground_bits FROM case_stats")).all())
        repeats = connection.execute(text(
            "SELECT case_id FROM case_stats WHERE repeat")).scalars().all()
        kept = connection.execute(text("SELECT count(*) FROM case_stat_grounds")).scalar()
    assert kept == 3  # neither way copied case_stats anew (on SQLite that empties it)
    assert rows == {first_id: ground_bits({Ground.RACE, Ground.CARING}),
                    again_id: ground_bits({Ground.RACE})}
    assert repeats == [again_id]


def test_schools_get_a_queue_generation_from_zero_and_lose_it_going_down(app, migrated):
    """Going up to the queue generation with schools there: does each get its own random
    one? Going down: is the column gone and the schools kept?"""
    with Session(db.engine) as session:
        factories.make_school(session)
        factories.make_school(session, slug="other")
        session.commit()
    downgrade(revision="d1a7c3e5b9f2")
    with db.engine.connect() as connection:
        assert "queue_generation" not in {c["name"] for c in inspect(connection).get_columns(
            "schools")}
        assert connection.execute(text("SELECT count(*) FROM schools")).scalar() == 2
    upgrade()
    with db.engine.connect() as connection:
        drawn = connection.execute(text("SELECT queue_generation FROM schools")).scalars().all()
    assert len(set(drawn)) == 2 and 0 not in drawn


def test_single_sign_on_keeps_password_accounts_and_going_down_locks_out_sso_ones(app,
                                                                                  migrated):
    """Going up, existing staff keep their passwords; going down, an account that signs in
    with the provider (no password, its key sealed for single sign-on) is deactivated with
    its key erased, and its school's provider settings go."""
    from reporting.services import sso
    from reporting.services.staff import create_staff, sso_key

    config = {"BELONG_HMAC_KEY": factories.HMAC_KEY}
    with Session(db.engine) as session:
        school = factories.make_school(session)
        keeper = factories.make_staff(session, school, Role.PASTORAL_OFFICER,
                                      email="keeper@northfield.example")
        admin = factories.make_staff(session, school, Role.ADMIN)
        sso.save_provider(session, admin, config, issuer="https://login.example",
                          discovered_issuer="https://login.example", client_id="c",
                          secret="s", enabled=True, trust_idp_mfa=False, acr_values="")
        create_staff(session, "test", school, email="sso@northfield.example",
                     display_name="S", role=Role.PASTORAL_OFFICER, password=None,
                     params=factories.FAST, totp_key=factories.TOTP_KEY,
                     enrolment_lifetime=timedelta(days=1), sso=sso_key(config))
        session.commit()
        keeper_id = keeper.id
    downgrade(revision="c2e9a4f7b1d3")
    with db.engine.connect() as connection:
        rows = dict(connection.execute(text(
            "SELECT email, active FROM staff WHERE password_verifier IS NOT NULL")).all())
        erased = connection.execute(text(
            "SELECT private_key_sealed FROM staff WHERE email = 'sso@northfield.example'"
        )).scalar()
        assert "sso_providers" not in inspect(connection).get_table_names()
    assert rows["sso@northfield.example"] in (False, 0) and bytes(erased) == b""
    assert rows["keeper@northfield.example"] in (True, 1)
    upgrade()
    with Session(db.engine) as session:
        kept = session.get(StaffUser, keeper_id)
        assert kept.key_sealing == "password" and kept.oidc_subject is None
        ticket = auth.sign_in(session, kept.email, factories.PASSWORD, factories.FAST)
        assert ticket.token


def test_going_below_spaces_drops_its_tables_and_keeps_the_school(app, migrated):
    """Going down below spaces to meet with a session, its count and a lead there: are both
    tables gone and the school and staff kept? Going up again: are they back, empty?"""
    with Session(db.engine) as session:
        school = factories.make_school(session)
        lead = factories.make_staff(session, school, Role.PEER_SUPPORTER)
        session.flush()
        session.add(SpaceLead(staff_id=lead.id, school_id=school.id))
        session.add(SpaceSession(
            school_id=school.id, title="Meet-up", starts_at=utcnow(), ends_at=utcnow(),
            join_details="Room 2.14", facilitator="Dr A. Mensah", interest_count=3))
        session.commit()
    downgrade(revision="a4c8e2f6b0d7")
    with db.engine.connect() as connection:
        assert not {"space_sessions", "space_leads"} & set(inspect(connection).get_table_names())
        assert connection.execute(text("SELECT count(*) FROM staff")).scalar() == 1
    upgrade(revision="b5d9f3a7c1e8")
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM space_sessions")).scalar() == 0
        assert connection.execute(text("SELECT count(*) FROM schools")).scalar() == 1


def test_going_below_the_pulse_drops_its_tables_and_keeps_the_school(app, migrated):
    """Going down below the belonging pulse with items, an answer and a used token there:
    are its tables gone and the school kept? Going up again: are they back, empty?"""
    with Session(db.engine) as session:
        school = factories.make_school(session)
        session.flush()
        item = PulseItem(school_id=school.id, position=0, text="I belong here.")
        session.add_all([item, PulseResponse(id="a" * 32, school_id=school.id,
                                             term="2026-autumn", tags="race"),
                         PulseToken(digest="b" * 64, school_id=school.id, term="2026-autumn")])
        session.flush()
        session.add(PulseAgreement(response_id="a" * 32, item_id=item.id, agreement=4))
        session.commit()
    tables = {"pulse_items", "pulse_sources", "pulse_responses", "pulse_agreements",
              "pulse_tokens"}
    downgrade(revision="b5d9f3a7c1e8")
    with db.engine.connect() as connection:
        assert not tables & set(inspect(connection).get_table_names())
        assert connection.execute(text("SELECT count(*) FROM schools")).scalar() == 1
    upgrade(revision="e3c7a9d1f5b2")
    with db.engine.connect() as connection:
        assert tables <= set(inspect(connection).get_table_names())
        assert connection.execute(text("SELECT count(*) FROM pulse_responses")).scalar() == 0


def test_going_below_placement_providers_drops_them_and_keeps_the_report(app, migrated):
    """Going down below placement providers with a report naming one, a threshold and an
    alert emailed: are the tables, the columns and the alert's email gone, the report kept?
    Going up again: is the report there, naming no provider?"""
    from reporting.models import PatternAlert, PatternSettings
    from reporting.services import placements

    with Session(db.engine) as session:
        school = factories.make_school(session)
        admin = factories.make_staff(session, school, Role.ADMIN)
        provider = placements.add_provider(session, "test", school.id, "Airedale")
        report = factories.make_report(session, school, provider_id=provider.id)
        session.add(PatternSettings(school_id=school.id, threshold=5))
        alert = PatternAlert(school_id=school.id, pattern=f"provider:{provider.id}",
                             term="2026-autumn")
        session.add(alert)
        session.flush()
        session.add(OutboxMessage(kind="pattern_alert", staff_id=admin.id,
                                  school_id=school.id, pattern_alert_id=alert.id))
        session.commit()
        case_id = report.case.id
    downgrade(revision="b5d9f3a7c1e8")
    with db.engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        assert not {"placement_providers", "pattern_settings", "pattern_alerts"} & tables
        assert "provider_id" not in {c["name"] for c in inspect(connection).get_columns(
            "reports")}
        assert connection.execute(text("SELECT count(*) FROM outbox WHERE kind = "
                                       "'pattern_alert'")).scalar() == 0
        assert connection.execute(text("SELECT count(*) FROM cases")).scalar() == 1
    upgrade()
    with Session(db.engine) as session:
        assert session.get(Case, case_id).report.provider_id is None


def test_going_below_role_models_drops_threads_and_volunteers_and_keeps_the_rest(app, migrated):
    """Going down below role models with a volunteer, an approved profile, a thread and its
    email queued: are the tables, the volunteer and the email gone and the admin kept? Going
    up again: can a volunteer be made once more?"""
    with Session(db.engine) as session:
        school = factories.make_school(session)
        admin = factories.make_staff(session, school, Role.ADMIN)
        volunteer = factories.make_staff(session, school, Role.ROLE_MODEL)
        session.commit()
        profile = profiles.save_profile(session, volunteer, fields())
        profiles.approve_profile(session, admin, profile)
        threads.start_thread(session, school, profile, "Hello")
    downgrade(revision="f4d8b0e2a6c3")
    with db.engine.connect() as connection:
        assert not {"role_model_profiles", "role_model_threads", "role_model_messages"} & set(
            inspect(connection).get_table_names())
        assert connection.execute(text("SELECT role FROM staff")).scalars().all() == ["admin"]
        assert connection.execute(text(
            "SELECT count(*) FROM outbox WHERE kind = 'thread_message'")).scalar() == 0
    upgrade()
    with Session(db.engine) as session:
        school = session.scalar(select(School))
        factories.make_staff(session, school, Role.ROLE_MODEL)
        session.commit()
