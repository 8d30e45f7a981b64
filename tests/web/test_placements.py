"""Placement providers through the test client: the admin's page, the report form's
optional question, the review step, the handler's page, and the guardian's export."""

from __future__ import annotations

from sqlalchemy import select

from reporting.domain.roles import Role
from reporting.models import AuditEntry, Case, PlacementProvider, Report
from reporting.services import placements
from tests import factories
from tests.conftest import post_form
from tests.web.reporting_pages import ANSWERS, STEPS, file_report, post_step, ready_to_send, start


def _provider(session, school, name: str = "Leeds Teaching Hospitals") -> PlacementProvider:
    provider = placements.add_provider(session, "test", school.id, name)
    session.commit()
    return provider


def test_an_admin_adds_renames_retires_and_sets_the_threshold(login_as, session, school):
    """Can an admin keep the list and the threshold through the page, each audited?"""
    admin = login_as(Role.ADMIN)
    assert post_form(admin, "/admin/placements/add", {"name": "Airedale NHS Trust"},
                     from_url="/admin/placements").status_code == 302
    provider = session.scalar(select(PlacementProvider))
    assert "Airedale NHS Trust" in admin.get("/admin/placements").get_data(as_text=True)
    url = f"/admin/placements/rename?provider={provider.id}"
    assert post_form(admin, url, {"name": "Airedale General"}).status_code == 302
    assert post_form(admin, "/admin/placements/retire", {"provider": provider.id},
                     from_url="/admin/placements").status_code == 302
    assert post_form(admin, "/admin/placements/threshold", {"threshold": "6"},
                     from_url="/admin/placements").status_code == 302
    session.expire_all()
    assert provider.name == "Airedale General" and provider.retired_at is not None
    assert placements.threshold_of(session, school.id) == 6
    actions = session.scalars(select(AuditEntry.action).where(
        AuditEntry.action.like("placement.%")).order_by(AuditEntry.seq)).all()
    assert actions == ["placement.add", "placement.rename", "placement.retire",
                       "placement.threshold"]


def test_bad_input_gets_a_message_never_a_500(login_as, session, school):
    """Is a blank name, a taken one, a threshold of 2 or of "lots" refused with words?"""
    admin = login_as(Role.ADMIN)
    _provider(session, school, "St James's")
    for url, data, words in (
            ("/admin/placements/add", {"name": ""}, "Enter the provider&#39;s name."),
            ("/admin/placements/add", {"name": "st james's"}, "already has a provider"),
            ("/admin/placements/threshold", {"threshold": "2"}, "from 5 to 1000"),
            ("/admin/placements/threshold", {"threshold": "lots"}, "whole number")):
        response = post_form(admin, url, data, from_url="/admin/placements")
        assert response.status_code == 400 and words in response.get_data(as_text=True)


def test_another_schools_admin_cannot_touch_or_export_this_schools_provider(
        login_as, session, school):
    """Does another school's admin get 404 for this school's provider, and export nothing?"""
    provider = _provider(session, school)
    other = factories.make_school(session, "southgate")
    session.commit()
    stranger = login_as(Role.ADMIN, at_school=other)
    assert stranger.get(f"/admin/placements/rename?provider={provider.id}").status_code == 404
    assert post_form(stranger, "/admin/placements/retire", {"provider": provider.id},
                     from_url="/admin/placements").status_code == 404
    response = post_form(stranger, "/admin/placements/export",
                         {"provider": provider.id, "year": "2026/27"},
                         from_url="/admin/placements")
    assert response.status_code == 400 and "Leeds" not in response.get_data(as_text=True)
    session.expire_all()
    assert provider.retired_at is None


def test_the_guardian_export_is_suppressed_and_audited(login_as, session, school):
    """Does a provider's CSV say "fewer than 5" for 2 reports, and is the export audited?"""
    provider = _provider(session, school)
    for _ in range(2):
        factories.make_report(session, school, provider_id=provider.id)
    session.commit()
    admin = login_as(Role.ADMIN)
    year = admin.get("/admin/placements").get_data(as_text=True)
    chosen = year.split('name="year"')[1].split('value="')[1].split('"')[0]
    response = post_form(admin, "/admin/placements/export",
                         {"provider": provider.id, "year": chosen},
                         from_url="/admin/placements")
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "fewer than 5" in text and ",2\r" not in text
    assert session.scalar(select(AuditEntry.target).where(
        AuditEntry.action == "placement.export")) == f"placement_provider:{provider.id}"


def test_the_dashboard_shows_reports_by_provider_suppressed(login_as, session, school):
    """Does the dashboard draw the provider chart, hiding a count under 5?"""
    provider = _provider(session, school)
    factories.make_report(session, school, provider_id=provider.id)
    session.commit()
    page = login_as(Role.ADMIN).get("/admin/dashboard").get_data(as_text=True)
    assert "Clinical-placement reports by provider" in page
    chart = page[page.find('id="by-provider-caption"'):]
    assert "Leeds Teaching Hospitals" in chart and "fewer than 5" in chart


def test_the_form_asks_which_provider_only_with_a_list(client, session, school):
    """With no providers the question is not asked; with one, it is, with "I'd rather not
    say" chosen by default."""
    data = {**start(client), **ANSWERS}
    page = post_step(client, "safety", data).get_data(as_text=True)
    assert "Which placement provider" not in page
    _provider(session, school)
    page = post_step(client, "safety", data).get_data(as_text=True)
    assert "Which placement provider was it?" in page
    assert 'name="provider" value="" checked' in page


def test_the_provider_is_carried_shown_on_review_stored_and_told_to_the_handler(
        client, login_as, session, school):
    """Is the chosen provider kept through the steps, named on the review, stored as the
    report's metadata and shown to the handler in plain words?"""
    provider = _provider(session, school)
    handler = login_as(Role.PASTORAL_OFFICER)  # before the report: its keys are wrapped for them
    data = ready_to_send(client, provider=str(provider.id), chosen_channel="pastoral")
    review = post_step(client, "wishes", data).get_data(as_text=True)
    assert "Clinical placement (Leeds Teaching Hospitals)" in review
    back = post_step(client, "about", {**data, "action": "back"}).get_data(as_text=True)
    assert f'name="provider" value="{provider.id}" checked' in back
    file_report(client, provider=str(provider.id), chosen_channel="pastoral")
    report = session.scalar(select(Report))
    assert report.provider_id == provider.id
    case = session.scalar(select(Case))
    page = handler.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    assert "Which placement provider was it?" in page and "Leeds Teaching Hospitals" in page


def test_a_tampered_provider_gets_a_clear_message(client, session, school):
    """Is another school's provider, a retired one or nonsense refused with words, on the
    step that asks it, every other answer kept?"""
    provider = _provider(session, school)
    other = factories.make_school(session, "southgate")
    theirs = placements.add_provider(session, "test", other.id, "Their trust")
    retired = placements.retire_provider(
        session, "test", placements.add_provider(session, "test", school.id, "Closed"))
    session.commit()
    for wanted in (str(theirs.id), str(retired.id), "nonsense", "9" * 30):
        data = {**start(client), **ANSWERS, "provider": wanted}
        response = post_step(client, "about", data)
        page = response.get_data(as_text=True)
        assert response.status_code == 200, wanted
        assert "not on your school" in page and 'name="step" value="what"' in page
        assert ANSWERS["narrative"] in page
    assert session.scalar(select(Report)) is None
    assert provider.id


def test_a_provider_retired_while_the_student_writes_is_refused_when_sent(
        client, session, school):
    """Retired between the review and Send: is the student shown the question again?"""
    provider = _provider(session, school)
    data = ready_to_send(client, provider=str(provider.id))
    placements.retire_provider(session, "test", provider)
    session.commit()
    response = post_step(client, "review", data, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "not on your school" in page
    assert session.scalar(select(Report)) is None
    assert STEPS[1] == "what" and 'name="step" value="what"' in page


def test_no_placement_figure_shows_a_count_under_five(login_as, session, school):
    """Walking the dashboard and the placement page over providers with 1 to 4 reports: is
    every marked figure suppressed, and every bare number in a table cell marked?"""
    from tests.web.test_admin_figures import FIGURE, WORDS, Figures

    for count, name in ((1, "One"), (3, "Three"), (6, "Six")):
        provider = _provider(session, school, name)
        for _ in range(count):
            factories.make_report(session, school, provider_id=provider.id)
    session.commit()
    admin = login_as(Role.ADMIN)
    for url in ("/admin/dashboard", "/admin/placements"):
        parser = Figures()
        parser.feed(admin.get(url).get_data(as_text=True))
        for figure in parser.figures:
            match = FIGURE.fullmatch(figure)
            assert match or figure in WORDS, (url, figure)
            if match and match["count"]:
                assert not 0 < int(figure) < 5, (url, figure)
        assert not [c for c in parser.unmarked_cells if c.isdigit()], url
