"""Placement providers: the school's list, reports naming one, the suppressed breakdown by
provider, and the content-free rising-pattern alert (sent once per pattern per term)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from reporting.domain import disclosure
from reporting.domain.placements import ALERT_SUBJECTS, InvalidProvider, ProviderNotFound
from reporting.domain.report import Ground, Setting
from reporting.domain.roles import Role
from reporting.models import AuditEntry, CaseStat, OutboxMessage, PatternAlert
from reporting.models.base import utcnow
from reporting.services import placements
from reporting.services.delivery import send_due
from reporting.services.notifications import next_digest
from reporting.services.placements import alerts, figures
from reporting.services.stats import academic_year
from tests.factories import make_report, make_school, make_staff

YEAR = academic_year(utcnow())


def _actions(session, school) -> list[str]:
    return list(session.scalars(select(AuditEntry.action).where(
        AuditEntry.chain == f"school:{school.id}").order_by(AuditEntry.seq)))


def test_an_admin_adds_renames_and_retires_a_provider_each_audited(session, school, admin):
    """Can an admin keep the list, every change audited by id only, a retired one kept?"""
    trust = placements.add_provider(session, admin, school.id, "  Leeds   Teaching Hospitals ")
    placements.rename_provider(session, admin, trust, "Leeds Teaching Hospitals NHS Trust")
    placements.retire_provider(session, admin, trust)
    session.commit()
    assert trust.name == "Leeds Teaching Hospitals NHS Trust" and trust.retired_at
    assert placements.school_providers(session, school.id) == [trust]
    assert placements.school_providers(session, school.id, current=True) == []
    assert _actions(session, school)[-3:] == ["placement.add", "placement.rename",
                                              "placement.retire"]
    details = session.scalars(select(AuditEntry.detail).where(
        AuditEntry.action.like("placement.%"))).all()
    assert not any("Leeds" in detail for detail in details)


def test_a_blank_or_taken_name_is_refused(session, school, admin):
    """Is a blank name, or one the list has already (in any case), refused by field?"""
    placements.add_provider(session, admin, school.id, "St James's")
    with pytest.raises(InvalidProvider) as blank:
        placements.add_provider(session, admin, school.id, "   ")
    with pytest.raises(InvalidProvider) as taken:
        placements.add_provider(session, admin, school.id, "ST JAMES'S")
    assert set(blank.value.problems) == set(taken.value.problems) == {"name"}


def test_another_schools_admin_and_a_handler_are_refused(session, school, admin):
    """Can another school's admin, or a handler of this one, change this school's list?"""
    other = make_school(session, "southgate")
    stranger = make_staff(session, other, Role.ADMIN)
    officer = make_staff(session, school, Role.PASTORAL_OFFICER)
    trust = placements.add_provider(session, admin, school.id, "Airedale")
    for actor in (stranger, officer):
        with pytest.raises(ProviderNotFound):
            placements.add_provider(session, actor, school.id, "Harrogate")
        with pytest.raises(ProviderNotFound):
            placements.rename_provider(session, actor, trust, "Renamed")
        with pytest.raises(ProviderNotFound):
            placements.retire_provider(session, actor, trust)
        with pytest.raises(ProviderNotFound):
            placements.set_threshold(session, actor, school.id, 5)
    with pytest.raises(ProviderNotFound):
        placements.find_provider(session, other.id, trust.id)


def test_a_report_names_a_provider_as_metadata(session, school, admin):
    """Is the provider stored on the report and its statistics, and only for a placement?"""
    trust = placements.add_provider(session, admin, school.id, "Bradford Royal Infirmary")
    named = make_report(session, school, provider_id=trust.id)
    elsewhere = make_report(session, school, provider_id=trust.id, setting=Setting.ONLINE)
    session.commit()
    assert named.report.provider_id == trust.id and elsewhere.report.provider_id is None
    stats = dict(session.execute(select(CaseStat.case_id, CaseStat.provider_id)).all())
    assert stats == {named.case.id: trust.id, elsewhere.case.id: None}


@pytest.mark.parametrize("which", ["another school's", "retired", "nonsense"])
def test_a_tampered_provider_is_refused(session, school, admin, which):
    """Is a provider of another school, a retired one or a made-up id refused, storing
    nothing?"""
    other = make_school(session, "southgate")
    theirs = placements.add_provider(session, "test", other.id, "Their trust")
    retired = placements.retire_provider(
        session, admin, placements.add_provider(session, admin, school.id, "Old trust"))
    wanted = {"another school's": theirs.id, "retired": retired.id,
              "nonsense": 2**40}[which]
    with pytest.raises(ProviderNotFound):
        make_report(session, school, provider_id=wanted)


def _reports(session, school, provider, count, **answers):
    for _ in range(count):
        make_report(session, school, provider_id=provider.id if provider else None, **answers)


def test_the_breakdown_hides_counts_under_5_and_the_figure_that_gives_one_back(
        session, school, admin):
    """With 6 reports about one provider and 2 about another: is the 2 shown as "fewer than
    5", and the 6 hidden too (the placement total would give the 2 back)?"""
    big = placements.add_provider(session, admin, school.id, "Big trust")
    small = placements.add_provider(session, admin, school.id, "Small practice")
    _reports(session, school, big, 6)
    _reports(session, school, small, 2)
    session.commit()
    cells = {c.label: c for c in figures.by_provider(session, school.id, YEAR)}
    assert cells["Small practice"].shown == disclosure.FEWER
    assert cells["Big trust"].shown == disclosure.PROTECTED
    assert cells["Not said"].shown == "0"
    assert all(c.rate is None for c in cells.values())


def test_the_breakdown_shows_counts_of_5_and_more_and_withholds_rates_under_8(
        session, school, admin):
    """With 9 and 6 reports: are both counts shown, and each share within target withheld
    while fewer than 8 cases were acknowledged?"""
    big = placements.add_provider(session, admin, school.id, "Big trust")
    other = placements.add_provider(session, admin, school.id, "Other trust")
    _reports(session, school, big, 9)
    _reports(session, school, other, 6)
    session.commit()
    cells = {c.label: c for c in figures.by_provider(session, school.id, YEAR)}
    assert (cells["Big trust"].shown, cells["Other trust"].shown) == ("9", "6")
    assert cells["Big trust"].rate_shown == disclosure.withheld("cases acknowledged")
    guardian = figures.for_provider(session, big, YEAR)
    assert guardian.reports == "9"
    assert dict(guardian.by_ground)["Race, ethnicity or nationality"] == "9"
    assert dict(guardian.by_ground)["Age"] == "0"
    rows = figures.csv_rows(guardian)
    assert ["summary", f"Big trust, {YEAR}", "9"] in rows
    assert "Other trust" not in str(rows)


def test_a_guardian_export_of_a_hidden_count_shows_no_grounds(session, school, admin):
    """Does a provider with 3 reports export "fewer than 5" and no count by ground?"""
    small = placements.add_provider(session, admin, school.id, "Small practice")
    _reports(session, school, small, 3)
    session.commit()
    guardian = figures.for_provider(session, small, YEAR)
    assert guardian.reports == disclosure.FEWER
    assert {shown for _, shown in guardian.by_ground} == {disclosure.HIDDEN_SHARE}


def test_the_alert_goes_once_per_pattern_per_term_and_says_nothing(
        app, session, school, admin, smtp, mailer):
    """When a term's reports about one provider reach the threshold: do the admins get one
    email per risen pattern, naming no provider, setting, ground or count, and only once?"""
    other = make_school(session, "southgate")
    stranger = make_staff(session, other, Role.ADMIN, email="admin@southgate.example")
    trust = placements.add_provider(session, admin, school.id, "Calderdale Royal Hospital")
    placements.set_threshold(session, admin, school.id, 5)
    _reports(session, school, trust, 4)
    assert session.scalars(select(PatternAlert)).all() == []
    _reports(session, school, trust, 1)  # the fifth: submitting checks the patterns
    session.commit()
    patterns = sorted(session.scalars(select(PatternAlert.pattern)))
    assert patterns == sorted([f"provider:{trust.id}", "setting:clinical_placement",
                               "ground:race"])
    _reports(session, school, trust, 3)  # past it again: no second alert this term
    assert alerts.check_patterns(session, school, utcnow()) == []
    assert alerts.check_all(session, utcnow()) == 0
    session.commit()
    assert send_due(session, app.config, mailer, next_digest(utcnow())) >= 3
    mine = smtp.to(admin.email)
    assert sorted(m["Subject"] for m in mine) == sorted(ALERT_SUBJECTS.values())
    for message in mine:
        body = message.get_content()
        for secret in ("Calderdale", "clinical", "placement provider:", "Race", "race",
                       str(trust.id) + " ", "5", "8"):
            assert secret not in body.replace(app.config["BASE_URL"], "")
    assert smtp.to(stranger.email) == []
    assert "placement.alert" in _actions(session, school)


def test_no_threshold_no_alert(session, school, admin):
    """With no threshold set, does any number of reports send nothing?"""
    _reports(session, school, None, 6, grounds=frozenset({Ground.AGE}))
    session.commit()
    assert alerts.check_patterns(session, school, utcnow()) == []
    assert session.scalars(select(OutboxMessage).where(
        OutboxMessage.kind == "pattern_alert")).all() == []


def test_a_threshold_outside_5_to_1000_is_refused(session, school, admin):
    """Is a threshold that could point at one student (under 5) refused?"""
    with pytest.raises(InvalidProvider):
        placements.set_threshold(session, admin, school.id, 2)
    placements.set_threshold(session, admin, school.id, None)
    assert placements.threshold_of(session, school.id) is None


def test_the_demo_shows_every_provider_unsuppressed(session):
    """Does the demo give a newcomer reports by provider with no count or share hidden?"""
    from datetime import timedelta

    from reporting.services.demo import build_demo
    from tests import factories

    demo = build_demo(session, params=factories.FAST, totp_key=factories.TOTP_KEY,
                      enrolment_lifetime=timedelta(hours=1), password=factories.PASSWORD)
    session.commit()
    cells = figures.by_provider(session, demo.school.id, YEAR)
    shown = [c for c in cells if c.count]
    assert len(shown) == 4 and not any(c.hidden for c in shown)
    assert all(c.rate is not None for c in shown if c.key != "not_said" and c.count >= 8)
    assert placements.threshold_of(session, demo.school.id) == 12


@pytest.mark.postgres_only
def test_two_checks_at_once_send_each_alert_once(engine, session, school, admin):
    """If the job and a submission check the patterns at the same moment, does each risen
    pattern still get one alert and one email per admin, never two?"""
    import threading

    from sqlalchemy.orm import Session as OwnSession

    from reporting.models import School

    trust = placements.add_provider(session, admin, school.id, "Pinderfields")
    _reports(session, school, trust, 5)
    placements.set_threshold(session, admin, school.id, 5)  # after: nothing alerted yet
    session.commit()
    queued: list[int] = []

    def check(hold: threading.Event | None, go: threading.Event | None) -> None:
        with OwnSession(engine) as own:
            sent = alerts.check_patterns(own, own.get(School, school.id), utcnow())
            if hold:  # keep the alert rows uncommitted while the other check runs
                hold.set()
                go.wait(5)
            own.commit()
            queued.append(len(sent))

    holding, release = threading.Event(), threading.Event()
    first = threading.Thread(target=check, args=(holding, release))
    first.start()
    assert holding.wait(5)
    second = threading.Thread(target=check, args=(None, None))
    second.start()
    second.join(0.3)
    release.set()
    first.join(5)
    second.join(5)
    assert sorted(queued) == [0, 3]
    assert len(session.scalars(select(PatternAlert)).all()) == 3
    assert len(session.scalars(select(OutboxMessage).where(
        OutboxMessage.kind == "pattern_alert")).all()) == 3


def test_a_guardian_cannot_subtract_a_hidden_ground_from_the_total(session, school, admin):
    """Six reports, five about race and one about sex: with the total shown, "fewer than 5"
    for sex alone would be 6 - 5 = 1, so race is hidden too."""
    trust = placements.add_provider(session, admin, school.id, "Airedale NHS Trust")
    _reports(session, school, trust, 5, grounds=frozenset({Ground.RACE}))
    _reports(session, school, trust, 1, grounds=frozenset({Ground.SEX}))
    _reports(session, school, None, 5)
    session.commit()
    guardian = figures.for_provider(session, trust, YEAR)
    grounds = dict(guardian.by_ground)
    assert guardian.reports == "6"
    assert grounds["Sex"] == disclosure.FEWER
    assert grounds["Race, ethnicity or nationality"] == disclosure.PROTECTED
