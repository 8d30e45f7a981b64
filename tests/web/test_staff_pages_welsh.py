"""The handler's pages in Welsh: the queue, a case, the settings and what an action says."""

from __future__ import annotations

from markupsafe import escape

from reporting.domain.roles import Role
from tests import factories
from tests.conftest import csrf_token
from tests.web.test_casework import VERSION
from tests.web.welsh import cy


def test_the_queue_case_and_settings_pages_speak_welsh(login_as, session, school):
    client = login_as(Role.PASTORAL_OFFICER)
    case = factories.make_report(session, school, narrative="The words they used.").case
    session.commit()

    queue = client.get("/staff/?lang=cy")
    assert queue.status_code == 200
    page = queue.get_data(as_text=True)
    assert "<h1>Ciw achosion</h1>" in page and "1 achos, " in page
    assert "Case queue" not in page and "Download these cases as CSV" not in page
    for status in ("Submitted", "In progress", "Resolved"):  # the filter's, not only the rows'
        assert f'value="{status.lower().replace(" ", "_")}">{escape(cy(status))}</option>' in page

    url = f"/staff/cases/{case.id}?lang=cy"
    detail = client.get(url).get_data(as_text=True)
    assert f"Achos {case.reference}, a ddaeth i law" in detail
    assert "Yr hyn a ddywedodd y myfyriwr wrthym" in detail and "The words they used." in detail
    assert "Back to the queue" not in detail and "Conflict of interest" not in detail

    token = csrf_token(client, url)
    done = client.post(f"/staff/cases/{case.id}/acknowledge?lang=cy", follow_redirects=True,
                       data={"csrf_token": token, "version": VERSION.search(detail).group(1)})
    assert str(escape(cy("Done: acknowledge."))) in done.get_data(as_text=True)

    settings = client.get("/staff/settings?lang=cy").get_data(as_text=True)
    assert "<h1>Eich gosodiadau</h1>" in settings and "Un neges e-bost bob tro" in settings


def test_the_english_pages_are_unchanged(login_as, session, school):  # noqa: F811
    client = login_as(Role.PASTORAL_OFFICER)
    case = factories.make_report(session, school).case
    session.commit()
    page = client.get("/staff/").get_data(as_text=True)
    assert "<h1>Case queue</h1>" in page and "1 case, urgent first" in page
    detail = client.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    assert f"Case {case.reference}, received" in detail and "Achos" not in detail
