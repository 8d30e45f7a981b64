"""The admin's routing-rule editor: refuse invalid rules clearly, preview, save, apply."""

from __future__ import annotations

from sqlalchemy import select

from reporting.domain.roles import Role
from reporting.models import AuditEntry, Case, RuleSet
from tests.conftest import post_form
from tests.web.reporting_pages import file_report

PLACEMENT_RULES = (
    "when setting is clinical_placement then institutional because Placement incidents go to "
    "the EDI office here.\notherwise pastoral because Pastoral staff will help.")
EXAMPLE = {"example-safe": "yes", "example-wants": ["support"], "example-urgency": "low",
           "example-setting": "clinical_placement", "example-responsible": "clinician",
           "example-grounds": ["race"], "example-identity": "anonymous"}


def test_an_invalid_rule_set_is_refused_with_every_problem(login_as, session):
    """Does a broken rule set come back unsaved, each problem named by line, text kept?"""
    admin = login_as(Role.ADMIN)
    source = "when wants cake then peer because B.\nwhen wants peer then moon because C."
    response = post_form(admin, "/admin/routing", {"source": source, "action": "save"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Line 1: &#39;cake&#39; is not one of" in page and "Line 2: &#39;moon&#39;" in page
    assert "when wants cake then peer because B." in page
    assert session.scalars(select(RuleSet)).all() == []


def test_preview_shows_the_decision_without_saving(login_as, session):
    """Does Preview run the draft rules on example answers and save nothing?"""
    admin = login_as(Role.ADMIN)
    page = post_form(admin, "/admin/routing", {"source": PLACEMENT_RULES, "action": "preview",
                                               **EXAMPLE}).get_data(as_text=True)
    assert "These rules would suggest: Formal complaints and EDI office" in page
    assert "Placement incidents go to the EDI office here." in page
    assert session.scalars(select(RuleSet)).all() == []


def test_saved_rules_are_versioned_audited_and_route_new_reports(login_as, app, session, school):
    """After saving, is there a new version in force that routes the next report?"""
    admin = login_as(Role.ADMIN)
    for _ in range(2):
        response = post_form(admin, "/admin/routing", {"source": PLACEMENT_RULES,
                                                       "action": "save"})
        assert response.status_code == 302
    assert [r.version for r in session.scalars(select(RuleSet))] == [1, 2]
    assert session.scalar(select(AuditEntry).where(AuditEntry.action == "routing.save"))
    file_report(app.test_client())  # a placement incident that wants support
    case = session.scalar(select(Case))
    assert case.channel.kind == "institutional"
    overview = admin.get("/admin/routing").get_data(as_text=True)
    assert "Version" in overview and "(in force)" in overview
