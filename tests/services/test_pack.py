"""The yearly evidence pack: every figure through disclosure control, the trend across
years, the directory's changes in the year, and capacity that gives no count back."""

from __future__ import annotations

import socket

import pytest
from sqlalchemy import select

from reporting.domain.disclosure import FEWER, PROTECTED
from reporting.domain.roles import ChannelKind, Role
from reporting.models import CaseStat
from reporting.models.base import utcnow
from reporting.services import directory
from reporting.services.pack import figures
from reporting.services.pack.pdf import print_pdf
from reporting.services.stats import academic_year
from tests import factories
from tests.services.test_directory import fields

YEAR = academic_year(utcnow())


def every_count(pack: figures.Pack) -> list[str]:
    """Every count the pack shows (its cells and its single figures)."""
    f = pack.figures
    cells = [*pack.by_route, *pack.by_outcome, *pack.by_year, *f.by_channel, *f.by_setting,
             *f.by_ground, *f.by_identity, *f.by_month]
    return [c.shown for c in cells] + [f.total, f.overdue_now] + [c.handlers
                                                                 for c in pack.capacity]


def test_no_count_under_five_and_no_rate_on_fewer_than_eight(session, school):
    """Seven reports, three of them peer requests: every small count reads 'fewer than 5'
    and every share or time is withheld."""
    for _ in range(4):
        factories.make_report(session, school)
    for _ in range(3):
        factories.make_report(session, school, chosen_channel=ChannelKind.PEER)
    session.commit()
    pack = figures.build(session, school, YEAR)
    for shown in every_count(pack):
        assert shown in (FEWER, PROTECTED) or shown == "0" or int(shown) >= 5, shown
    assert FEWER in every_count(pack)
    rates = [c.rate_shown for c in pack.by_year] + [pack.figures.ack_within] + [
        t.median for t in pack.figures.timings]
    assert not any(r.endswith("%") or "hours" in r for r in rates), rates


def test_the_trend_covers_every_year_up_to_this_one(session, school):
    """Last year's twelve reports and this year's five, each year's own count."""
    for _ in range(17):
        factories.make_report(session, school)
    session.commit()
    start = int(YEAR[:4])
    earlier = f"{start - 1}/{start % 100:02d}"
    for stat in session.scalars(select(CaseStat).limit(12)):
        stat.academic_year = earlier
    session.commit()
    pack = figures.build(session, school, YEAR)
    assert [(c.label, c.shown) for c in pack.by_year] == [(earlier, "12"), (YEAR, "5")]
    assert [c.label for c in figures.build(session, school, earlier).by_year] == [earlier]


def test_the_directory_changes_of_the_year_are_listed(session, school):
    """Added, changed and retired, each once, in order."""
    admin = factories.make_staff(session, school, Role.ADMIN)
    kept = directory.create_entry(session, admin, school, fields("Wellbeing"))
    gone = directory.create_entry(session, admin, school, fields("Old helpline"))
    session.flush()
    directory.edit_entry(session, admin, kept, fields("Wellbeing", offers="Now at weekends."))
    directory.retire_entry(session, admin, gone)
    session.commit()
    changes = [(c.name, c.change) for c in figures.build(session, school, YEAR)
               .directory_changes]
    assert sorted(changes) == sorted([("Wellbeing", "Added"), ("Old helpline", "Added"),
                                      ("Wellbeing", "Changed"), ("Old helpline", "Retired")])
    start = int(YEAR[:4])
    assert figures.build(session, school, f"{start - 1}/{start % 100:02d}") \
        .directory_changes == []


def test_capacity_gives_back_neither_the_cases_nor_the_handlers(session, school):
    """Cases per handler shows only where both counts are shown and the base is 8 or more."""
    for n in range(5):
        factories.make_staff(session, school, Role.PASTORAL_OFFICER,
                             email=f"officer{n}@northfield.example")
    factories.make_staff(session, school, Role.INSTITUTIONAL_OFFICER)
    for _ in range(10):
        factories.make_report(session, school)
    session.commit()
    capacity = {c.channel: c for c in figures.build(session, school, YEAR).capacity}
    pastoral = capacity["Pastoral and wellbeing support"]
    assert (pastoral.handlers, pastoral.caseload) == ("5", "2.0")
    edi = capacity["Formal complaints and EDI office"]
    assert (edi.handlers, edi.caseload) == (FEWER, figures.FEW_HANDLERS)
    assert capacity["Peer support"].caseload == figures.NO_HANDLERS


def test_the_pdf_printer_fetches_nothing(tmp_path):
    """A pack's HTML is printed without reaching any address it names (a listening port
    sees no connection)."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0)
    port = listener.getsockname()[1]
    html = ('<!doctype html><html lang="en-GB"><head><title>T</title>'
            f'<link rel="stylesheet" href="http://127.0.0.1:{port}/a.css"></head><body><main>'
            f'<h1>Pack</h1><img src="http://127.0.0.1:{port}/x.png" alt="">'
            '<img src="file:///etc/passwd" alt=""></main></body></html>')
    with listener:
        assert print_pdf(html, "body { color: black }").startswith(b"%PDF-")
        with pytest.raises(BlockingIOError):
            listener.accept()


def test_the_demo_school_has_a_pack_with_figures_to_see(session):
    """A newcomer's demo: last year's pack shows real counts in every chart, rates and
    times, and a trend across years; the statistics rows hold no case."""
    from datetime import timedelta

    from reporting.services.demo import build_demo

    demo = build_demo(session, params=factories.FAST, totp_key=factories.TOTP_KEY,
                      enrolment_lifetime=timedelta(hours=1), password=factories.PASSWORD)
    session.commit()
    start = int(YEAR[:4])
    last_year = f"{start - 1}/{start % 100:02d}"
    pack = figures.build(session, demo.school, last_year)
    f = pack.figures
    for chart in (f.by_channel, f.by_setting, f.by_ground, pack.by_outcome):
        assert any(c.shown.isdigit() and int(c.shown) >= 5 for c in chart), chart
    assert f.ack_within.endswith("%") and "hours" in f.timings[0].median
    assert [c.label for c in pack.by_year][-2:] == [f"{start - 2}/{(start - 1) % 100:02d}",
                                                    last_year]
    history = session.scalars(select(CaseStat).where(CaseStat.school_id == demo.school.id,
                                                     CaseStat.academic_year == last_year))
    assert all(row.case_id is None for row in history)


def test_belonging_in_the_pack_is_the_pulse_suppressed(session):
    """The demo's pulse: the trend runs from the first answered term to now, none to come,
    and the year's latest term shows by statement."""
    from datetime import timedelta

    from reporting.services.demo import build_demo

    demo = build_demo(session, params=factories.FAST, totp_key=factories.TOTP_KEY,
                      enrolment_lifetime=timedelta(hours=1), password=factories.PASSWORD)
    session.commit()
    pack = figures.build(session, demo.school, YEAR)
    assert pack.belonging.terms and all(t.overall.people for t in pack.belonging.terms)
    assert pack.belonging_term is not None and pack.belonging_term.by_item
    assert all(f.share_shown.endswith("%") for f in pack.belonging.trend)
    empty = figures.build(session, factories.make_school(session, slug="southbank"), YEAR)
    assert empty.belonging.terms == [] and empty.belonging_term is None


def test_reports_by_provider_are_in_the_pack_only_for_a_school_with_a_list(session, school):
    from reporting.services import placements

    for _ in range(6):
        factories.make_report(session, school)
    session.commit()
    assert figures.build(session, school, YEAR).by_provider == []
    placements.add_provider(session, "test", school.id, "Airedale NHS Trust")
    session.commit()
    labels = [c.label for c in figures.build(session, school, YEAR).by_provider]
    assert labels == ["Airedale NHS Trust", "Not said"]
