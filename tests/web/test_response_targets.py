"""The admin's response targets page: validation, audit, holidays, and deadlines that follow."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from reporting.domain.roles import Role
from reporting.domain.sla import Policy, add_days
from reporting.models import AuditEntry, SchoolHoliday
from tests import factories
from tests.conftest import post_form

PAGE = "/admin/response-times"
ADD, REMOVE = f"{PAGE}/holidays", f"{PAGE}/holidays/remove"
TARGETS = {"ack_peer": "2", "ack_pastoral": "3", "ack_institutional": "7",
           "urgent_ack_days": "1", "feedback_days": "91", "counting": "calendar"}
LONDON = ZoneInfo("Europe/London")


def audit_actions(session, prefix: str = "sla.") -> list[AuditEntry]:
    return [e for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))
            if e.action.startswith(prefix)]


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON).astimezone(UTC)


def test_the_page_shows_the_targets_in_force(login_as):
    """Does the page show the DESIGN.md defaults, calendar days, and its nav link as current?"""
    page = login_as(Role.ADMIN).get(PAGE).get_data(as_text=True)
    for name, value in TARGETS.items():
        if name != "counting":
            assert re.search(f'<input [^>]*id="{name}"[^>]* value="{value}"', page), name
    assert 'value="calendar" checked' in page and 'value="working">' in page
    assert 'aria-current="page">Response targets</a>' in page
    assert "No holidays yet." in page


def test_saving_targets_audits_and_moves_open_deadlines(login_as, session, school):
    """After a save: are the new targets in force, the change audited (numbers only), and
    the open case's deadline recomputed while a closed case keeps none?"""
    admin = login_as(Role.ADMIN)
    open_case = factories.make_report(session, school).case  # pastoral: 3 days
    closed = factories.make_report(session, school).case
    closed.status, closed.due_at = "closed", None
    session.commit()
    created = open_case.created_at

    response = post_form(admin, PAGE, {**TARGETS, "ack_pastoral": "5", "urgent_ack_days": "2",
                                       "feedback_days": "60"})
    assert response.status_code == 302
    session.expire_all()
    assert [c.ack_days for c in school.channels] == [2, 5, 7]
    assert (school.urgent_ack_days, school.feedback_days, school.working_days) == (2, 60, False)
    assert open_case.due_at == add_days(created, 5, Policy(ack_days=5))
    assert closed.due_at is None
    [entry] = audit_actions(session)
    detail = json.loads(entry.detail)
    assert entry.action == "sla.targets" and entry.actor == f"staff:{admin.user.id}"
    assert detail == {"pastoral_ack_days": [3, 5], "urgent_ack_days": [1, 2],
                      "feedback_days": [91, 60], "deadlines_moved": 1}
    assert "1 open case now has a new deadline." in admin.get(PAGE).get_data(as_text=True)


@pytest.mark.parametrize("changes,message", [
    ({"ack_peer": "0"}, "Enter a whole number of days from 1 to 90."),
    ({"ack_pastoral": "91"}, "Enter a whole number of days from 1 to 90."),
    ({"ack_institutional": "abc"}, "Enter a whole number of days from 1 to 90."),
    ({"ack_institutional": "1.5"}, "Enter a whole number of days from 1 to 90."),
    ({"ack_peer": "-1"}, "Enter a whole number of days from 1 to 90."),
    ({"ack_peer": "\u0663"}, "Enter a whole number of days from 1 to 90."),  # Arabic three
    ({"ack_peer": "1_0"}, "Enter a whole number of days from 1 to 90."),
    ({"urgent_ack_days": ""}, "Enter a whole number of days from 1 to 90."),
    ({"urgent_ack_days": "1e2"}, "Enter a whole number of days from 1 to 90."),
    ({"feedback_days": "93"}, "Enter a whole number of days from 1 to 92."),
    ({"feedback_days": "99999999999999999999"}, "Enter a whole number of days from 1 to 92."),
    ({"counting": ""}, "Choose how days are counted."),
    ({"counting": "sometimes"}, "Not a valid choice."),
])
def test_invalid_targets_are_refused_and_nothing_changes(login_as, session, school, changes,
                                                         message):
    """Is each bad answer refused (400) with a plain message, nothing saved or audited?"""
    admin = login_as(Role.ADMIN)
    response = post_form(admin, PAGE, {**TARGETS, "feedback_days": "92", **changes})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "There is a problem" in page and message in page
    assert page.count(message) == 2  # once in the summary, once by the field
    session.expire_all()
    assert school.feedback_days == 91 and [c.ack_days for c in school.channels] == [2, 3, 7]
    assert audit_actions(session) == []


def test_a_handler_cannot_change_targets(login_as, session, school):
    """Is a pastoral officer's POST refused (403) and nothing changed?"""
    handler = login_as(Role.PASTORAL_OFFICER)
    response = post_form(handler, PAGE, {**TARGETS, "ack_peer": "9"}, from_url="/staff/settings")
    assert response.status_code == 403
    session.expire_all()
    assert [c.ack_days for c in school.channels] == [2, 3, 7] and audit_actions(session) == []


def test_holidays_are_added_listed_and_removed_with_audit(login_as, session, school):
    """Can an admin add a named holiday, see it, and remove it, each step audited?"""
    admin = login_as(Role.ADMIN)
    added = post_form(admin, ADD, {"day": "2026-12-25", "name": "Christmas Day"},
                      from_url=PAGE)
    assert added.status_code == 302
    page = admin.get(PAGE).get_data(as_text=True)
    assert "Friday 25 December 2026" in page and "Christmas Day" in page
    assert "25 December 2026 is now a holiday." in page
    removed = post_form(admin, REMOVE, {"day": "2026-12-25"}, from_url=PAGE)
    assert removed.status_code == 302
    assert session.scalars(select(SchoolHoliday)).all() == []
    assert [e.action for e in audit_actions(session)] == ["sla.holiday_add",
                                                          "sla.holiday_remove"]
    assert all(json.loads(e.detail)["day"] == "2026-12-25" for e in audit_actions(session))
    assert post_form(admin, REMOVE, {"day": "2026-12-25"}, from_url=PAGE).status_code == 404
    assert post_form(admin, REMOVE, {"day": "Christmas"}, from_url=PAGE).status_code == 400


@pytest.mark.parametrize("data,message", [
    ({"day": "2026-02-30"}, "Enter a real date, for example 2026-03-01."),
    ({"day": ""}, "Enter a date, for example 2026-12-25."),
    ({"day": "1999-12-31"}, "Choose a date from 2000 to 2099."),
    ({"day": "2026-12-25", "name": "x" * 81}, "Keep the name under 80 characters."),
    ({"day": "2026-12-25", "name": "Boxing\x00Day"}, "Remove the hidden control characters"),
])
def test_invalid_holidays_are_refused(login_as, session, school, data, message):
    """Is an impossible, missing or out-of-range date, or a bad name, refused (400)?"""
    admin = login_as(Role.ADMIN)
    response = post_form(admin, ADD, data, from_url=PAGE)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert session.scalars(select(SchoolHoliday)).all() == []


def test_a_holiday_twice_is_refused(login_as, session, school):
    """Adding the same day again: a clear refusal, one row."""
    admin = login_as(Role.ADMIN)
    post_form(admin, ADD, {"day": "2026-12-25"}, from_url=PAGE)
    again = post_form(admin, ADD, {"day": "2026-12-25"}, from_url=PAGE)
    assert again.status_code == 400
    assert "25 December 2026 is already in the calendar." in again.get_data(as_text=True)
    assert len(session.scalars(select(SchoolHoliday)).all()) == 1


def test_working_days_and_holidays_move_an_open_deadline(login_as, session, school):
    """A pastoral case from Friday 1 May, 1 working day: Monday; with the May bank holiday
    added, Tuesday; with it removed, Monday again."""
    admin = login_as(Role.ADMIN)
    case = factories.make_report(session, school).case
    case.created_at = local(2026, 5, 1, 10, 0)
    session.commit()
    assert post_form(admin, PAGE, {**TARGETS, "ack_pastoral": "1",
                                   "counting": "working"}).status_code == 302
    session.refresh(case)
    assert case.due_at == local(2026, 5, 4, 10, 0)
    post_form(admin, ADD, {"day": "2026-05-04", "name": "Early May bank holiday"},
              from_url=PAGE)
    session.refresh(case)
    assert case.due_at == local(2026, 5, 5, 10, 0)
    post_form(admin, REMOVE, {"day": "2026-05-04"}, from_url=PAGE)
    session.refresh(case)
    assert case.due_at == local(2026, 5, 4, 10, 0)


def test_another_schools_admin_changes_only_their_school(login_as, session, school):
    """An admin of another school: their save and holidays never touch this school."""
    other = factories.make_school(session, slug="southbank")
    session.add(SchoolHoliday(school_id=school.id, day=date(2026, 12, 25)))
    session.commit()
    admin = login_as(Role.ADMIN, at_school=other, email="admin@southbank.example")
    assert post_form(admin, PAGE, {**TARGETS, "ack_peer": "9"}).status_code == 302
    assert post_form(admin, REMOVE, {"day": "2026-12-25"}, from_url=PAGE).status_code == 404
    session.expire_all()
    assert school.channels[0].ack_days == 2 and other.channels[0].ack_days == 9
    assert len(session.scalars(select(SchoolHoliday)).all()) == 1
