"""The report form through its pages: steps, kept answers, routing, files, receipt."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import func, select

from reporting import crypto
from reporting.domain.roles import Role
from reporting.models import Case, Evidence, OutboxMessage, Report
from reporting.services.casework import post_staff_message, staff_keys
from reporting.services.notifications import notify_reporter, open_address
from reporting.services.reports import open_receipt, reporter_keys
from tests import factories
from tests.conftest import CSRF
from tests.services.test_reports import private_key
from tests.web.reporting_pages import ANSWERS as BASE
from tests.web.reporting_pages import RECEIPT, STEPS, file_report, post_step, ready_to_send, start

ANSWERS = {**BASE, "chosen_channel": "pastoral"}


def _png_with_gps() -> bytes:
    image = Image.new("RGB", (8, 8), "purple")
    exif = Image.Exif()
    exif[0x010F] = "CanonSecretCamera"  # Make
    exif[0x013B] = "Jane Doe Photographer"  # Artist
    out = io.BytesIO()
    image.save(out, format="PNG", exif=exif)
    return out.getvalue()


def test_a_report_walks_every_step_and_gives_a_receipt(client, session, school):
    """Does the form take five steps, then store one report and show a receipt?"""
    receipt = file_report(client)
    assert session.scalar(select(func.count(Report.id))) == 1
    access = open_receipt(session, school, receipt)
    assert access.report.setting == "clinical_placement"
    assert access.report.chosen("ground") == ["accent_language", "race"]
    assert access.report.occurred_on.isoformat() == "2026-09-01"


def test_back_keeps_every_answer(client, school):
    """Going back a step shows what the student typed, nothing lost?"""
    data = {**start(client), **ANSWERS}
    post_step(client, "safety", data)
    back = post_step(client, "about", {**data, "action": "back"}).get_data(as_text=True)
    assert ANSWERS["narrative"] in back and 'value="clinical_placement" checked' in back


def test_a_failed_check_keeps_the_answers_and_explains(client, school):
    """If one answer is missing, does the step come back with the rest and a clear message?"""
    data = {**start(client), **ANSWERS, "setting": ""}
    page = post_step(client, "what", data).get_data(as_text=True)
    assert "Choose where it happened." in page and ANSWERS["narrative"] in page
    assert 'name="step" value="what"' in page


def test_an_expired_token_keeps_the_answers_and_sends_nothing(client, session, school):
    """With a stale CSRF token, is the step shown again with everything typed, nothing sent?"""
    data = {**start(client), **ANSWERS, "csrf_token": "stale"}
    response = post_step(client, "review", data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "please press the button again" in page
    assert ANSWERS["narrative"] in page
    assert session.scalar(select(func.count(Report.id))) == 0


def test_not_safe_shows_emergency_routes_first(client, school):
    """After 'I am not safe', do 999, NHS 111, Samaritans and the school line come first?"""
    data = {**start(client), **ANSWERS, "safe": "no"}
    page = post_step(client, "safety", data).get_data(as_text=True)
    main = page[page.find("<main"):]
    emergency = main.find("If you are in danger, get help now")
    assert 0 <= emergency < main.find("<h1>")
    for route in ("999", "NHS 111", "116 123", "0113 496 0000"):
        assert route in main


def test_review_shows_the_recommendation_with_reasons(client, school):
    """Does the review step name the recommended team and say why, in plain words?"""
    data = {**start(client), **ANSWERS, "wants": ["peer"]}
    page = post_step(client, "wishes", data).get_data(as_text=True)
    assert "Peer support" in page
    assert "You asked to talk to a student who has been through something similar." in page


def test_the_student_can_choose_another_team(client, session, school):
    """Does the student's choice of team win over the recommendation, and is it recorded?"""
    receipt = file_report(client, wants=["peer"], chosen_channel="pastoral")
    report = open_receipt(session, school, receipt).report
    assert (report.recommended_channel, report.chosen_channel) == ("peer", "pastoral")
    assert session.scalar(select(Case)).channel.kind == "pastoral"


def test_not_safe_is_urgent_and_goes_to_safeguarding(client, session, school):
    """Does a 'not safe' report become an urgent institutional case?"""
    file_report(client, safe="no")
    case = session.scalar(select(Case))
    assert case.urgent and case.channel.kind == "institutional"


def test_named_report_keeps_identity_encrypted_and_shares_as_chosen(client, session, school):
    """Are name and contact stored only when named, and sharing recorded per team?"""
    receipt = file_report(client, identity="named", name="Ada Lovelace", contact="a@b.example",
                          share_identity_with=["pastoral"])
    access = open_receipt(session, school, receipt)
    assert not access.report.anonymous and access.report.chosen("share_identity") == [
        "pastoral"]
    names = {f.name for f in access.report.fields}
    assert {"name", "contact"} <= names


def test_named_without_a_name_is_refused_clearly(client, school):
    """Choosing 'give my name' but leaving it empty: a clear message, answers kept?"""
    data = {**start(client), **ANSWERS, "identity": "named"}
    page = post_step(client, "wishes", data).get_data(as_text=True)
    assert "Enter your name, or choose to stay anonymous." in page


@pytest.mark.parametrize("field,value,message", [
    ("occurred_month", "2099-01", "The month must be in the past."),
    ("occurred_month", "March", "Enter the month as year and month"),
    ("narrative", "x" * 10_001, "Keep this under 10,000 characters."),
    ("narrative", "bad\x00byte", "Remove the hidden control characters"),
    ("setting", "the moon", "Not a valid choice"),
])
def test_bad_answers_get_clear_messages(client, school, field, value, message):
    """Are out-of-range, malformed, oversized and invalid answers refused in plain words?"""
    data = {**start(client), **ANSWERS, field: value}
    page = post_step(client, "what", data).get_data(as_text=True)
    assert message in page


def test_evidence_is_checked_by_content_and_photos_lose_their_metadata(client, session, school):
    """Is a real PNG accepted with its EXIF removed, and is the file encrypted?"""
    png = _png_with_gps()
    assert b"CanonSecretCamera" in png
    receipt = file_report(client, files=[(io.BytesIO(png), "ward.png")])
    access = open_receipt(session, school, receipt)
    keys = reporter_keys(session, access.report, access.wrapping_key)
    evidence = session.scalar(select(Evidence))
    data = crypto.unseal(keys.content, evidence.content_sealed, crypto.field_context(
        access.report.id, f"evidence:{evidence.id}"))
    assert data.startswith(b"\x89PNG") and b"CanonSecretCamera" not in data
    assert b"CanonSecretCamera" not in evidence.content_sealed


@pytest.mark.parametrize("name,content,message", [
    ("report.pdf", b"MZ\x90\x00\x03 this is really a program", "is not a PDF, PNG"),
    ("empty.txt", b"", "is empty"),
    ("photo.png", b"\x89PNG\r\n\x1a\n broken", "could not be read as an image"),
])
def test_bad_files_are_refused_and_answers_kept(client, session, school, name, content,
                                                message):
    """Are disguised, empty and broken files refused with the answers still in place?"""
    data = {**start(client), **ANSWERS}
    for step in STEPS[:-1]:
        post_step(client, step, data)
    page = post_step(client, "review", {**data, "files": [(io.BytesIO(content), name)]},
                     content_type="multipart/form-data").get_data(as_text=True)
    assert message in page and "choose the files again" in page
    assert ANSWERS["narrative"] in page
    assert session.scalar(select(func.count(Report.id))) == 0


def test_too_large_a_file_is_refused(client, app, school, session):
    """Is a file over the size limit refused with a message?"""
    app.config["EVIDENCE_MAX_BYTES"] = 1024
    try:
        data = {**start(client), **ANSWERS}
        page = post_step(client, "review", {**data, "files": [(io.BytesIO(b"a" * 2048),
                                                               "notes.txt")]},
                         content_type="multipart/form-data").get_data(as_text=True)
    finally:
        app.config["EVIDENCE_MAX_BYTES"] = 10 * 1024 * 1024
    assert "larger than" in page


def test_sending_twice_files_one_report(app, client, session, school):
    """Does resubmitting the same form (back button, double click, or from a browser whose
    answer was lost) store only one report?"""
    data = {**start(client), **ANSWERS}
    for step in STEPS:
        first = post_step(client, step, data)
    assert first.status_code == 303 and "/s/northfield/receipt/" in first.location
    assert 'id="receipt-code"' in client.get(first.location).get_data(as_text=True)
    again = post_step(client, "review", data)  # its receipt is still waiting: that page
    assert again.status_code == 303 and again.location == first.location
    elsewhere = app.test_client()  # the same send, from a session that knows nothing of it
    lost = post_step(elsewhere, "review", {**data, **start(elsewhere),
                                           "submission_id": data["submission_id"]})
    text = lost.get_data(as_text=True)
    assert lost.status_code == 200 and "receipt-code" not in text
    assert "Your report reached the team, but the page with its receipt did not reach" in text
    assert session.scalar(select(func.count(Report.id))) == 1


def test_a_crash_while_saving_stores_nothing_and_keeps_the_form(client, session, school,
                                                                monkeypatch):
    """If saving fails half-way, is nothing stored and is the review shown with every answer?"""
    from reporting.services import reports

    def explode(*args, **kwargs):
        raise RuntimeError("injected failure after the report row")

    monkeypatch.setattr(reports.audit, "record", explode)
    data = {**start(client), **ANSWERS}
    page = post_step(client, "review", data).get_data(as_text=True)
    assert "nothing was stored" in page and ANSWERS["narrative"] in page
    assert session.scalar(select(func.count(Report.id))) == 0
    assert session.scalar(select(func.count(Case.id))) == 0


def test_receipt_stays_until_the_student_confirms(client, school):
    """Without ticking 'I have saved it', is the receipt shown again with a message?"""
    shown = post_step(client, "review", ready_to_send(client), follow_redirects=True)
    url, page = shown.request.path, shown.get_data(as_text=True)
    receipt = RECEIPT.search(page).group(1)
    token = CSRF.search(page).group(1)
    again = client.post(url, data={"csrf_token": token})
    assert receipt in again.get_data(as_text=True) and "Tick the box" in again.get_data(
        as_text=True)
    done = client.post(url, data={"csrf_token": token, "kept": "y"}, follow_redirects=True)
    assert "What happens next" in done.get_data(as_text=True)
    assert receipt not in done.get_data(as_text=True)


def test_reply_emails_need_a_name_and_an_email_address(client, school):
    """Asking for reply emails while anonymous, or without an email, is explained?"""
    data = {**start(client), **ANSWERS, "notify_me": "y"}
    page = post_step(client, "wishes", data).get_data(as_text=True)
    assert "To get reply emails, give your name and an email address" in page


@pytest.mark.parametrize("contact", ["a@b.example,postmaster", "a@b.example; c@d.example",
                                     "Ada <a@b.example>", "ada@example"])
def test_reply_emails_go_to_exactly_one_address(client, school, contact):
    """Is a contact that is a list, a named address or no address refused for reply emails?"""
    data = {**start(client), **ANSWERS, "identity": "named", "name": "Ada",
            "contact": contact, "notify_me": "y"}
    page = post_step(client, "wishes", data).get_data(as_text=True)
    assert "(one address, like name@example.ac.uk)" in page and 'value="wishes"' in page


def test_opting_in_to_reply_emails_queues_one_when_staff_reply(client, app, session, school):
    """After opting in, does a staff reply queue a 'reply waiting' email to that address only?"""
    officer = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    session.commit()
    receipt = file_report(client, identity="named", name="Ada", contact="ada@example.org",
                          notify_me="y")
    case = session.scalar(select(Case))
    keys = staff_keys(session, officer, private_key(officer), case)
    post_staff_message(session, officer, keys, case, "Hello")
    notify_reporter(session, case.report)
    session.commit()
    row = session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "reply_waiting"))
    assert open_address(app.config, row.address_sealed) == "ada@example.org"
    assert b"ada@example.org" not in row.address_sealed and receipt
