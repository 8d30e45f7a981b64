"""The admin's access log (filters, paging, audited export) and 'who has read this case'."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from urllib.parse import parse_qsl
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from reporting.domain.roles import Role
from reporting.models import AuditEntry
from reporting.services import access_log, audit
from tests import factories
from tests.conftest import post_form

LOG = "/admin/audit"


def _rows(page: str) -> int:
    return page.count("<tr>") - 1  # less the header row


def _export(client, **filters):
    return post_form(client, f"{LOG}/export", filters, from_url=LOG)


def test_the_log_names_people_and_says_what_they_did(login_as, session, school):
    """Are entries newest first, with staff names, 'student', 'command line', plain words?"""
    admin = login_as(Role.ADMIN)
    case = factories.make_report(session, school).case
    chain = audit.school_chain(school.id)
    audit.record(session, chain, "cli", "staff.password_reset", f"staff:{admin.user.id}")
    audit.record(session, chain, f"staff:{admin.user.id}", "routing.save")
    session.commit()
    page = admin.get(LOG).get_data(as_text=True)
    assert "Sent a report" in page and f"Case {case.reference}" in page
    assert "student" in page and "command line" in page and "Saved new routing rules" in page
    assert page.index("Saved new routing rules") < page.index("Reset a password") < page.index(
        "Sent a report")  # newest first
    assert f'href="/admin/audit?case={case.id}"' in page
    assert 'aria-current="page">Access log<' in page


def test_filters_by_person_case_and_period(login_as, session, school):
    """Do the person, case and day filters each narrow the log?"""
    admin = login_as(Role.ADMIN)
    officer = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    first = factories.make_report(session, school).case
    second = factories.make_report(session, school).case
    chain = audit.school_chain(school.id)
    audit.record(session, chain, f"staff:{officer.id}", "case.read", f"case:{first.id}")
    entry = audit.record(session, chain, f"staff:{officer.id}", "case.read",
                         f"case:{second.id}")
    session.commit()
    by_officer = admin.get(f"{LOG}?user=staff:{officer.id}").get_data(as_text=True)
    assert _rows(by_officer) == 2 and "Opened the case (decrypted)" in by_officer
    by_case = admin.get(f"{LOG}?case={first.id.upper()}").get_data(as_text=True)
    assert _rows(by_case) == 2 and f"Case {second.id}" not in by_case  # submitted + read
    both = admin.get(f"{LOG}?user=staff:{officer.id}&case={first.id}").get_data(as_text=True)
    assert _rows(both) == 1
    day = entry.at.astimezone(ZoneInfo(school.timezone)).date()
    within = admin.get(f"{LOG}?since={day}&until={day}").get_data(as_text=True)
    assert _rows(within) >= 4
    for outside in (f"since={day + timedelta(days=1)}", f"until={day - timedelta(days=1)}"):
        assert "No entries match these filters." in admin.get(f"{LOG}?{outside}").get_data(
            as_text=True)
    students = admin.get(f"{LOG}?user=reporter").get_data(as_text=True)
    assert _rows(students) == 2 and "Sent a report" in students


def test_the_log_is_paged_and_pages_keep_the_filters(login_as, session, school):
    """With more entries than a page holds, do Previous/Next pages carry the filters?"""
    admin = login_as(Role.ADMIN)
    chain, actor = audit.school_chain(school.id), f"staff:{admin.user.id}"
    for _ in range(access_log.PAGE_SIZE + 5):
        audit.record(session, chain, actor, "staff.notify_mode", actor, mode="digest")
    session.commit()
    first = admin.get(f"{LOG}?user={actor}").get_data(as_text=True)
    assert _rows(first) == access_log.PAGE_SIZE and "Page 1 of 2" in first
    assert f'?page=2&amp;user=staff:{admin.user.id}"' in first
    second = admin.get(f"{LOG}?user={actor}&page=2").get_data(as_text=True)
    total = len(session.scalars(select(AuditEntry.id).where(AuditEntry.actor == actor)).all())
    assert total > access_log.PAGE_SIZE + 5  # and their sign-in
    assert _rows(second) == total - access_log.PAGE_SIZE and "Previous page" in second
    beyond = admin.get(f"{LOG}?user={actor}&page=9").get_data(as_text=True)
    assert "not on page 9" in beyond


@pytest.mark.parametrize(("query", "message"), [
    ("case=not-a-case", "Enter a case reference as it appears in the log"),
    ("since=2026-13-45", "Enter a real date, for example 2026-03-01."),
    ("since=0001-01-01", "Enter a date between 2000 and 2100."),
    ("until=9999-12-31", "Enter a date between 2000 and 2100."),
    ("since=2026-03-02&until=2026-03-01", "The end date must be the same as or after"),
    ("user=staff:999999", "Choose someone from the list."),
    ("user=%00", "Choose someone from the list."),
    ("page=abc", "The page must be a whole number"),
    ("page=0", "The page must be between 1 and 100,000."),
])
def test_bad_filters_get_a_clear_message(login_as, school, query, message):
    """Is each kind of bad filter answered with a message (400), never a server error?"""
    admin = login_as(Role.ADMIN)
    response = admin.get(f"{LOG}?{query}")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page and "There is a problem" in page
    assert "<table" not in page
    assert _export(admin, **dict(parse_qsl(query))).status_code == 400


def test_export_is_the_filtered_log_and_is_itself_audited(login_as, session, school):
    """Does the CSV hold exactly the filtered entries, naming the case by its reference,
    and is the export recorded?"""
    admin = login_as(Role.ADMIN)
    case = factories.make_report(session, school).case
    other = factories.make_report(session, school).case
    admin.user.display_name = "=HYPERLINK(evil)"  # a name a spreadsheet must not run
    session.commit()
    audit.record(session, audit.school_chain(school.id), f"staff:{admin.user.id}", "case.read",
                 f"case:{case.id}")
    session.commit()
    response = _export(admin, case=case.id)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:6] == ["seq", "at_utc", "actor", "who", "action", "what"]
    assert [r[4] for r in rows[1:]] == ["case.read", "report.submit"]
    assert {r[6] for r in rows[1:]} == {f"case:{case.id}"} and other.id not in str(rows)
    assert {r[7] for r in rows[1:]} == {f"Case {case.reference}"}  # the words the page shows
    assert rows[1][3] == "'=HYPERLINK(evil)"
    [export] = session.scalars(select(AuditEntry).where(AuditEntry.action == "audit.export"))
    assert export.actor == f"staff:{admin.user.id}"
    assert json.loads(export.detail) == {"case": case.id, "done_by": "", "entries": 2,
                                         "since": "", "until": ""}
    assert audit.verify(session) == []


def test_viewing_the_log_is_not_audited(login_as, session, school):
    """Does reading the log leave it as it was (only exports are recorded)?"""
    admin = login_as(Role.ADMIN)
    before = session.scalars(select(AuditEntry.id)).all()
    assert admin.get(LOG).status_code == 200
    assert admin.get(f"{LOG}?page=1").status_code == 200
    assert session.scalars(select(AuditEntry.id)).all() == before


def test_another_schools_log_stays_out_of_sight(login_as, session, school):
    """Does an admin see only their own school's chain?"""
    other = factories.make_school(session, slug="southbank")
    session.commit()
    theirs = factories.make_report(session, other).case
    admin = login_as(Role.ADMIN)
    assert f"Case {theirs.id}" not in admin.get(LOG).get_data(as_text=True)
    assert "No entries match" in admin.get(f"{LOG}?case={theirs.id}").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(_export(admin).get_data(as_text=True))))
    assert theirs.id not in str(rows)


def test_case_page_shows_who_has_read_it(login_as, session, school):
    """Does the case page list each reader once, with their last read, and only this case's?"""
    first = login_as(Role.PASTORAL_OFFICER)
    second = login_as(Role.PASTORAL_OFFICER, email="second@northfield.example")
    second.user.display_name = "Bea Second"
    session.commit()
    case = factories.make_report(session, school).case
    elsewhere = factories.make_report(session, school).case
    session.commit()
    url = f"/staff/cases/{case.id}"
    page = first.get(url).get_data(as_text=True)
    assert "Who has read this case" in page and "Pastoral officer (you)" in page
    second.get(url)
    second.get(url)
    second.get(f"/staff/cases/{elsewhere.id}")
    page = first.get(url).get_data(as_text=True)
    section = page[page.index("Who has read this case"):]
    assert section.count("<tr>") == 3  # header and one row per reader
    assert "Bea Second" in section and "Pastoral officer (you)" in section
    readers = {r.name: r.last_read for r in access_log.readers(session, case)}
    reads = session.scalars(select(AuditEntry.at).where(
        AuditEntry.actor == f"staff:{second.user.id}", AuditEntry.target == f"case:{case.id}",
        AuditEntry.action == "case.read")).all()
    assert len(reads) == 2 and readers["Bea Second"] == max(reads)
    assert set(readers) == {"Pastoral officer", "Bea Second"}
