"""The receipt, the report's own page and the filtered directory suggest sessions to meet
for what the student chose."""

from __future__ import annotations

from reporting.domain.roles import Role
from reporting.services.spaces import sessions
from tests import factories
from tests.conftest import post_form
from tests.services.test_spaces import session_fields
from tests.web.reporting_pages import RECEIPT, post_step, ready_to_send

HEADING = "Spaces to meet people who share your experience"


def publish(session, school):
    """Two sessions and an approved volunteer who shares race."""
    from reporting.services.role_models import profiles
    from tests.services.test_role_models import fields

    admin = factories.make_staff(session, school, Role.ADMIN)
    volunteer = factories.make_staff(session, school, Role.ROLE_MODEL)
    profiles.approve_profile(session, admin, profiles.save_profile(
        session, volunteer, fields("Ade", ("race",))))
    sessions.create_session(session, admin, school,
                            session_fields("Black medics meet-up", ("race",)))
    sessions.create_session(session, admin, school,
                            session_fields("Faith and medicine", ("religion_belief",)))
    session.commit()


def test_the_receipt_and_the_report_page_suggest_sessions_for_its_grounds(
        client, session, school):
    """A report about race: the race session is suggested on the receipt and again when
    the student comes back with it; the faith session is not."""
    publish(session, school)
    data = ready_to_send(client, grounds=["race"])
    receipt_page = post_step(client, "review", data, content_type="multipart/form-data",
                             follow_redirects=True).get_data(as_text=True)
    assert HEADING in receipt_page and "Black medics meet-up" in receipt_page
    assert "People who have been there" in receipt_page and ">Ade</a>" in receipt_page
    assert "Faith and medicine" not in receipt_page
    assert "/s/northfield/spaces?tag=race" in receipt_page
    again = client.application.test_client()  # another day, another browser
    assert post_form(again, "/s/northfield/return",
                     {"receipt": RECEIPT.search(receipt_page).group(1)}).status_code == 302
    page = again.get("/s/northfield/your-report").get_data(as_text=True)
    assert HEADING in page and "Black medics meet-up" in page
    assert "Faith and medicine" not in page


def test_the_directory_suggests_sessions_only_once_the_student_filters(client, session, school):
    publish(session, school)
    assert HEADING not in client.get("/s/northfield/support").get_data(as_text=True)
    page = client.get("/s/northfield/support?tag=religion_belief")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and HEADING in text and "Faith and medicine" in text
    assert "Black medics meet-up" not in text
    assert "Set-Cookie" not in page.headers
