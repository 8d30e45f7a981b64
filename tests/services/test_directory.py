"""The support directory: revisions, past dates, retiring, refusals and matching."""

from __future__ import annotations

import json
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reporting.domain.directory import (
    EntryFields,
    EntryNotFound,
    InvalidEntry,
    Kind,
    end_of_day,
    zone,
)
from reporting.domain.errors import Conflict
from reporting.domain.report import Ground
from reporting.domain.roles import ChannelKind, Role
from reporting.models import AuditEntry, SupportEntry, SupportRevision
from reporting.services import audit
from reporting.services.demo import build_demo
from reporting.services.directory import (
    create_entry,
    current_entries,
    current_revision,
    directory_at,
    edit_entry,
    entry_history,
    find_entry,
    last_changed,
    matching_entries,
    retire_entry,
)
from tests import factories

JAN, FEB, MAR = (datetime(2026, month, 1, 12, tzinfo=UTC) for month in (1, 2, 3))


def fields(name: str = "Student Wellbeing Service", **changes) -> EntryFields:
    """A valid entry; override any field."""
    answers = dict(kind=Kind.WELLBEING.value, name=name, offers="Someone to talk to.",
                   url="https://wellbeing.example.ac.uk/", phone="0113 496 0000")
    return EntryFields(**{**answers, **changes})


def _dated(revision: SupportRevision, start: datetime, end: datetime | None) -> None:
    revision.valid_from, revision.valid_to = start, end


def test_an_edit_closes_the_revision_and_opens_another(session, school, admin):
    """Does an edit end the current revision at the instant the new one starts, keeping both?"""
    entry = create_entry(session, admin, school, fields("Old name"))
    session.commit()
    first = current_revision(session, entry)
    second = edit_entry(session, admin, entry, fields("New name"), seen_revision=first.id)
    session.commit()

    old, new = sorted(entry_history(session, entry), key=lambda r: r.id)
    assert (old.name, new.name) == ("Old name", "New name")
    assert old.valid_to == new.valid_from and new.valid_to is None
    assert current_revision(session, entry).id == second.id
    assert new.edited_by == admin.id
    assert [r.name for r in current_entries(session, school.id)] == ["New name"]


def test_the_directory_on_a_past_date(session, school, admin):
    """Does each date show the revision valid then: none before, old, new, none once retired?"""
    entry = create_entry(session, admin, school, fields("Old name"))
    session.flush()
    edit_entry(session, admin, entry, fields("New name"))
    retire_entry(session, admin, entry)
    old, new = sorted(entry.revisions, key=lambda r: r.id)
    _dated(old, JAN, FEB)
    _dated(new, FEB, MAR)
    session.commit()

    def names(at: datetime) -> list[str]:
        return [r.name for r in directory_at(session, school.id, at)]

    assert names(JAN - timedelta(seconds=1)) == []
    assert names(JAN) == names(FEB - timedelta(microseconds=1)) == ["Old name"]
    assert names(FEB) == names(MAR - timedelta(microseconds=1)) == ["New name"]
    assert names(MAR) == []


def test_a_day_means_the_end_of_that_day_in_the_schools_time_zone():
    """Is 'the directory on 1 July' what it said at midnight ending 1 July, London time?"""
    assert end_of_day(date(2026, 7, 1), zone("Europe/London")) == datetime(
        2026, 7, 1, 23, tzinfo=UTC)
    assert end_of_day(date(2026, 1, 1), zone("Not/AZone")) == datetime(2026, 1, 2, tzinfo=UTC)


def test_retiring_closes_the_last_revision_and_keeps_the_history(session, school, admin):
    """Is a retired entry gone from the directory, its history kept, and further changes refused?"""
    entry = create_entry(session, admin, school, fields())
    session.commit()
    closed = retire_entry(session, admin, entry)
    session.commit()

    assert closed.valid_to is not None and current_revision(session, entry) is None
    assert current_entries(session, school.id) == []
    assert [r.id for r in entry_history(session, entry)] == [closed.id]
    with pytest.raises(Conflict, match="retired"):
        retire_entry(session, admin, entry)
    with pytest.raises(Conflict, match="retired"):
        edit_entry(session, admin, entry, fields("Back again"))


def test_an_edit_from_a_stale_revision_is_refused(session, school, admin):
    """If someone else saved first, is an edit based on the older revision refused, not applied?"""
    entry = create_entry(session, admin, school, fields("Original"))
    session.commit()
    seen = current_revision(session, entry).id
    edit_entry(session, admin, entry, fields("Theirs"), seen_revision=seen)
    session.commit()
    with pytest.raises(Conflict, match="Someone else changed"):
        edit_entry(session, admin, entry, fields("Mine"), seen_revision=seen)
    session.rollback()
    assert current_revision(session, entry).name == "Theirs"


HOSTILE = [
    ("url", dict(url="javascript:alert(1)")),
    ("url", dict(url="http://insecure.example.org/")),
    ("url", dict(url="data:text/html,<script>alert(1)</script>")),
    ("url", dict(url='https://example.org/"><script>alert(1)</script>')),
    ("url", dict(url="https://" + "a" * 300 + ".example")),
    ("url", dict(url="", phone="", email="")),
    ("phone", dict(phone="call 0113 496 0000")),
    ("phone", dict(phone="12")),
    ("phone", dict(phone="0" * 21)),
    ("email", dict(email="not an email")),
    ("email", dict(email="a@b.c?subject=hi")),
    ("name", dict(name="Nul\x00byte")),
    ("name", dict(name="x" * 121)),
    ("name", dict(name="   ")),
    ("offers", dict(offers="spoof \u202e reversed")),
    ("offers", dict(offers="y" * 1001)),
    ("hours", dict(hours="9\x1b[31mam")),
    ("kind", dict(kind="casino")),
    ("tags", dict(tags=("race", "admin"))),
    ("channels", dict(channels=("peer", "everyone"))),
]


@pytest.mark.parametrize(("problem", "changes"), HOSTILE)
def test_invalid_entries_are_refused_and_nothing_is_stored(session, school, admin, problem,
                                                          changes):
    """Is each broken rule refused with a message for its field, leaving nothing stored?"""
    with pytest.raises(InvalidEntry) as refused:
        create_entry(session, admin, school, fields(**changes))
    assert problem in refused.value.problems
    session.rollback()
    assert session.scalar(select(func.count()).select_from(SupportEntry)) == 0


def test_an_invalid_edit_leaves_the_entry_as_it_was(session, school, admin):
    """Does a refused edit leave the current revision open and unchanged?"""
    entry = create_entry(session, admin, school, fields("Kept"))
    session.commit()
    with pytest.raises(InvalidEntry):
        edit_entry(session, admin, entry, fields(url="javascript:alert(1)"))
    session.rollback()
    assert [(r.name, r.valid_to) for r in entry_history(session, entry)] == [("Kept", None)]


def test_unicode_and_markup_are_kept_exactly_as_text(session, school, admin):
    """Are Welsh, emoji, CJK and angle brackets stored as typed (escaping is the template's job)?"""
    name = "Cymdeithas Feddygol Gymraeg 🩺 医学生 <b>ŵ</b>"
    entry = create_entry(session, admin, school, fields(
        name, offers="Line one\r\nLine two", tags=("accent_language", "race", "race")))
    session.commit()
    revision = current_revision(session, entry)
    assert revision.name == name and revision.offers == "Line one\nLine two"
    assert revision.tag_list == ["race", "accent_language"]


def test_only_this_schools_admins_change_its_directory(session, school, admin):
    """Are another school's admin and a handler treated as if the entry did not exist?"""
    other = factories.make_school(session, slug="southbank")
    outsider = factories.make_staff(session, other, Role.ADMIN)
    handler = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    entry = create_entry(session, admin, school, fields())
    session.commit()
    for user in (outsider, handler):
        with pytest.raises(EntryNotFound):
            edit_entry(session, user, entry, fields("Taken over"))
        with pytest.raises(EntryNotFound):
            retire_entry(session, user, entry)
        with pytest.raises(EntryNotFound):
            create_entry(session, user, school, fields())
    with pytest.raises(EntryNotFound):
        find_entry(session, other.id, entry.id)
    for wrong in (None, "", "abc", "-1", str(entry.id + 1)):
        with pytest.raises(EntryNotFound):
            find_entry(session, school.id, wrong)
    assert find_entry(session, school.id, str(entry.id)) is entry


def test_every_change_is_audited_by_entry_id_only(session, school, admin):
    """Do create, edit and retire each add an audit entry naming the entry and nothing else?"""
    entry = create_entry(session, admin, school, fields("Private words"))
    edit_entry(session, admin, entry, fields("More words"))
    retire_entry(session, admin, entry)
    session.commit()
    rows = session.scalars(select(AuditEntry).where(AuditEntry.action.like("directory.%"))
                           .order_by(AuditEntry.seq)).all()
    assert [(r.action, r.actor, r.target) for r in rows] == [
        (action, f"staff:{admin.id}", f"support_entry:{entry.id}")
        for action in ("directory.create", "directory.edit", "directory.retire")]
    assert all(json.loads(r.detail) == {} for r in rows)
    assert audit.verify(session) == []


def test_browsing_filters_by_tag_and_kind(session, school, admin):
    """Does a tag filter show entries for it first, then those open to all, and kind narrow it?"""
    create_entry(session, admin, school, fields("BAME Medics", kind=Kind.PEER_NETWORK.value,
                                                tags=("race",)))
    create_entry(session, admin, school, fields("LGBTQ+ Medics", kind=Kind.PEER_NETWORK.value,
                                                tags=("sexual_orientation",)))
    create_entry(session, admin, school, fields("Chaplaincy", kind=Kind.CHAPLAINCY.value))
    session.commit()

    def names(**wanted) -> list[str]:
        return [r.name for r in current_entries(session, school.id, **wanted)]

    assert names() == ["BAME Medics", "LGBTQ+ Medics", "Chaplaincy"]
    assert names(tags=["race"]) == ["BAME Medics", "Chaplaincy"]
    assert names(tags=["race", "sexual_orientation"]) == [
        "BAME Medics", "LGBTQ+ Medics", "Chaplaincy"]
    assert names(kind=Kind.PEER_NETWORK.value) == ["BAME Medics", "LGBTQ+ Medics"]
    assert names(tags=["disability"], kind=Kind.PEER_NETWORK.value) == []


def test_matching_entries_follow_the_reports_grounds_and_channel(session, school, admin):
    """After a report, are entries for its grounds and channel shown first and others left out?"""
    for name, tags, channels in [
        ("BAME Medics", ("race",), ("peer",)),
        ("LGBTQ+ Medics", ("sexual_orientation",), ("peer",)),
        ("Wellbeing", (), ("pastoral",)),
        ("EDI Office", (), ("institutional",)),
        ("Samaritans", (), ()),
        ("Race Equality Network", ("race",), ()),
    ]:
        create_entry(session, admin, school, fields(name, tags=tags, channels=channels))
    retired = create_entry(session, admin, school, fields("Old race scheme", tags=("race",)))
    retire_entry(session, admin, retired)
    other = factories.make_school(session, slug="southbank")
    create_entry(session, "test", other, fields("Southbank Samaritans"))
    session.commit()

    def names(grounds, channel) -> list[str]:
        return [r.name for r in matching_entries(session, school, grounds, channel)]

    assert names({Ground.RACE}, ChannelKind.PEER) == [
        "BAME Medics", "Race Equality Network", "Samaritans"]
    assert names(["disability"], "pastoral") == ["Wellbeing", "Samaritans"]
    assert names(["race", "sexual_orientation"], "institutional") == [
        "Race Equality Network", "EDI Office", "Samaritans"]
    assert names(["not-a-ground"], None) == ["EDI Office", "Samaritans", "Wellbeing"]


def test_a_student_who_is_not_safe_sees_confidential_urgent_help_first(session, school,
                                                                         admin):
    """After a not-safe report shared by two teams, do helplines and wellbeing (confidential)
    come first, the non-confidential complaints office last, and both teams' entries show?"""
    for name, kind, channels, confidential in [
        ("EDI Office", Kind.EDI_COMPLAINTS, ("institutional",), False),
        ("BAME Medics", Kind.PEER_NETWORK, ("peer",), True),
        ("Chaplaincy", Kind.CHAPLAINCY, ("pastoral",), True),
        ("Wellbeing", Kind.WELLBEING, ("pastoral",), True),
        ("Samaritans", Kind.HELPLINE, (), True),
    ]:
        create_entry(session, admin, school, fields(name, kind=kind.value, channels=channels,
                                                    confidential=confidential))
    session.commit()

    def names(**kwargs) -> list[str]:
        return [r.name for r in matching_entries(session, school, ["race"], "institutional",
                                                 **kwargs)]

    assert names() == ["EDI Office", "Samaritans"]
    assert names(also="pastoral", not_safe=True) == [
        "Wellbeing", "Samaritans", "Chaplaincy", "EDI Office"]


def test_last_changed_counts_retirements(session, school, admin):
    """Is the directory's 'last changed' the latest start or end of any revision?"""
    assert last_changed(session, school.id) is None
    entry = create_entry(session, admin, school, fields())
    _dated(entry.revisions[0], JAN, None)
    session.commit()
    assert last_changed(session, school.id) == JAN
    retire_entry(session, admin, entry)
    session.commit()
    assert last_changed(session, school.id) > JAN


@pytest.mark.postgres_only
def test_two_admins_saving_at_once_cannot_both_win(app, engine, session, school, admin):
    """If two admins save edits of the same version at once, is one refused, never both kept?"""
    entry = create_entry(session, admin, school, fields("Original"))
    session.commit()
    seen, entry_id = current_revision(session, entry).id, entry.id
    outcomes: list[str] = []

    def save(name: str, hold: threading.Event | None, go: threading.Event | None) -> None:
        with Session(engine) as own:
            try:
                edit_entry(own, own.merge(admin), own.get(SupportEntry, entry_id),
                           fields(name), seen_revision=seen)
                if hold:  # keep the entry locked while the other save starts
                    hold.set()
                    go.wait(5)
                own.commit()
                outcomes.append(name)
            except Conflict:
                outcomes.append("refused")

    locked, release = threading.Event(), threading.Event()
    first = threading.Thread(target=save, args=("First", locked, release))
    first.start()
    assert locked.wait(5)
    second = threading.Thread(target=save, args=("Second", None, None))
    second.start()
    second.join(0.3)
    assert second.is_alive(), "the second save waits for the first"
    release.set()
    first.join(5)
    second.join(5)
    assert outcomes == ["First", "refused"]
    session.expire_all()
    open_revisions = session.scalars(select(SupportRevision).where(
        SupportRevision.entry_id == entry_id, SupportRevision.valid_to.is_(None))).all()
    assert [r.name for r in open_revisions] == ["First"]


def test_the_demo_school_has_a_directory(session):
    """Does the demo seed realistic entries, national helplines included, through the rules?"""
    demo = build_demo(session, params=factories.FAST, totp_key=factories.TOTP_KEY,
                      enrolment_lifetime=timedelta(hours=1), password=factories.PASSWORD)
    session.commit()
    found = {r.name: r for r in current_entries(session, demo.school.id)}
    assert {"BAME Medics", "LGBTQ+ Medics Network", "Samaritans", "Student Space",
            "BMA wellbeing support services", "Multi-faith Chaplaincy"} <= set(found)
    assert found["BMA wellbeing support services"].phone == "0330 123 1245"
    assert [r.name for r in matching_entries(session, demo.school, ["race"], "peer")][0] == \
        "BAME Medics"
