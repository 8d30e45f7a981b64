"""A case's short reference: in the queue, on the case page and in the access log, never
on a student's page; the log finds a case by it."""

from __future__ import annotations

from reporting.domain.roles import Role
from reporting.services import audit
from tests import factories
from tests.conftest import post_form

LOG = "/admin/audit"


def test_the_queue_and_the_case_page_show_the_reference(login_as, session, school):
    """Does a handler see the case's reference in their queue and on its page, with the
    page's address still the case id?"""
    officer = login_as(Role.PASTORAL_OFFICER)
    case = factories.make_report(session, school).case
    session.commit()
    queue = officer.get("/staff/").get_data(as_text=True)
    assert f'<th scope="row" class="case-reference">{case.reference}</th>' in queue
    assert f'href="/staff/cases/{case.id}"' in queue
    page = officer.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    assert f"<h1>Case {case.reference}, received" in page
    assert f'<dt>Reference</dt><dd class="case-reference">{case.reference}</dd>' in page


def test_the_access_log_names_cases_by_reference_and_finds_them_by_it(login_as, session,
                                                                       school):
    """Does the log say "Case NF-7K3Q", and does typing a reference (any case, no dash)
    show that case's entries only?"""
    admin = login_as(Role.ADMIN)
    first = factories.make_report(session, school).case
    second = factories.make_report(session, school).case
    audit.record(session, audit.school_chain(school.id), f"staff:{admin.user.id}",
                 "case.legal_hold", f"case:{first.id}")
    session.commit()
    page = admin.get(LOG).get_data(as_text=True)
    assert f"Case {first.reference}" in page and f"Case {second.reference}" in page
    for typed in (first.reference, first.reference.lower().replace("-", "")):
        found = admin.get(f"{LOG}?case={typed}").get_data(as_text=True)
        assert found.count("<tr>") - 1 == 2  # submitted, and the legal hold
        assert f"Case {second.reference}" not in found
        assert f'value="{first.reference}"' in found  # the filter, as the log shows it
    by_id = admin.get(f"{LOG}?case={first.id}").get_data(as_text=True)
    assert by_id.count("<tr>") - 1 == 2


def test_an_unknown_reference_finds_nothing_and_a_malformed_one_is_refused(login_as,
                                                                           session, school):
    """Does a well-formed reference of no case here match nothing, and a look-alike (0, O,
    1, I, L) get a clear message?"""
    admin = login_as(Role.ADMIN)
    factories.make_report(session, school)
    session.commit()
    taken = session.scalars(select_references(school.id)).all()
    unused = next(r for r in ("ZZ-ZZZZ", "YY-YYYY") if r not in taken)
    assert "No entries match these filters." in admin.get(f"{LOG}?case={unused}").get_data(
        as_text=True)
    refused = admin.get(f"{LOG}?case=NO-1LI0")
    assert refused.status_code == 400
    assert "for example NF-7K3Q" in refused.get_data(as_text=True)


def test_a_student_never_sees_the_reference(client, session, school):
    """Are the student's own report page and its copy free of the case's reference (their
    receipt is how they name their report: docs/threat-model.md)?"""
    sent = factories.make_report(session, school)
    session.commit()
    assert post_form(client, f"/s/{school.slug}/return",
                     {"receipt": sent.receipt}).status_code == 302
    for path in ("your-report", "your-report/copy"):
        response = client.get(f"/s/{school.slug}/{path}")
        assert response.status_code == 200
        assert sent.case.reference not in response.get_data(as_text=True)


def select_references(school_id: int):
    """The references of a school's cases."""
    from sqlalchemy import select

    from reporting.models import Case
    return select(Case.reference).where(Case.school_id == school_id)
