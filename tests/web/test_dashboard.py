"""The response-time dashboard: figures from the database, suppressed, charts and CSV."""

from __future__ import annotations

import csv
import io
import itertools

from sqlalchemy import select

from reporting.domain.cases import Action
from reporting.domain.disclosure import FEWER, HIDDEN_SHARE, PROTECTED
from reporting.domain.report import Ground, Setting
from reporting.domain.roles import ChannelKind, Role
from reporting.models import AuditEntry
from reporting.models.base import utcnow
from reporting.services import dashboard, handling
from reporting.services.stats import academic_year
from tests import factories
from tests.conftest import post_form

YEAR = academic_year(utcnow())
DISTINCTIVE = {"gender_reassignment", "Gender reassignment"}


def _population(session, school, officer) -> None:
    """Twenty ordinary reports and one distinctive one (a ground and setting nobody else has)."""
    for n in range(20):
        case = factories.make_report(session, school, grounds=frozenset({Ground.RACE}),
                                     setting=Setting.CLINICAL_PLACEMENT if n % 2 else
                                     Setting.TEACHING).case
        if n < 10:
            handling.act(session, officer, case, Action.ACKNOWLEDGE, case.version)
    factories.make_report(session, school, grounds=frozenset({Ground.GENDER_REASSIGNMENT}),
                          setting=Setting.ONLINE, chosen_channel=ChannelKind.INSTITUTIONAL)
    session.commit()


def test_a_distinctive_report_cannot_be_found_through_any_filter(session, school):
    """Across every year and channel filter, is no count 1–4 shown, and no single hidden cell
    left beside a total it could be recovered from?"""
    officer = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    _population(session, school, officer)
    for channel in [None, *[k.value for k in ChannelKind]]:
        data = dashboard.build(session, dashboard.Filters(school.id, YEAR, channel))
        tables = [data.by_channel, data.by_setting, data.by_ground, data.by_identity,
                  data.by_month]
        shown = [data.total, data.overdue_now] + [c.shown for t in tables for c in t]
        assert not set(shown) & {"1", "2", "3", "4"}, (channel, shown)
        for table in tables:
            hidden = [c for c in table if c.hidden]
            beside = [c for c in table if not c.hidden and c.count > 0]
            assert len(hidden) != 1 or not beside, (channel, [(c.key, c.shown) for c in table])
        ground = next(c for c in data.by_ground if c.key == "gender_reassignment")
        setting = next(c for c in data.by_setting if c.key == "online")
        assert ground.hidden and setting.hidden
    # Rates never rest on fewer than 8 cases, whatever the filter.
    small = dashboard.build(session, dashboard.Filters(school.id, YEAR, "institutional"))
    assert all("not shown" in t.median for t in small.timings)


def test_figures_come_from_events(session, school):
    """Are acknowledgement shares and timings computed once there are enough cases?"""
    officer = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    _population(session, school, officer)
    data = dashboard.build(session, dashboard.Filters(school.id, YEAR))
    assert data.total == "21" and data.ack_within == "100%"
    # Filtered to pastoral, the count hides: with 1 institutional case beside it, showing
    # pastoral's 20 would let anyone subtract it from the total (secondary suppression).
    pastoral = dashboard.build(session, dashboard.Filters(school.id, YEAR, "pastoral"))
    assert pastoral.total == PROTECTED
    ack = data.timings[0]
    assert ack.base == 10 and "hours" in ack.median


def test_the_page_shows_charts_with_tables_and_exports_csv(login_as, session, school):
    """Does the page draw accessible SVG charts with tables, filter, and export a CSV?"""
    officer = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    _population(session, school, officer)
    admin = login_as(Role.ADMIN)
    page = admin.get(f"/admin/dashboard?year={YEAR}&channel=pastoral").get_data(as_text=True)
    assert page.count('<svg class="chart-svg" role="img"') == 5 and "<desc" in page
    assert "Cases by ground" in page and str(FEWER) in page
    assert admin.get(f"/admin/dashboard.csv?year={YEAR}").status_code == 405  # GET changes nothing
    response = post_form(admin, "/admin/dashboard.csv", {"year": YEAR, "channel": ""},
                         from_url="/admin/dashboard")
    assert response.headers["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:2] == ["section", "item"]
    assert not any(row[2] in {"1", "2", "3", "4"} for row in rows[1:])
    assert ["ground", "Gender reassignment", FEWER, HIDDEN_SHARE] in rows
    assert session.scalar(select(AuditEntry).where(AuditEntry.action == "dashboard.export"))
    assert admin.get("/admin/dashboard?year=1999/00&channel=moon").status_code == 200


def test_every_filter_combination_renders(login_as, session, school):
    """Does every year and channel choice (and nonsense) give a page, never a 500?"""
    admin = login_as(Role.ADMIN)
    for year, channel in itertools.product([YEAR, "", "x"], ["", "peer", "<script>"]):
        assert admin.get("/admin/dashboard", query_string={"year": year, "channel": channel}
                         ).status_code == 200


def test_cases_by_month_follow_the_channel_chosen(session, school):
    """Filtered to pastoral, do the month bars add up to pastoral's cases, not every
    channel's?"""
    for _ in range(12):
        factories.make_report(session, school)
    for _ in range(9):
        factories.make_report(session, school, chosen_channel=ChannelKind.INSTITUTIONAL)
    session.commit()
    pastoral = dashboard.build(session, dashboard.Filters(school.id, YEAR, "pastoral"))
    assert pastoral.total == "12"
    assert sum(int(c.shown) for c in pastoral.by_month if not c.hidden) == 12
    everyone = dashboard.build(session, dashboard.Filters(school.id, YEAR))
    assert sum(int(c.shown) for c in everyone.by_month if not c.hidden) == 21
