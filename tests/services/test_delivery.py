"""Delivering notification emails through a real SMTP server (aiosmtpd on localhost)."""

from __future__ import annotations

import logging
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from reporting import job_queue
from reporting.domain.report import Ground, label
from reporting.domain.roles import ChannelKind, Role
from reporting.jobs import run_worker
from reporting.mail import Mailer
from reporting.models import OutboxMessage
from reporting.models.base import utcnow
from reporting.services.delivery import CLAIM_LEASE, dispatch, send_due
from reporting.services.notifications import (
    next_digest,
    notify_handlers,
    notify_reporter,
    seal_address,
)
from tests.factories import make_report, make_staff
from tests.mailbox import free_port, smtp_config

NARRATIVE = "The registrar mocked my accent in front of the whole firm on Tuesday."
NAME = "Ada Lovelace"
STUDENT = "student@example.org"


def handler(session, school, email: str = "officer@northfield.example",
            mode: str = "immediate"):
    """A pastoral officer (the channel make_report's answers route to)."""
    user = make_staff(session, school, Role.PASTORAL_OFFICER, email=email)
    user.notify_mode = mode
    return user


def outbox(session) -> list[OutboxMessage]:
    """Every outbox row, freshly read."""
    session.expire_all()
    return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def without(text: str, *parts: str) -> str:
    """The text with the expected parts (links, counts) taken out."""
    for part in parts:
        text = text.replace(part, "")
    return text


def test_immediate_handler_gets_one_email_per_row_saying_nothing_of_the_case(
        app, session, school, smtp, mailer):
    """Does an immediate handler get one plain email per row, with a link and nothing else?"""
    staff = handler(session, school)
    grounds = frozenset({Ground.RACE, Ground.ACCENT_LANGUAGE})
    cases = [make_report(session, school, narrative=NARRATIVE, grounds=grounds,
                         identity={"name": NAME}).case for _ in range(2)]
    session.commit()
    assert len(outbox(session)) == 2  # submit_report queues one row per handler

    assert send_due(session, app.config, mailer, utcnow()) == 2
    link = f"{app.config['BASE_URL']}/staff/"
    assert len(smtp.messages) == 2 and len(smtp.to(staff.email)) == 2
    channel = school.channel(ChannelKind.PASTORAL)
    named = set()
    for message in smtp.to(staff.email):
        reference = message["Subject"].removeprefix("Case ").split(" ")[0]
        named.add(reference)
        assert message["Subject"] == f"Case {reference} in your Belong queue needs attention"
        assert message.get_content_type() == "text/plain" and not message.is_multipart()
        body = message.get_content()
        assert link in body and f"Case {reference} in your Belong queue" in body
        raw = message.as_string().lower()
        forbidden = [NARRATIVE, NAME, "Lovelace", channel.name, channel.kind,
                     *(label(g) for g in grounds), *(g.value for g in grounds),
                     *(case.id for case in cases), *(case.report_id for case in cases)]
        assert not [word for word in forbidden if word.lower() in raw]
        # No digits outside the link and the reference: no case id, no date, no time.
        assert not re.search(r"\d", without(body, link, reference))
    assert named == {case.reference for case in cases}
    assert all(row.sent_at for row in outbox(session))


def test_an_email_whose_case_is_gone_says_a_case(app, session, school, smtp, mailer):
    """A row that names no case (queued before references, or its case since deleted):
    does its email still go, saying "A case" and no reference?"""
    staff = handler(session, school)
    case = make_report(session, school, narrative=NARRATIVE).case
    session.commit()
    session.execute(update(OutboxMessage).values(case_id=None))
    session.commit()
    assert send_due(session, app.config, mailer, utcnow()) == 1
    [message] = smtp.to(staff.email)
    assert message["Subject"] == "A case in your Belong queue needs attention"
    assert case.reference not in message.as_string()


def test_digest_handler_gets_one_summary_at_digest_time(app, session, school, smtp, mailer):
    """Does a digest handler get nothing before the digest hour, then one email for all rows?"""
    eager = handler(session, school)
    patient = handler(session, school, "digest@northfield.example", mode="digest")
    cases = [make_report(session, school, narrative=NARRATIVE).case for _ in range(3)]
    session.commit()
    digest_at = {row.deliver_after for row in outbox(session) if row.staff_id == patient.id}
    assert len(digest_at) == 1
    (at,) = digest_at
    assert at == next_digest(at - timedelta(seconds=1))

    assert send_due(session, app.config, mailer, utcnow()) == 3
    assert send_due(session, app.config, mailer, at - timedelta(seconds=1)) == 0
    assert len(smtp.to(eager.email)) == 3 and smtp.to(patient.email) == []

    assert send_due(session, app.config, mailer, at) == 1
    (summary,) = smtp.to(patient.email)
    assert summary["Subject"] == "Belong daily summary: 3 cases need your attention"
    link = f"{app.config['BASE_URL']}/staff/"
    body = summary.get_content()
    assert link in body and NARRATIVE not in body
    assert all(f"Case {case.reference}" in body for case in cases)
    assert not re.search(r"\d", without(body, link, "3 cases",
                                         *(case.reference for case in cases)))
    assert all(row.sent_at for row in outbox(session))


def test_student_who_opted_in_gets_the_reply_email(app, session, school, smtp, mailer):
    """Does a student who asked for reply emails get one at their address, with the return link?"""
    report = make_report(session, school, narrative=NARRATIVE, identity={"name": NAME}).report
    report.notify_email_sealed = seal_address(app.config, STUDENT)
    notify_reporter(session, report)
    session.commit()

    assert send_due(session, app.config, mailer, utcnow()) == 1
    ((rcpts, message),) = smtp.messages
    assert rcpts == [STUDENT] and message["To"] == STUDENT
    assert message["Subject"] == "A reply is waiting for you in Belong"
    body = message.get_content()
    link = f"{app.config['BASE_URL']}/s/{school.slug}/return"
    assert link in body and "receipt" in body
    raw = message.as_string()
    assert NARRATIVE not in raw and NAME not in raw and report.id not in raw


def test_running_twice_sends_once(app, session, school, smtp, mailer):
    """Does a second run send nothing already sent?"""
    handler(session, school)
    make_report(session, school)
    session.commit()

    assert send_due(session, app.config, mailer, utcnow()) == 1
    assert send_due(session, app.config, mailer, utcnow()) == 0
    assert len(smtp.messages) == 1


def test_unreachable_server_leaves_rows_queued_and_logs_nothing_identifying(
        app, session, school, smtp, mailer, caplog):
    """When the SMTP server is down, do the rows stay unsent (and go out on the next run)?"""
    staff = handler(session, school)
    report = make_report(session, school, narrative=NARRATIVE)
    report.report.notify_email_sealed = seal_address(app.config, STUDENT)
    notify_reporter(session, report.report)
    session.commit()

    closed = Mailer(smtp_config(free_port()))
    with caplog.at_level(logging.DEBUG):
        assert send_due(session, app.config, closed, utcnow()) == 0
    assert [row.sent_at for row in outbox(session)] == [None, None]
    assert caplog.records, "a failed send is logged"
    assert not [word for word in (staff.email, STUDENT, NARRATIVE, "@") if word in caplog.text]

    assert send_due(session, app.config, mailer, utcnow()) == 2
    assert len(smtp.messages) == 2


def test_a_refused_address_stays_queued_and_others_still_go(app, session, school, smtp, mailer,
                                                            caplog):
    """Does one refused recipient block nobody else, and stay out of the logs?"""
    handler(session, school)
    submitted = make_report(session, school)
    submitted.report.notify_email_sealed = seal_address(app.config, STUDENT)
    notify_reporter(session, submitted.report)
    notify_handlers(session, submitted.case)  # queued after the refused one
    session.commit()
    smtp.refuse.add(STUDENT)

    assert send_due(session, app.config, mailer, utcnow()) == 2
    unsent = [row.kind for row in outbox(session) if row.sent_at is None]
    assert unsent == ["reply_waiting"]
    assert STUDENT not in caplog.text and "@" not in caplog.text


def test_an_address_kept_before_checks_that_lists_two_is_dropped_unsent(app, session, school,
                                                                       smtp, mailer):
    """Is a reply email to "a@b.example,postmaster" (stored before addresses were checked)
    dropped, neither sent to either address nor retried?"""
    report = make_report(session, school).report
    report.notify_email_sealed = seal_address(app.config, "a@b.example,postmaster")
    notify_reporter(session, report)
    session.commit()

    assert send_due(session, app.config, mailer, utcnow()) == 0
    assert smtp.messages == [] and all(row.sent_at for row in outbox(session))
    assert send_due(session, app.config, mailer, utcnow()) == 0


def test_a_deactivated_handler_gets_nothing(app, session, school, smtp, mailer):
    """Is a row for an account deactivated since it was queued dropped, not sent?"""
    staff = handler(session, school)
    make_report(session, school)
    staff.active = False
    session.commit()

    assert send_due(session, app.config, mailer, utcnow()) == 0
    assert smtp.messages == [] and all(row.sent_at for row in outbox(session))


def test_a_row_another_sender_claimed_is_left_alone_until_its_lease_ends(
        app, session, school, smtp, mailer):
    """Is a row another sender claimed skipped, and sent once that claim is past its lease?"""
    handler(session, school)
    make_report(session, school)
    session.commit()
    now = utcnow()
    session.execute(update(OutboxMessage).values(claimed_at=now, claim_token="other"))
    session.commit()

    assert send_due(session, app.config, mailer, now) == 0 and smtp.messages == []
    assert send_due(session, app.config, mailer, now + CLAIM_LEASE + timedelta(seconds=1)) == 1
    assert all(row.sent_at and row.claim_token is None for row in outbox(session))


def test_two_workers_at_once_send_each_row_once(app, engine, session, school, smtp, mailer):
    """Do two senders running at the same moment (two app servers, a worker and the timer)
    share the rows without sending any twice, on SQLite as on PostgreSQL?"""
    handler(session, school)
    for _ in range(6):
        make_report(session, school)
    session.commit()
    smtp.delay = 0.1  # a slow server, so the two runs overlap

    def worker() -> int:
        with Session(engine) as own:
            return send_due(own, app.config, mailer, utcnow())

    with ThreadPoolExecutor(2) as pool:
        counts = [run.result() for run in [pool.submit(worker) for _ in range(2)]]
    assert sum(counts) == 6 and len(smtp.messages) == 6
    assert all(counts), "both workers took part"
    assert all(row.sent_at for row in outbox(session))


def test_send_notifications_command(app, session, school, smtp, monkeypatch):
    """Does `flask send-notifications` send what is due and say how many went?"""
    handler(session, school)
    make_report(session, school)
    session.commit()
    for key, value in smtp_config(smtp.port).items():
        monkeypatch.setitem(app.config, key, value)

    result = app.test_cli_runner().invoke(args=["send-notifications"])
    assert result.exit_code == 0, result.output
    assert "Sent 1 notification email." in result.output
    assert len(smtp.messages) == 1


def test_dispatch_delivers_in_the_configured_mode(app, session, school, smtp, monkeypatch):
    """Does dispatch() deliver: through an RQ worker when Redis is configured, else inline?"""
    staff = handler(session, school)
    make_report(session, school)
    session.commit()
    for key, value in smtp_config(smtp.port).items():
        monkeypatch.setitem(app.config, key, value)

    if app.config["REDIS_URL"]:
        # The job builds its own app from the environment, as a worker process would.
        monkeypatch.setenv("BELONG_CONFIG", "test")
        monkeypatch.setenv("DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
        monkeypatch.setenv("BELONG_BASE_URL", app.config["BASE_URL"])
        for key, value in smtp_config(smtp.port).items():
            monkeypatch.setenv(key, str(value) if value is not False else "0")
        connection = job_queue.connect(app.config["REDIS_URL"], 5)
        queue = job_queue.queue(connection)
        queue.empty()

        dispatch(app)
        assert smtp.messages == [] and queue.count == 1  # queued, not sent by the request
        run_worker(app.config["REDIS_URL"], burst=True)  # a forking worker, as in production
        assert queue.failed_job_registry.count == 0
        connection.close()
    else:
        dispatch(app)

    assert len(smtp.to(staff.email)) == 1
    assert all(row.sent_at for row in outbox(session))
