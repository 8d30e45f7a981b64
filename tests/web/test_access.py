"""Deny by default: every registered route, walked with every role."""

from __future__ import annotations

import pytest

from reporting.domain.report import Urgency
from tests import factories
from tests.conftest import csrf_token
from tests.web.conftest import ROLES, STAFF_ROLES, URL_VALUES, routes

HANDLERS = {"peer", "pastoral", "institutional", "other_school_handler"}
ADMINS = {"admin", "other_school_admin"}
VOLUNTEERS = {"volunteer"}  # role models: their own pages and account only, never cases


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def staff_area(allowed: set[str]) -> dict[str, int]:
    """Anonymous and students go to sign-in; staff without the role get 403."""
    return {role: 302 if role in {"anonymous", "student"} else 200 if role in allowed else 403
            for role in ROLES}


EXPECTED: dict[str, dict[str, int]] = {
    "static": everyone(200),
    "health.healthz": everyone(200),
    "student.index": everyone(200),
    "student.home": everyone(200),
    "student.you_said_we_did": everyone(200),
    "student.support": everyone(200),
    "student.support_print": everyone(200),
    "student.return_with_receipt": everyone(200),
    "student.your_report": {**everyone(302), "student": 200},
    "student.report_copy": {**everyone(302), "student": 200},
    "student.own_file": {**everyone(302), "student": 200},
    "student.report_deleted": everyone(302),  # only right after a deletion
    "student.report": everyone(200),
    "student.peer_request": everyone(200),
    # A receipt is shown only to the session that sent it: here, "a receipt is shown once".
    "student.receipt": everyone(200),
    "student.what_next": everyone(302),
    "student.act_on_report": {**everyone(302), "student": 200},
    "student.leave": everyone(303),
    "student.quick_exit": everyone(302),
    "auth.login": {role: 302 if role in STAFF_ROLES else 200 for role in ROLES},
    "auth.second_factor": everyone(302),
    "auth.enrol": everyone(404),
    "auth.logout": everyone(302),
    "auth.forgot_password": everyone(200),
    # Single sign-on is open to anyone, but this school has no provider switched on: no
    # page, no redirect, and no back-channel logout (tests/web/test_sso.py has one on).
    "auth.sso_start": everyone(404),
    "auth.sso_callback": everyone(404),
    "auth.sso_backchannel_logout": everyone(404),
    "staff.queue": staff_area(HANDLERS),
    # Saving the queue's view answers with the queue (302); the metadata CSV is a POST
    # (it writes an audit entry), here with no filters.
    "staff.save_view": {**staff_area(set()), **dict.fromkeys(HANDLERS, 302)},
    "staff.queue_csv": staff_area(HANDLERS),
    # The case belongs to this school's pastoral channel: other handlers are told it is not
    # there (404), as is staff of another school; admins have no handler role (403).
    "staff.case_detail": {**staff_area({"pastoral"}), "peer": 404, "institutional": 404,
                          "other_school_handler": 404},
    "staff.case_action": {**staff_area(set()), "pastoral": 400, "peer": 404,
                          "institutional": 404, "other_school_handler": 404},
    "staff.evidence": {**staff_area({"pastoral"}), "peer": 404, "institutional": 404,
                       "other_school_handler": 404},
    "admin.home": staff_area(ADMINS),
    "admin.routing": staff_area(ADMINS),
    "admin.dashboard_page": staff_area(ADMINS),
    "admin.dashboard_csv": staff_area(ADMINS),
    "admin.pack_page": staff_area(ADMINS),
    "admin.pack_pdf": staff_area(ADMINS),
    "admin.pack_you_said": {**staff_area(ADMINS), "admin": 400, "other_school_admin": 400},
    "admin.grant": {**staff_area(ADMINS), "admin": 400, "other_school_admin": 400},
    # The access log; its CSV export is a POST (it writes an audit entry) with no filters.
    "admin.audit_log": staff_area(ADMINS),
    "admin.audit_export": staff_area(ADMINS),
    # The support directory: an entry is named in the query string (none here, so 404).
    "admin.directory_list": staff_area(ADMINS),
    "admin.directory_new": staff_area(ADMINS),
    "admin.directory_edit": {**staff_area(ADMINS), "admin": 404, "other_school_admin": 404},
    "admin.directory_history": {**staff_area(ADMINS), "admin": 404, "other_school_admin": 404},
    "admin.directory_retire": {**staff_area(ADMINS), "admin": 400, "other_school_admin": 400},
    "admin.directory_past": staff_area(ADMINS),
    # The school's urgent contact: both boxes may be empty (no contact), so an empty POST saves.
    "admin.urgent_contact": {**staff_area(ADMINS), "admin": 302, "other_school_admin": 302},
    # Placement providers: none is named (rename 404); a POST with nothing in it is refused
    # (400), except the threshold, where empty means no alerts (302).
    "admin.placements_list": staff_area(ADMINS),
    "admin.placements_add": {**staff_area(ADMINS), "admin": 400, "other_school_admin": 400},
    "admin.placements_rename": {**staff_area(ADMINS), "admin": 404, "other_school_admin": 404},
    "admin.placements_retire": {**staff_area(ADMINS), "admin": 400, "other_school_admin": 400},
    "admin.placements_threshold": {**staff_area(ADMINS), "admin": 302,
                                   "other_school_admin": 302},
    "admin.placements_export": {**staff_area(ADMINS), "admin": 400, "other_school_admin": 400},
    # Response targets; the holiday forms posted empty are refused (400).
    "admin.response_times": staff_area(ADMINS),
    "admin.holiday_add": {**staff_area(ADMINS), "admin": 400, "other_school_admin": 400},
    "admin.holiday_remove": {**staff_area(ADMINS), "admin": 400, "other_school_admin": 400},
    "staff.settings": staff_area(HANDLERS),
    # Your own account, for every staff role; the session named is nobody's (404): another
    # person's session is refused the same way (tests/web/test_account.py).
    "account.home": staff_area(HANDLERS | ADMINS | VOLUNTEERS),
    "account.password": staff_area(HANDLERS | ADMINS | VOLUNTEERS),
    "account.authenticator": staff_area(HANDLERS | ADMINS | VOLUNTEERS),
    "account.end_session": {**staff_area(set()),
                            **dict.fromkeys(HANDLERS | ADMINS | VOLUNTEERS, 404)},
    # Staff administration: the person is this school's pastoral officer, whom another
    # school's admin is told is not there; the actions posted empty are refused (400).
    "admin.staff_list": staff_area(ADMINS),
    "admin.staff_invite": staff_area(ADMINS),
    "admin.staff_detail": {**staff_area(ADMINS), "other_school_admin": 404},
    "admin.staff_deactivate": {**staff_area(ADMINS), "admin": 400, "other_school_admin": 404},
    "admin.staff_move": {**staff_area(ADMINS), "admin": 400, "other_school_admin": 404},
    "admin.staff_reset": {**staff_area(ADMINS), "admin": 400, "other_school_admin": 404},
    # The school's single sign-on settings (each admin sees their own school's).
    "admin.sso_settings": staff_area(ADMINS),
    # Spaces to meet. Students browse freely; the session named is nobody's (404), and the
    # "I might come" form's own token is not the one posted (so 404 before it is looked at).
    "student.spaces": everyone(200),
    "student.spaces_past": everyone(200),
    "student.space": everyone(404),
    "student.space_calendar": everyone(404),
    "student.space_interest": everyone(404),
    # Organisers: admins, and on the staff pages the leads they name (none here, so 403).
    "admin.spaces": staff_area(ADMINS),
    "admin.spaces_past": staff_area(ADMINS),
    "admin.spaces_new": staff_area(ADMINS),
    "admin.spaces_edit": {**staff_area(ADMINS), "admin": 404, "other_school_admin": 404},
    "admin.spaces_cancel": {**staff_area(ADMINS), "admin": 400, "other_school_admin": 400},
    "admin.spaces_leads": staff_area(ADMINS),
    "admin.spaces_lead_remove": {**staff_area(ADMINS), "admin": 400,
                                 "other_school_admin": 400},
    "staff.spaces": staff_area(set()),
    "staff.spaces_past": staff_area(set()),
    "staff.spaces_new": staff_area(set()),
    "staff.spaces_edit": staff_area(set()),
    "staff.spaces_cancel": staff_area(set()),
    # Belonging over time. The pulse is open; posted without its own signed token it is
    # refused (400). Each admin sees and changes their own school's results and items.
    "student.pulse": everyone(200),
    "student.pulse_answer": everyone(400),
    "admin.pulse": staff_area(ADMINS),
    "admin.pulse_items": staff_area(ADMINS),
    # Role models. Students browse freely; the profile named is nobody's (404) and a
    # conversation needs its receipt first (302 to the receipt page).
    "student.role_models": everyone(200),
    "student.role_model": everyone(404),
    "student.role_model_write": everyone(404),
    "student.role_model_return": everyone(200),
    "student.role_model_thread": everyone(302),
    # A volunteer's own pages; the conversation named is nobody's (404).
    "volunteer.home": staff_area(VOLUNTEERS),
    "volunteer.profile": staff_area(VOLUNTEERS),
    "volunteer.withdraw": {**staff_area(set()), "volunteer": 302},
    "volunteer.conversation": {**staff_area(set()), "volunteer": 404},
    # Admins approve; a decision posted without a profile is refused (400).
    "admin.role_models": staff_area(ADMINS),
    "admin.role_models_approve": {**staff_area(ADMINS), "admin": 400, "other_school_admin": 400},
    "admin.role_models_decline": {**staff_area(ADMINS), "admin": 400, "other_school_admin": 400},
    "admin.role_models_excerpt": {**staff_area(ADMINS), "admin": 400,
                                  "other_school_admin": 400},
}


def test_every_route_has_expectations(app):
    """Is every registered route in the access table? (New routes must be added.)"""
    assert {endpoint for endpoint, _, _ in routes(app)} == set(EXPECTED)


def test_access_matrix(app, clients):
    """Does every role get exactly the expected status on every route?"""
    failures = []
    for endpoint, url, method in routes(app):
        for role in ROLES:
            client = clients[role]
            if method == "GET":
                response = client.get(url)
            else:
                token = csrf_token(client, "/s/northfield/return")
                response = client.post(url, data={"csrf_token": token})
            if response.status_code != EXPECTED[endpoint][role]:
                failures.append(f"{role} {method} {url}: {response.status_code}, "
                                f"expected {EXPECTED[endpoint][role]}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("action", ["declare_conflict", "exclude", "claim", "accept"])
def test_every_case_action_answers_every_role_as_the_route_does(app, clients, action):
    """Do the other case actions (stepping away, keeping a colleague off, claiming,
    accepting) give every role the statuses of the case action route?"""
    url = f"/staff/cases/{URL_VALUES['case_id']}/{action}"
    failures = []
    for role in ROLES:
        token = csrf_token(clients[role], "/s/northfield/return")
        status = clients[role].post(url, data={"csrf_token": token}).status_code
        if status != EXPECTED["staff.case_action"][role]:
            failures.append(f"{role} POST {url}: {status}")
    assert not failures, "\n".join(failures)


def test_other_school_staff_see_nothing_of_this_school(app, session, school, clients):
    """Do another school's handler and admin see none of this school's cases or staff?"""
    factories.make_report(session, school, narrative="x", urgency=Urgency.HIGH)
    session.commit()
    queue = clients["other_school_handler"].get("/staff/").get_data(as_text=True)
    assert "There are no cases in your channels." in queue
    overview = clients["other_school_admin"].get("/admin/").get_data(as_text=True)
    assert ">other_school_admin@test.example<" in overview  # their own staff
    assert ">pastoral@test.example<" not in overview and ">admin@test.example<" not in overview


def test_handlers_see_only_their_channel(app, session, school, clients):
    """Does a peer supporter's queue leave out a pastoral case, and the pastoral queue show it?"""
    factories.make_report(session, school)  # routed to pastoral
    session.commit()
    assert "There are no cases in your channels." in clients["peer"].get("/staff/").get_data(
        as_text=True)
    assert "Routine" in clients["pastoral"].get("/staff/").get_data(as_text=True)


def test_student_receipt_session_is_scoped_to_its_school(app, session, school, clients):
    """Can a receipt holder of one school see a 'your report' page at another? No."""
    factories.make_school(session, slug="eastgate")
    session.commit()
    response = clients["student"].get("/s/eastgate/your-report")
    assert response.status_code == 302 and "/s/eastgate/return" in response.location
