"""Role models against a real database and real crypto: who may write, approve and read;
how students' choices match; what a thread lets each side do; and that its words are
nowhere in the database or the logs."""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

import pytest
from sqlalchemy import select

from reporting.domain.errors import BelongError, InvalidReceipt
from reporting.domain.role_models import (
    InvalidProfile,
    NotAllowed,
    ProfileFields,
    ProfileNotFound,
    ThreadEnded,
)
from reporting.domain.roles import Role
from reporting.models import AuditEntry, OutboxMessage, RoleModelThread
from reporting.services.demo import build_demo
from reporting.services.role_models import profiles, threads
from tests import factories
from tests.services.test_no_plaintext import encodings, raw_storage
from tests.services.test_reports import private_key


def fields(name: str = "Ade", tags=("race", "socio_economic"), helps=("conversation",),
           **changes) -> ProfileFields:
    """A profile a volunteer might write."""
    return ProfileFields(**{**dict(display_name=name, role_title="Consultant",
                                   specialty="Cardiology", tags=tags, helps=helps,
                                   why="I was the first in my family."), **changes})


@pytest.fixture
def volunteer(session, school):
    user = factories.make_staff(session, school, Role.ROLE_MODEL)
    session.commit()
    return user


def approved(session, admin, volunteer, **changes):
    """The volunteer's profile, written and approved."""
    profile = profiles.save_profile(session, volunteer, fields(**changes))
    profiles.approve_profile(session, admin, profile)
    return profile


def _actions(session) -> list[str]:
    return [entry.action for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.seq))]


def test_a_profile_shows_only_once_an_admin_approves_it(session, school, admin, volunteer):
    """Is a written profile hidden (not browsable, not contactable) until approved?"""
    profile = profiles.save_profile(session, volunteer, fields())
    assert profiles.browse(session, school.id, (), ()) == []
    with pytest.raises(ProfileNotFound):
        profiles.shown_profile(session, school.id, profile.id)
    with pytest.raises(NotAllowed):
        threads.start_thread(session, school, profile, "Hello")
    profiles.approve_profile(session, admin, profile)
    assert profiles.browse(session, school.id, (), ()) == [profile]
    assert "role_model.profile_written" in _actions(session)
    assert "role_model.profile_approved" in _actions(session)


def test_an_edit_goes_back_for_approval_and_a_withdrawal_hides_it(session, school, admin,
                                                                  volunteer):
    """Does editing an approved profile hide it until approved again, and withdrawing hide it?"""
    profile = approved(session, admin, volunteer)
    profiles.save_profile(session, volunteer, fields(name="Adé"))
    assert profile.status == "pending" and profiles.browse(session, school.id, (), ()) == []
    profiles.approve_profile(session, admin, profile)
    profiles.withdraw_profile(session, volunteer)
    assert profiles.browse(session, school.id, (), ()) == []
    assert {"role_model.profile_edited", "role_model.profile_withdrawn"} <= set(_actions(session))


def test_only_volunteers_write_and_only_this_schools_admins_approve(session, school, volunteer):
    """Can a handler write a profile, or another school's admin approve one? No."""
    handler = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    other = factories.make_school(session, "southgate")
    other_admin = factories.make_staff(session, other, Role.ADMIN)
    session.commit()
    with pytest.raises(NotAllowed):
        profiles.save_profile(session, handler, fields())
    profile = profiles.save_profile(session, volunteer, fields())
    with pytest.raises(NotAllowed):
        profiles.approve_profile(session, other_admin, profile)
    with pytest.raises(ProfileNotFound):
        profiles.find_for_admin(session, other_admin, profile.id)
    assert profiles.pending_profiles(session, other_admin) == []


def test_another_schools_volunteer_is_not_shown_or_contactable(session, school, admin,
                                                               volunteer):
    """Is an approved profile of one school absent from another school's pages?"""
    profile = approved(session, admin, volunteer)
    other = factories.make_school(session, "southgate")
    session.commit()
    assert profiles.browse(session, other.id, (), ()) == []
    with pytest.raises(ProfileNotFound):
        profiles.shown_profile(session, other.id, profile.id)
    with pytest.raises(NotAllowed):
        threads.start_thread(session, other, profile, "Hello")


def test_a_profile_breaking_the_rules_names_each_problem(session, volunteer):
    """Empty name, no help chosen, an unknown tag: is each one named?"""
    with pytest.raises(InvalidProfile) as raised:
        profiles.save_profile(session, volunteer, fields(name=" ", helps=(), tags=("martian",)))
    assert set(raised.value.problems) == {"display_name", "helps", "tags"}


def test_several_identities_match_the_best_overlap_first(session, school, admin):
    """Choosing race and socio-economic background: does the one sharing both come first,
    one sharing neither stay out, and the kind of help filter too?"""
    both = approved(session, admin, factories.make_staff(
        session, school, Role.ROLE_MODEL, email="a@x.example"), name="Zara",
        tags=("race", "socio_economic"), helps=("mentoring",))
    one = approved(session, admin, factories.make_staff(
        session, school, Role.ROLE_MODEL, email="b@x.example"), name="Ben", tags=("race",))
    approved(session, admin, factories.make_staff(
        session, school, Role.ROLE_MODEL, email="c@x.example"), name="Cal", tags=("disability",))
    assert profiles.browse(session, school.id, ("race", "socio_economic"), ()) == [both, one]
    assert profiles.browse(session, school.id, ("race",), ("mentoring",)) == [both]


def test_a_thread_goes_both_ways_and_the_volunteer_is_told_without_content(
        session, school, admin, volunteer):
    """Does the student's message reach the volunteer (with a content-free email), and the
    answer reach the student with the receipt, and a wrong receipt open nothing?"""
    profile = approved(session, admin, volunteer)
    started = threads.start_thread(session, school, profile, "Did you feel you belonged?")
    email = session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "thread_message"))
    assert email.staff_id == volunteer.id and email.case_id is None \
        and email.address_sealed is None
    thread = threads.find_for_volunteer(session, volunteer, started.thread.id)
    seen = threads.open_for_volunteer(session, volunteer, thread, private_key(volunteer))
    assert [m.text for m in seen] == ["Did you feel you belonged?"]
    threads.volunteer_writes(session, volunteer, thread, private_key(volunteer), "Not at first.")
    access = threads.open_with_receipt(session, school, started.receipt)
    assert [m.text for m in threads.read(access.thread, access.key)] == [
        "Did you feel you belonged?", "Not at first."]
    with pytest.raises(InvalidReceipt):
        threads.open_with_receipt(session, school, "0000-0000-0000-0000-0000")
    with pytest.raises(InvalidReceipt):
        threads.open_with_receipt(session, school, "not a receipt")


def test_another_volunteer_or_school_cannot_open_a_thread(session, school, admin, volunteer):
    """Can another volunteer read the thread, or the receipt work at another school? No."""
    started = threads.start_thread(session, school, approved(session, admin, volunteer), "Hi")
    second = factories.make_staff(session, school, Role.ROLE_MODEL, email="z@x.example")
    other = factories.make_school(session, "southgate")
    session.commit()
    with pytest.raises(NotAllowed):
        threads.find_for_volunteer(session, second, started.thread.id)
    with pytest.raises(NotAllowed):
        threads.volunteer_key(admin, started.thread, private_key(admin))
    with pytest.raises(InvalidReceipt):
        threads.open_with_receipt(session, other, started.receipt)


def test_an_ended_thread_refuses_messages_from_both_sides(session, school, admin, volunteer):
    """After the student ends it, can either side still write? No."""
    started = threads.start_thread(session, school, approved(session, admin, volunteer), "Hi")
    access = threads.open_with_receipt(session, school, started.receipt)
    threads.end_thread(session, access.thread, "student", "student")
    with pytest.raises(ThreadEnded):
        threads.student_writes(session, access, "Still there?")
    with pytest.raises(ThreadEnded):
        threads.volunteer_writes(session, volunteer, started.thread, private_key(volunteer), "Yes")
    assert started.thread.ended_by == "student"


def test_a_flag_shows_the_admin_metadata_only(session, school, admin, volunteer):
    """Does a volunteer's flag reach this school's admin as dates, count, side and reason?"""
    started = threads.start_thread(session, school, approved(session, admin, volunteer), "Hi")
    threads.flag_thread(session, started.thread, "volunteer", f"staff:{volunteer.id}", "unkind")
    [flagged] = threads.flagged_threads(session, admin)
    assert (flagged.flagged_by, flagged.flag_reason, flagged.message_count) == (
        "volunteer", "unkind", 1)
    other_admin = factories.make_staff(session, factories.make_school(session, "southgate"),
                                       Role.ADMIN)
    session.commit()
    assert threads.flagged_threads(session, other_admin) == []


def test_thread_canary_is_nowhere_in_the_database_or_the_logs(session, school, admin,
                                                               volunteer, engine, caplog):
    """After a thread both ways with a canary in each message and in a flag's shared
    excerpt, is the canary absent from the raw database, in every encoding, and from every
    log record?"""
    canary = f"CANARY{secrets.token_hex(8)}"
    caplog.set_level(logging.DEBUG)
    started = threads.start_thread(session, school, approved(session, admin, volunteer),
                                   f"Student asks {canary}")
    thread = threads.find_for_volunteer(session, volunteer, started.thread.id)
    threads.volunteer_writes(session, volunteer, thread, private_key(volunteer),
                             f"Volunteer answers {canary}")
    threads.student_writes(session, threads.open_with_receipt(session, school, started.receipt),
                           f"Student again {canary}")
    threads.flag_thread(session, thread, "volunteer", f"staff:{volunteer.id}", "unkind",
                        excerpt=f"Shared with the admins {canary}")
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA wal_checkpoint(FULL)")
    storage = raw_storage(engine)
    assert started.thread.id.encode() in storage
    assert session.get(RoleModelThread, started.thread.id).message_count == 3
    found = [name for name, pattern in encodings(canary).items() if pattern in storage]
    assert found == [], f"canary found in the raw database as {found}"
    assert canary not in caplog.text and started.receipt not in caplog.text


def test_the_demo_has_two_approved_volunteers(session):
    """Does `flask demo` make two role models a student can find?"""
    demo = build_demo(session, params=factories.FAST, totp_key=factories.TOTP_KEY,
                      enrolment_lifetime=timedelta(hours=1), password=factories.PASSWORD)
    session.commit()
    found = profiles.browse(session, demo.school.id, ("race",), ())
    assert [profile.display_name for profile in found][0] == "Ngozi"
    assert len(profiles.browse(session, demo.school.id, (), ())) == 2


def test_a_shared_excerpt_opens_only_with_the_escrow_passphrase(session, school, admin,
                                                                volunteer):
    """Does what a flagger chose to share open for this school's admin with the passphrase,
    and stay shut with a wrong one or for another school's admin?"""
    started = threads.start_thread(session, school, approved(session, admin, volunteer), "Hi")
    threads.flag_thread(session, started.thread, "student", "student", "unkind",
                        excerpt="He said something cruel")
    assert threads.read_flag_excerpt(session, admin, started.thread,
                                     factories.ESCROW_PASSPHRASE) == "He said something cruel"
    with pytest.raises(BelongError):
        threads.read_flag_excerpt(session, admin, started.thread, "wrong passphrase")
    other_admin = factories.make_staff(session, factories.make_school(session, "southgate"),
                                       Role.ADMIN)
    session.commit()
    with pytest.raises(BelongError):
        threads.read_flag_excerpt(session, other_admin, started.thread,
                                  factories.ESCROW_PASSPHRASE)
    assert "role_model.flag_excerpt_read" in _actions(session)


def test_a_volunteer_cannot_replace_the_students_flag(session, school, admin, volunteer):
    """The student flags with an excerpt; the volunteer flags after them as "spam": the
    admin still sees the student's flag and excerpt, and the volunteer's is in the log."""
    started = threads.start_thread(session, school, approved(session, admin, volunteer), "Hi")
    threads.flag_thread(session, started.thread, "student", "anonymous", "boundaries",
                        "Asked to meet off campus")
    threads.flag_thread(session, started.thread, "volunteer", f"staff:{volunteer.id}", "spam",
                        "Nonsense")
    [flagged] = threads.flagged_threads(session, admin)
    assert (flagged.flagged_by, flagged.flag_reason) == ("student", "boundaries")
    assert threads.read_flag_excerpt(session, admin, started.thread,
                                     factories.ESCROW_PASSPHRASE) == "Asked to meet off campus"
    assert _actions(session).count("role_model.thread_flagged") == 2


def test_after_a_reset_an_old_conversation_says_why_it_cannot_open(session, school, admin,
                                                                  volunteer):
    """A new key pair cannot open a thread wrapped for the old one: a clear refusal."""
    from reporting.domain.role_models import KeyReplaced

    started = threads.start_thread(session, school, approved(session, admin, volunteer), "Hi")
    other = factories.make_staff(session, school, Role.ROLE_MODEL, email="new@northfield.example")
    thread = threads.find_for_volunteer(session, volunteer, started.thread.id)
    with pytest.raises(KeyReplaced, match="before your sign-in was reset"):
        threads.open_for_volunteer(session, volunteer, thread, private_key(other))
