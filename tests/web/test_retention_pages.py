"""Through the pages: a student deletes their report; a handler records and lifts a legal hold."""

from __future__ import annotations

import json
import re

from sqlalchemy import select

from reporting.domain.roles import Role
from reporting.models import AuditEntry, Case, CaseStat
from reporting.services.retention import set_legal_hold
from tests import factories
from tests.conftest import csrf_token, post_form

PAGE = "/s/northfield/your-report"
LOST = "That receipt does not match a report here."
VERSION = re.compile(r'name="version" value="(\d+)"')


def _open(client, receipt: str) -> None:
    assert post_form(client, "/s/northfield/return", {"receipt": receipt}).status_code == 302


def _act(client, action: str, data: dict):
    """A student's action on 'your report', as the page's form sends it."""
    return post_form(client, f"{PAGE}/{action}", data, from_url=PAGE)


def staff_act(client, case, action: str, data: dict):
    """A handler's case action, from the version of the case page they saw."""
    page = client.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    token = csrf_token(client, f"/staff/cases/{case.id}")
    return client.post(f"/staff/cases/{case.id}/{action}", data={
        "csrf_token": token, "version": VERSION.search(page).group(1), **data})


def test_student_deletes_their_report_for_good(client, session, school):
    """Does deletion need the box ticked, then end the session and make the receipt useless?"""
    submitted = factories.make_report(session, school, narrative="Please forget this.")
    session.commit()
    case_id = submitted.case.id
    _open(client, submitted.receipt)
    page = client.get(PAGE).get_data(as_text=True)
    assert "Delete your report" in page and 'id="delete-confirm"' in page
    unticked = _act(client, "delete", {})
    assert unticked.status_code == 200
    assert "Tick the box to confirm you want your report deleted" in unticked.get_data(
        as_text=True)
    assert session.get(Case, case_id) is not None
    done = _act(client, "delete", {"confirm": "y"})
    assert done.status_code == 303 and done.location.endswith(f"{PAGE}/deleted")
    told = client.get(done.location)
    text = told.get_data(as_text=True)
    assert told.status_code == 200 and "Your report has been deleted" in text
    assert "Please forget this." not in text
    reload = client.get(done.location)  # said once: a reload leads to the school's start
    assert reload.status_code == 302 and reload.location.endswith("/s/northfield/")
    session.expire_all()
    assert session.get(Case, case_id) is None
    assert session.scalar(select(CaseStat.status)) == "withdrawn"  # the anonymous count stays
    again = client.get(PAGE)
    assert again.status_code == 302 and again.location.endswith("/s/northfield/return")
    retry = post_form(client, "/s/northfield/return", {"receipt": submitted.receipt})
    assert retry.status_code == 200 and LOST in retry.get_data(as_text=True)


def test_a_legal_hold_refuses_the_students_deletion(client, session, school):
    """With a hold recorded, is deletion refused with a clear message and nothing lost?"""
    officer = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    submitted = factories.make_report(session, school, narrative="Keep this safe.")
    session.commit()
    set_legal_hold(session, officer, submitted.case, True, "ref 3", submitted.case.version)
    session.commit()
    _open(client, submitted.receipt)
    refused = _act(client, "delete", {"confirm": "y"}).get_data(as_text=True)
    assert "cannot be deleted at the moment" in refused and "Keep this safe." in refused
    assert client.get(PAGE).status_code == 200  # still signed in to the report
    session.expire_all()
    assert session.get(Case, submitted.case.id) is not None


def test_handler_records_and_lifts_a_legal_hold(login_as, session, school):
    """Can a handler record a hold with a reason, see it on the case page, and lift it?"""
    client = login_as(Role.PASTORAL_OFFICER)
    case = factories.make_report(session, school).case
    session.commit()
    page = client.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    assert "Record a legal hold" in page and "do not include anything from the report" in page
    empty = staff_act(client, case, "legal_hold", {"reason": ""})
    assert empty.status_code == 400 and "Say why in a few words" in empty.get_data(as_text=True)
    too_long = staff_act(client, case, "legal_hold", {"reason": "x" * 201})
    assert too_long.status_code == 400
    held = staff_act(client, case, "legal_hold", {"reason": "Tribunal ref 2026/17"})
    assert held.status_code == 302
    page = client.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    assert "This case is under a legal hold." in page and "Lift the legal hold" in page
    again = staff_act(client, case, "legal_hold", {"reason": "twice"})
    assert again.status_code == 400
    assert staff_act(client, case, "lift_hold", {"reason": "Tribunal over"}).status_code == 302
    session.expire_all()
    assert session.get(Case, case.id).legal_hold is False
    entries = session.scalars(select(AuditEntry).where(
        AuditEntry.action.in_(("case.legal_hold", "case.legal_hold_lifted")))
        .order_by(AuditEntry.id)).all()
    assert [(e.action, json.loads(e.detail)["reason"]) for e in entries] == [
        ("case.legal_hold", "Tribunal ref 2026/17"), ("case.legal_hold_lifted", "Tribunal over")]
