"""The visitors every web test can call on: one signed-in client per role, and every route
built with real values."""

from __future__ import annotations

import pytest

from reporting.domain.evidence import TEXT
from reporting.domain.roles import Role
from reporting.services.evidence import CleanFile
from tests import factories
from tests.conftest import post_form
from tests.mailbox import inline_mail, smtp  # noqa: F401 (fixtures)

ROLES = ["anonymous", "student", "peer", "pastoral", "institutional", "admin",
         "other_school_handler", "other_school_admin", "volunteer"]
STAFF_ROLES = {
    "peer": Role.PEER_SUPPORTER,
    "pastoral": Role.PASTORAL_OFFICER,
    "institutional": Role.INSTITUTIONAL_OFFICER,
    "admin": Role.ADMIN,
    "other_school_handler": Role.PASTORAL_OFFICER,
    "other_school_admin": Role.ADMIN,
    "volunteer": Role.ROLE_MODEL,
}
URL_VALUES = {"slug": "northfield", "token": "not-a-real-token", "filename": "css/belong.css",
              "action": "reply", "handle": "not-a-handle",
              "session_id": 999999, "space_id": 999999, "profile_id": 999999,
              "thread_id": "no-such-thread"}
ENDPOINT_VALUES = {"staff.case_action": {"action": "note"}}
SESSION_ENDING = ("auth.logout", "student.leave", "student.quick_exit")


@pytest.fixture
def clients(app, session, school, login_as):
    """One client per role; the 'other school' roles belong to a second school."""
    other = factories.make_school(session, slug="southbank")
    session.commit()
    made = {"anonymous": app.test_client(), "student": app.test_client()}
    for name, role in STAFF_ROLES.items():
        at = other if name.startswith("other_school") else school
        made[name] = login_as(role, at_school=at, email=f"{name}@test.example")
    # Filed after the staff exist, so this school's pastoral officer holds its key.
    report = factories.make_report(session, school, files=(CleanFile("a.txt", TEXT, b"hi"),))
    session.commit()
    URL_VALUES.update(case_id=report.case.id, evidence_id=report.report.evidence[0].id,
                      staff_id=made["pastoral"].user.id)
    response = post_form(made["student"], "/s/northfield/return", {"receipt": report.receipt})
    assert response.status_code == 302
    return made


@pytest.fixture
def volunteer(session, school):
    """A role-model volunteer of the test school."""
    user = factories.make_staff(session, school, Role.ROLE_MODEL, email="ade@test.example")
    session.commit()
    return user


def routes(app):
    """Every rule as (endpoint, url, method); the ones that end sessions come last."""
    rules = sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint in SESSION_ENDING)
    for rule in rules:
        values = {"case_id": "c", "evidence_id": "e", "staff_id": 0, **URL_VALUES,
                  **ENDPOINT_VALUES.get(rule.endpoint, {})}
        url = rule.build({arg: values[arg] for arg in rule.arguments})[1]
        method = "GET" if "GET" in rule.methods else "POST"
        yield rule.endpoint, url, method
