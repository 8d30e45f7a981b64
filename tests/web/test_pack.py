"""The evidence pack's page and PDF: admins only, the PDF audited and CSRF-protected, a
tampered year never a 500."""

from __future__ import annotations

from sqlalchemy import select

from reporting.domain.roles import Role
from reporting.models import AuditEntry
from tests import factories
from tests.conftest import csrf_token, post_form


def test_an_admin_reads_the_pack_and_downloads_it_as_a_pdf(login_as, session, school):
    for _ in range(6):
        factories.make_report(session, school)
    session.commit()
    admin = login_as(Role.ADMIN)
    page = admin.get("/admin/pack")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Evidence pack" in text and "Capacity" in text
    pdf = post_form(admin, "/admin/pack.pdf", {"year": "not-a-year"}, from_url="/admin/pack")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF-") and "attachment" in pdf.headers["Content-Disposition"]
    assert pdf.headers["Cache-Control"] == "no-store"
    [made] = session.scalars(select(AuditEntry).where(AuditEntry.action == "pack.export"))
    assert made.actor == f"staff:{admin.user.id}"


def test_a_tampered_year_shows_the_newest_year(login_as, session, school):
    admin = login_as(Role.ADMIN)
    for year in ("1999/00", "x" * 500, "2026/27'--"):
        assert admin.get("/admin/pack", query_string={"year": year}).status_code == 200


def test_the_pdf_needs_the_form_token(login_as, session, school):
    admin = login_as(Role.ADMIN)
    csrf_token(admin, "/admin/pack")
    refused = admin.post("/admin/pack.pdf", data={"year": "2026/27"})
    assert refused.status_code == 400
    assert session.scalar(select(AuditEntry).where(AuditEntry.action == "pack.export")) is None


def test_a_server_without_pango_says_so_and_keeps_the_page(login_as, session, school,
                                                            monkeypatch):
    """WeasyPrint cannot load Pango: a clear message on the pack page, nothing audited."""
    from reporting.services.pack import pdf

    def no_pango(html, stylesheet):
        raise OSError("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(pdf, "print_pdf", no_pango)
    admin = login_as(Role.ADMIN)
    sent = post_form(admin, "/admin/pack.pdf", {"year": "2026/27"}, from_url="/admin/pack",
                     follow_redirects=True)
    assert sent.status_code == 200 and b"cannot print PDFs yet" in sent.data
    assert session.scalar(select(AuditEntry).where(AuditEntry.action == "pack.export")) is None
