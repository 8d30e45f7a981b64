"""Anonymous statistics follow each case from its events; a report sent again counts once."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from reporting.domain.cases import Action
from reporting.domain.report import Ground, ground_bits
from reporting.domain.roles import ChannelKind, Role
from reporting.models import Case, CaseStat
from reporting.models.base import utcnow
from reporting.services import dashboard, handling
from reporting.services.casework import post_staff_message, staff_keys
from reporting.services.demo import build_demo
from reporting.services.stats import academic_year
from tests import factories
from tests.services.test_reports import private_key


def test_stats_row_tracks_the_case(session, school):
    """Is a statistics row made at submission and updated by acknowledgement and reply?"""
    officer = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    submitted = factories.make_report(session, school, grounds=frozenset({Ground.RACE,
                                                                          Ground.SEX}),
                                      chosen_channel=ChannelKind.PASTORAL)
    session.commit()
    row = session.scalar(select(CaseStat))
    assert (row.channel, row.identity, row.status, row.ack_hours) == (
        "pastoral", "anonymous", "submitted", None)
    assert sorted(g.ground for g in row.grounds) == ["race", "sex"]
    case = submitted.case
    handling.act(session, officer, case, Action.ACKNOWLEDGE, case.version)
    post_staff_message(session, officer, staff_keys(session, officer, private_key(officer), case),
                       case, "Hello")
    session.commit()
    session.refresh(row)
    assert row.status == "acknowledged" and row.ack_within_target is True
    assert row.ack_hours is not None and row.first_response_hours is not None
    assert row.feedback_within_target is True


def test_academic_year_runs_august_to_july():
    """Is July in the previous academic year and August in the next?"""
    assert academic_year(datetime(2026, 7, 31)) == "2025/26"
    assert academic_year(datetime(2026, 8, 1)) == "2026/27"


def test_the_demo_cases_count_in_the_month_they_arrived(session):
    """Does a demo case dated back (some by weeks) count in its own month, not today's?"""
    demo = build_demo(session, params=factories.FAST, totp_key=factories.TOTP_KEY,
                      enrolment_lifetime=timedelta(hours=1), password=factories.PASSWORD)
    session.commit()
    zone = ZoneInfo(demo.school.timezone)
    cases = session.scalars(select(Case).where(Case.school_id == demo.school.id)).all()
    assert len({case.created_at.date() for case in cases}) > 1
    for case in cases:
        row = session.scalar(select(CaseStat).where(CaseStat.case_id == case.id))
        local = case.created_at.astimezone(zone)
        assert (row.month, row.academic_year) == (local.strftime("%Y-%m"), academic_year(local))
        assert row.created_at.date() == case.created_at.date()


def test_a_report_sent_again_counts_once(session, school):
    """A report and the copy the student sent again (its first receipt never shown): is the
    copy's row marked as a repeat, with the grounds' bits on both, and do the dashboard's
    counts, shares and times count the pair once, by the first copy (the one the team
    answered), an overdue pair included?"""
    officer = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    others = [factories.make_report(session, school).case for _ in range(9)]
    first = factories.make_report(session, school, submission_id="first-send",
                                  grounds=frozenset({Ground.RACE, Ground.SEX})).case
    again = factories.make_report(session, school, repeats="first-send",
                                  grounds=frozenset({Ground.RACE, Ground.SEX})).case
    for case in [*others, first]:
        handling.act(session, officer, case, Action.ACKNOWLEDGE, case.version)
    for case in [*others[:4], first, again]:
        case.due_at = utcnow() - timedelta(hours=1)
    session.commit()
    rows = {row.case_id: row for row in session.scalars(select(CaseStat))}
    assert (rows[first.id].repeat, rows[again.id].repeat) == (False, True)
    assert rows[first.id].ground_bits == rows[again.id].ground_bits == ground_bits(
        {Ground.RACE, Ground.SEX})
    data = dashboard.build(session, dashboard.Filters(school.id, academic_year(
        first.created_at.astimezone(ZoneInfo(school.timezone)))))
    assert data.total == "10" and data.ack_within == "100%"
    assert data.timings[0].base == 10  # the copy nobody acknowledged is not a late case
    by_ground = {cell.key: cell.count for cell in data.by_ground}  # before suppression
    assert (by_ground["race"], by_ground["sex"]) == (10, 1)
    assert {cell.key: cell.shown for cell in data.by_channel}["pastoral"] == "10"
    assert data.overdue_now == "5"  # four, and the pair once
