"""The school's own words in Welsh: versioned with the English, checked by the same rules."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from reporting.domain.directory import EntryFields, InvalidEntry, Kind
from reporting.domain.errors import Conflict
from reporting.domain.roles import Role
from reporting.models import AuditEntry, School
from reporting.services.demo import DIRECTORY, DIRECTORY_CY
from reporting.services.directory import (
    create_entry,
    current_entries,
    current_revision,
    edit_entry,
    entry_history,
    fields_of,
    set_urgent_contact,
)
from tests import factories

ENTRY = EntryFields(kind=Kind.WELLBEING.value, name="Student Wellbeing",
                    offers="Someone to talk to.", phone="0113 496 0000", hours="Weekdays")


def test_welsh_is_kept_beside_the_english(session):
    school = factories.make_school(session)
    entry = create_entry(session, "test", school, replace(
        ENTRY, name_cy="  Lles Myfyrwyr ", offers_cy="Rhywun\r\ni siarad ag ef. ",
        hours_cy="Yn ystod yr wythnos"))
    revision = current_revision(session, entry)
    assert (revision.name_cy, revision.offers_cy, revision.hours_cy) == (
        "Lles Myfyrwyr", "Rhywun\ni siarad ag ef.", "Yn ystod yr wythnos")
    assert fields_of(revision).name_cy == "Lles Myfyrwyr" and not revision.lacks_welsh


def test_an_entry_lacks_welsh_while_any_english_word_has_none(session):
    school = factories.make_school(session)
    entry = create_entry(session, "test", school, replace(ENTRY, name_cy="Lles Myfyrwyr"))
    assert current_revision(session, entry).lacks_welsh
    no_hours = create_entry(session, "test", school, replace(
        ENTRY, name="Helpline", hours="", name_cy="Llinell gymorth", offers_cy="Rhywun."))
    assert not current_revision(session, no_hours).lacks_welsh


def test_a_welsh_edit_is_a_new_version_and_the_old_one_stays(session):
    school = factories.make_school(session)
    admin = factories.make_staff(session, school, Role.ADMIN)
    entry = create_entry(session, "test", school, ENTRY)
    first = current_revision(session, entry)
    second = edit_entry(session, admin, entry, replace(ENTRY, name_cy="Lles Myfyrwyr"),
                        first.id)
    history = entry_history(session, entry)
    assert [r.id for r in history] == [second.id, first.id]
    assert (history[0].name_cy, history[1].name_cy) == ("Lles Myfyrwyr", "")
    assert history[1].valid_to is not None and history[0].valid_to is None
    assert session.scalars(select(AuditEntry.action).where(
        AuditEntry.action == "directory.edit")).all() == ["directory.edit"]
    with pytest.raises(Conflict):  # another editor's Welsh is not silently replaced either
        edit_entry(session, "test", entry, replace(ENTRY, name_cy="Arall"), first.id)


def test_the_welsh_is_checked_like_the_english(session):
    school = factories.make_school(session)
    with pytest.raises(InvalidEntry) as refused:
        create_entry(session, "test", school, replace(
            ENTRY, name_cy="x" * 121, offers_cy="\u202eRhywbeth", hours="", hours_cy="Bob dydd"))
    assert refused.value.problems == {
        "name_cy": "Keep the Welsh name under 120 characters.",
        "offers_cy": "Remove the hidden control characters from this answer.",
        "hours_cy": "Give the opening hours in English too, or leave the Welsh empty."}


def test_the_urgent_contact_is_set_in_both_languages_and_audited(session):
    school = factories.make_school(session)
    admin = factories.make_staff(session, school, Role.ADMIN)
    set_urgent_contact(session, admin, school, " Duty line: 0113 496 0000 ",
                       "Llinell ddyletswydd: 0113 496 0000")
    stored = session.get(School, school.id)
    assert (stored.urgent_contact, stored.urgent_contact_cy) == (
        "Duty line: 0113 496 0000", "Llinell ddyletswydd: 0113 496 0000")
    assert session.scalars(select(AuditEntry.target).where(
        AuditEntry.action == "school.urgent_contact")).all() == [f"school:{school.id}"]


def test_the_demo_has_welsh_for_some_entries_and_not_all():
    names = {fields.name for fields in DIRECTORY}
    assert set(DIRECTORY_CY) < names  # some with Welsh, at least one without
    assert all(welsh["name_cy"] and welsh["offers_cy"] for welsh in DIRECTORY_CY.values())


def test_current_entries_carry_their_welsh(session):
    school = factories.make_school(session)
    create_entry(session, "test", school, replace(ENTRY, name_cy="Lles Myfyrwyr"))
    assert [r.name_cy for r in current_entries(session, school.id)] == ["Lles Myfyrwyr"]
