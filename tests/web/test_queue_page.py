"""The queue page: its search and filters answered plainly, the saved view, and the
metadata CSV (audited, no content), including hand-made and tampered requests."""

from __future__ import annotations

import csv
import io
import json

from sqlalchemy import select

from reporting.domain.report import Ground, Setting
from reporting.domain.roles import Role
from reporting.models import AuditEntry, ChannelMembership
from tests import factories
from tests.conftest import csrf_token, post_form


def test_search_and_filters_show_what_was_asked(login_as, session, school):
    """Does the page find a case by reference, filter by ground and setting, and say so?"""
    officer = login_as(Role.PASTORAL_OFFICER)
    wanted = factories.make_report(session, school, grounds=frozenset({Ground.DISABILITY}),
                                   setting=Setting.ONLINE).case
    other = factories.make_report(session, school).case
    session.commit()
    found = officer.get(f"/staff/?reference={wanted.reference.lower()}").text
    assert f"1 case with reference {wanted.reference}" in found
    assert wanted.reference in found and other.reference not in found
    for query in ("ground=disability", "setting=online"):
        page = officer.get(f"/staff/?{query}").text
        assert wanted.reference in page and other.reference not in page
    newest = officer.get("/staff/?sort=received").text
    assert "newest first" in newest and newest.index(other.reference) < newest.index(
        wanted.reference)


def test_wrong_filters_get_plain_messages_and_no_500(login_as):
    """A malformed reference, an impossible date, a year 9999 and a range backwards:
    answered 400 with a message at each field?"""
    officer = login_as(Role.PASTORAL_OFFICER)
    for query, message in (
            ("reference=NF-7K3", "A case reference has two characters, a dash and four"),
            ("since=2026-02-31", "Enter a real date"),
            ("until=9999-12-31", "Enter a date between 2000 and 2100."),
            ("since=2026-03-02&until=2026-03-01", "The end date must be the same as"),
            ("ground=nonsense", "Not a valid choice"),
            ("sort=drop%20table", "Not a valid choice")):
        page = officer.get(f"/staff/?{query}")
        assert page.status_code == 400 and message in page.text, query
        assert "There is a problem" in page.text and "Correct the filters above" in page.text


def test_a_saved_view_opens_the_queue_until_forgotten(login_as, session, school):
    """Saved, does the bare queue open with it (and say so)? Does another handler keep
    the default, and does forgetting it bring the default back?"""
    officer = login_as(Role.PASTORAL_OFFICER)
    colleague = login_as(Role.PASTORAL_OFFICER, email="colleague@x.example")
    race = factories.make_report(session, school).case
    sex = factories.make_report(session, school, grounds=frozenset({Ground.SEX})).case
    session.commit()
    saved = post_form(officer, "/staff/queue/view", {"ground": "sex", "sort": "received"},
                      from_url="/staff/")
    assert saved.status_code == 302
    page = officer.get("/staff/").text
    assert "This is your saved view" in page and sex.reference in page
    assert race.reference not in page
    assert race.reference in colleague.get("/staff/").text
    assert race.reference in officer.get("/staff/?sort=priority").text  # the default
    post_form(officer, "/staff/queue/view", {"forget": "1"}, from_url="/staff/")
    page = officer.get("/staff/").text
    assert "This is your saved view" not in page and race.reference in page
    assert "Forget my saved view" not in page


def test_a_saved_view_that_no_longer_fits_falls_back_plainly(login_as, session, school):
    """A view saved on a team the handler has left: the default queue, with a message?"""
    officer = login_as(Role.PASTORAL_OFFICER)
    institutional = school.channel("institutional")
    session.add(ChannelMembership(staff_id=officer.user.id, channel_id=institutional.id))
    session.commit()
    post_form(officer, "/staff/queue/view", {"channel": str(institutional.id)},
              from_url="/staff/")
    session.query(ChannelMembership).filter_by(staff_id=officer.user.id,
                                               channel_id=institutional.id).delete()
    session.commit()
    page = officer.get("/staff/")
    assert page.status_code == 200 and "no longer fits your teams" in page.text


def test_a_tampered_view_is_refused_plainly(login_as):
    """A hand-made save with a channel not the handler's: refused with a message, nothing
    saved?"""
    officer = login_as(Role.PASTORAL_OFFICER)
    answer = post_form(officer, "/staff/queue/view", {"channel": "999"}, from_url="/staff/",
                       follow_redirects=True)
    assert "These filters could not be saved" in answer.text
    assert officer.user.queue_view is None


def test_the_csv_is_the_queues_metadata_and_its_download_is_audited(login_as, session,
                                                                     school):
    """Does the CSV hold the filtered cases' metadata only, and the log say who took it,
    how many and with which filters?"""
    officer = login_as(Role.PASTORAL_OFFICER)
    factories.make_report(session, school, narrative="CANARY-7781 what happened")
    factories.make_report(session, school, grounds=frozenset({Ground.SEX}))
    session.commit()
    response = post_form(officer, "/staff/queue.csv", {"ground": "race"}, from_url="/staff/")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.text)))
    assert len(rows) == 2 and rows[0][0] == "reference" and "CANARY" not in response.text
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "queue.export"))
    assert entry.actor == f"staff:{officer.user.id}"
    assert json.loads(entry.detail) == {"cases": 1, "ground": "race"}


def test_the_csv_needs_its_csrf_token_and_valid_filters(login_as):
    """Without the CSRF token: refused. With a tampered filter: back to the queue, with a
    message, and nothing exported or audited."""
    officer = login_as(Role.PASTORAL_OFFICER)
    assert officer.post("/staff/queue.csv", data={}).status_code == 400
    token = csrf_token(officer, "/staff/")
    answer = officer.post("/staff/queue.csv", data={"csrf_token": token, "sort": "x"},
                          follow_redirects=True)
    assert "Correct the filters before exporting." in answer.text
    assert answer.mimetype == "text/html"
