"""Hostile files through the pages: bombs refused with answers kept, downloads safely named."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from reporting.domain.evidence import TEXT
from reporting.domain.roles import Role
from reporting.models import Case, Evidence, Report
from reporting.services.evidence import CleanFile
from tests import bombs, factories
from tests.conftest import post_form
from tests.web.reporting_pages import ANSWERS, STEPS, file_report, post_step, start

BOMBS = [("zeros.png", bombs.png_bomb(), "7,000 by 7,000 pixels"),
         ("big.jpg", bombs.jpeg_claiming(60_000, 60_000), "60,000 by 60,000 pixels"),
         ("big.webp", bombs.webp_claiming(16_384, 16_384), "16,384 by 16,384 pixels"),
         ("moving.webp", bombs.animated("WEBP"), "animated image"),
         ("funny.gif", bombs.gif_claiming(), "is not a PDF, PNG, JPEG, WebP or plain text")]
PAGE = "/s/northfield/your-report"


@pytest.mark.parametrize("name,data,words", BOMBS, ids=[b[0] for b in BOMBS])
def test_a_report_with_an_image_bomb_keeps_its_answers(client, session, school, name, data,
                                                       words):
    """Is a bomb refused on Send with its reason, every answer kept and nothing stored?"""
    answers = {**start(client), **ANSWERS, "chosen_channel": "pastoral"}
    for step in STEPS[:-1]:
        post_step(client, step, answers)
    page = post_step(client, "review", {**answers, "files": [(io.BytesIO(data), name)]},
                     content_type="multipart/form-data")
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and words in body and "choose the files again" in body
    assert ANSWERS["narrative"] in body
    assert session.scalar(select(func.count(Report.id))) == 0


@pytest.mark.parametrize("name,data,words", BOMBS, ids=[b[0] for b in BOMBS])
def test_a_follow_up_upload_refuses_the_same_bombs(client, session, school, name, data, words):
    """Does adding files after sending refuse the same bombs, adding nothing?"""
    submitted = factories.make_report(session, school)
    session.commit()
    assert post_form(client, "/s/northfield/return",
                     {"receipt": submitted.receipt}).status_code == 302
    page = post_form(client, f"{PAGE}/files", {"files": [(io.BytesIO(data), name)]},
                     from_url=PAGE, content_type="multipart/form-data")
    assert page.status_code == 200 and words in page.get_data(as_text=True)
    assert session.scalar(select(func.count(Evidence.id))) == 0


def test_files_sent_with_a_report_take_their_detected_kind_s_name(client, login_as, session,
                                                                  school):
    """Do HTML and SVG sent as evidence reach staff as .txt, and a polyglot PDF not at all?"""
    officer = login_as(Role.PASTORAL_OFFICER)
    file_report(client, chosen_channel="pastoral", files=[
        (io.BytesIO(b"<html><script>alert(1)</script></html>"), "page.html"),
        (io.BytesIO(b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), "a.svg")])
    evidence = session.scalars(select(Evidence)).all()
    case_id = session.scalar(select(Case.id))
    page = officer.get(f"/staff/cases/{case_id}").get_data(as_text=True)
    assert "page.txt" in page and "a.txt" in page and "page.html" not in page
    names = {officer.get(f"/staff/cases/{case_id}/files/{e.id}").headers[
        "Content-Disposition"] for e in evidence}
    assert names == {"attachment; filename=page.txt", "attachment; filename=a.txt"}

    data = {**start(client), **ANSWERS, "chosen_channel": "pastoral"}
    polyglot = b"%PDF-1.4\n<html><script>fetch('/staff/')</script></html>"
    page = post_step(client, "review", {**data, "files": [(io.BytesIO(polyglot), "x.html")]},
                     content_type="multipart/form-data").get_data(as_text=True)
    assert "contains scripts or attached files" in page and ANSWERS["narrative"] in page


@pytest.mark.parametrize("stored,downloaded", [
    ("page.html", "page.txt"), ("logo.svg", "logo.txt"), ("a\u202egpj.exe", "a_gpj.txt"),
    ("..\\..\\boot.ini", "boot.txt")])
def test_a_file_stored_under_an_old_name_downloads_safely(login_as, session, school, stored,
                                                          downloaded):
    """Does a file stored before names were made safe still download as .txt, never inline?"""
    client = login_as(Role.PASTORAL_OFFICER)
    submitted = factories.make_report(session, school, files=(
        CleanFile(stored, TEXT, b"<script>alert(1)</script>"),))
    session.commit()
    evidence = submitted.report.evidence[0]
    response = client.get(f"/staff/cases/{submitted.case.id}/files/{evidence.id}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f"attachment; filename={downloaded}"
    assert response.headers["Content-Type"] == "application/octet-stream"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
