"""A student's emails are in the language they made their report in (issue 15, point 5).

The report keeps its page's language; the "a reply is waiting" email queued for the student
carries it, and is written in it whoever sends it: a handler's request in English, the RQ
worker or the timer in an app context with no request at all. Staff emails stay in English.
Every email goes through a real SMTP server (aiosmtpd), and none holds any content.
"""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from flask_babel import force_locale, gettext
from sqlalchemy import select

from reporting.domain.roles import Role
from reporting.extensions import db
from reporting.mail import Mailer
from reporting.models import Case, OutboxMessage, Report
from reporting.models.base import utcnow
from reporting.services.delivery import REPLY_BODY, REPLY_SUBJECT, send_due
from reporting.services.notifications import notify_reporter, seal_address
from tests.factories import make_report, make_staff
from tests.mailbox import inline_mail, smtp_config  # noqa: F401 (fixture)
from tests.web.reporting_pages import file_report
from tests.web.test_casework import _act

NARRATIVE = "The registrar mocked my accent in front of the whole firm on Tuesday."
NAME = "Ada Lovelace"
STUDENT = "ada@example.org"
ENGLISH_SUBJECT = "A reply is waiting for you in Belong"


class WelshClient(FlaskClient):
    """A browser that chose Cymraeg: every address it opens carries ?lang=cy, as the
    language link and every url_for after it do."""

    def open(self, *args, **kwargs):
        if args and isinstance(args[0], str) and "?" not in args[0] \
                and "query_string" not in kwargs:
            kwargs["query_string"] = {"lang": "cy"}
        return super().open(*args, **kwargs)


def welsh_reply(app) -> tuple[str, str]:
    """The reply notice's subject and first line, as the Welsh catalogue has them."""
    with app.test_request_context(), force_locale("cy"):
        return str(REPLY_SUBJECT), (REPLY_BODY % {"link": "LINK"}).splitlines()[2]


def assert_content_free(message, *secrets: str) -> None:
    raw = message.as_string()
    body = message.get_content()
    assert all(secret not in raw and secret not in body for secret in secrets)


def test_the_welsh_catalogue_has_the_reply_notice(app):
    subject, first = welsh_reply(app)
    with app.test_request_context(), force_locale("cy"):
        assert subject == gettext(ENGLISH_SUBJECT) != ENGLISH_SUBJECT
    assert "ateb" in subject and "Belong" in subject and "ateb" in first


def test_a_report_made_in_welsh_gets_its_reply_notice_in_welsh(
        app, session, school, login_as, inline_mail):  # noqa: F811
    """Sent from the Welsh pages, replied to from the English staff pages: the notice is in
    Welsh (subject and body), names nothing, and the handlers' own emails stay English."""
    officer = login_as(Role.PASTORAL_OFFICER)
    student = WelshClient(app, app.response_class, use_cookies=True)
    receipt = file_report(student, identity="named", name=NAME, contact=STUDENT, notify_me="y",
                          narrative=NARRATIVE)
    report = session.scalar(select(Report))
    assert receipt and report.language == "cy"

    to_staff = inline_mail.to(officer.user.email)  # queued and sent from the Welsh request
    assert to_staff and all(m["Subject"].endswith("in your Belong queue needs attention")
                            and m.get_content().startswith("Hello,") for m in to_staff)

    case = session.scalar(select(Case))
    assert _act(officer, case, "acknowledge").status_code == 302
    assert _act(officer, case, "message", {"text": "We hear you."}).status_code == 302
    (notice,) = inline_mail.to(STUDENT)
    subject, first = welsh_reply(app)
    assert notice["Subject"] == subject != ENGLISH_SUBJECT
    body = notice.get_content()
    assert body.startswith("Helo,") and first in body and "derbynneb" in body
    assert f"{app.config['BASE_URL']}/s/{school.slug}/return" in body
    assert "Hello" not in body and "receipt" not in body
    assert_content_free(notice, NARRATIVE, NAME, "We hear you.", report.id, case.reference)


def test_a_report_made_in_english_gets_its_reply_notice_in_english(
        app, session, school, login_as, inline_mail):  # noqa: F811
    """The same journey in English: the notice is in English, and names nothing."""
    officer = login_as(Role.PASTORAL_OFFICER)
    file_report(app.test_client(), identity="named", name=NAME, contact=STUDENT,
                notify_me="y", narrative=NARRATIVE)
    report = session.scalar(select(Report))
    assert report.language == "en"

    case = session.scalar(select(Case))
    assert _act(officer, case, "acknowledge").status_code == 302
    assert _act(officer, case, "message", {"text": "We hear you."}).status_code == 302
    (notice,) = inline_mail.to(STUDENT)
    assert notice["Subject"] == ENGLISH_SUBJECT
    body = notice.get_content()
    assert body.startswith("Hello,") and "receipt" in body and "Helo" not in body
    assert_content_free(notice, NARRATIVE, NAME, "We hear you.", report.id, case.reference)


@pytest.mark.parametrize("language", ["cy", "en"])
def test_the_worker_writes_the_notice_in_the_reports_language(
        app, session, school, smtp, language):
    """As the RQ worker and the timer send it: an app context, no request, no page
    language. The queued row carries the report's language; the email is written in it."""
    report = make_report(session, school, narrative=NARRATIVE, identity={"name": NAME},
                         language=language).report
    report.notify_email_sealed = seal_address(app.config, STUDENT)
    notify_reporter(session, report)
    session.commit()
    row = session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "reply_waiting"))
    assert row.language == language

    with app.app_context():  # what reporting.jobs.deliver_notifications runs in
        assert send_due(db.session, app.config, Mailer(smtp_config(smtp.port)),
                        utcnow()) == 1
        db.session.remove()
    (notice,) = smtp.to(STUDENT)
    subject, first = welsh_reply(app)
    if language == "cy":
        assert notice["Subject"] == subject and first in notice.get_content()
    else:
        assert notice["Subject"] == ENGLISH_SUBJECT
        assert notice.get_content().startswith("Hello,")
    assert_content_free(notice, NARRATIVE, NAME, report.id)


def test_staff_emails_stay_english_when_sent_from_a_welsh_page(app, session, school, smtp):
    """A handler's email queued by a Welsh report and sent inside a Welsh request is in
    English all the same (staff emails are written in the default language)."""
    officer = make_staff(session, school, Role.PASTORAL_OFFICER)
    make_report(session, school, narrative=NARRATIVE, language="cy")
    session.commit()
    with app.test_request_context("/?lang=cy"):
        assert send_due(db.session, app.config, Mailer(smtp_config(smtp.port)), utcnow()) >= 1
        db.session.remove()
    mails = smtp.to(officer.email)
    assert mails and all(m["Subject"].endswith("in your Belong queue needs attention")
                         and m.get_content().startswith("Hello,") for m in mails)
