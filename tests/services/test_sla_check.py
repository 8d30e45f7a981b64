"""The deadline check: stages at the right times, the right people, once, and saying nothing."""

from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from reporting import job_queue
from reporting.domain.cases import Action
from reporting.domain.report import Ground
from reporting.domain.roles import ChannelKind, Role
from reporting.jobs import run_worker
from reporting.mail import Mailer
from reporting.models import AuditEntry, Case, Escalation, OutboxMessage
from reporting.models.base import utcnow
from reporting.services.casework import transition
from reporting.services.delivery import send_due
from reporting.services.sla_check import _record, check_deadlines
from tests.factories import make_report, make_school, make_staff
from tests.mailbox import smtp_config
from tests.services.test_delivery import without

NARRATIVE = "The consultant called me a diversity hire in front of the ward."
NOW = utcnow().replace(microsecond=0)


@pytest.fixture
def team(session, school):
    """A pastoral lead, a pastoral handler who is not a lead, and an admin; a second school's
    admin too (who must never hear of this school's cases)."""
    lead = make_staff(session, school, Role.PASTORAL_OFFICER, email="lead@northfield.example")
    lead.memberships[0].is_lead = True
    handler = make_staff(session, school, Role.PASTORAL_OFFICER, email="h@northfield.example")
    admin = make_staff(session, school, Role.ADMIN, email="admin@northfield.example")
    elsewhere = make_staff(session, make_school(session, slug="southbank"), Role.ADMIN,
                           email="admin@southbank.example")
    session.commit()
    return {"lead": lead, "handler": handler, "admin": admin, "elsewhere": elsewhere}


def new_case(session, school, due_in: timedelta, **answers) -> Case:
    """A pastoral case, submitted, whose deadline is `due_in` from NOW (set directly)."""
    case = make_report(session, school, narrative=NARRATIVE, **answers).case
    case.due_at = NOW + due_in
    session.commit()
    return case


def escalation_rows(session) -> list[OutboxMessage]:
    session.expire_all()
    return list(session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "escalation")
                                .order_by(OutboxMessage.id)))


def recipients(session) -> list[int]:
    return [row.staff_id for row in escalation_rows(session)]


def stages(session, case: Case) -> set[tuple[str, str]]:
    return set(session.execute(select(Escalation.deadline, Escalation.stage)
                               .where(Escalation.case_id == case.id)).all())


def run(session, at):
    result = check_deadlines(session, at)
    session.commit()
    return result


def test_each_stage_at_its_time_to_the_right_people(session, school, team):
    """More than a day out: nothing. Within 24 h: the lead. Past: the lead again. Over 2 days
    past: the admins. Never the other handler, never another school."""
    case = new_case(session, school, timedelta(hours=30))
    lead, admin = team["lead"].id, team["admin"].id

    assert run(session, NOW).notified == 0 and stages(session, case) == set()
    assert run(session, NOW + timedelta(hours=7)).stages == {"approaching": 1}
    assert recipients(session) == [lead]
    assert run(session, NOW + timedelta(hours=30)).notified == 0  # due now: not yet past
    assert run(session, NOW + timedelta(hours=30, seconds=1)).stages == {"overdue": 1}
    assert recipients(session) == [lead, lead]
    assert run(session, NOW + timedelta(days=3, hours=6)).notified == 0  # exactly 2 days past
    assert run(session, NOW + timedelta(days=3, hours=7)).stages == {"admin": 1}
    assert recipients(session) == [lead, lead, admin]
    assert stages(session, case) == {("acknowledge", s) for s in
                                     ("approaching", "overdue", "admin")}


def test_rerunning_never_repeats_a_notification(session, school, team):
    """Run again and again at the same moment: does each stage notify exactly once?"""
    case = new_case(session, school, -timedelta(days=3))
    first = run(session, NOW)
    assert first.stages == {"approaching": 1, "overdue": 1, "admin": 1}
    before = recipients(session)
    for _ in range(3):
        again = run(session, NOW)
        assert again.notified == 0 and not again.stages
    assert recipients(session) == before
    assert len(stages(session, case)) == 3


def test_a_case_found_late_gets_one_email_per_person(session, school, team):
    """Already 3 days past on the first run: are all stages recorded, yet the lead gets one
    email (not 'approaching' and 'overdue') and the admin one?"""
    new_case(session, school, -timedelta(days=3))
    run(session, NOW)
    assert sorted(recipients(session)) == sorted([team["lead"].id, team["admin"].id])


def test_an_escalation_recorded_by_another_run_is_not_sent_again(session, school, team):
    """If another run inserted the row after this one looked, does the unique constraint
    stop the insert, leaving the session usable?"""
    case = new_case(session, school, -timedelta(hours=1))
    assert _record(session, case, "acknowledge", "overdue", NOW)
    session.commit()
    assert not _record(session, case, "acknowledge", "overdue", NOW)
    assert _record(session, case, "acknowledge", "approaching", NOW)
    session.commit()
    assert stages(session, case) == {("acknowledge", "overdue"), ("acknowledge", "approaching")}


@pytest.mark.postgres_only
def test_two_runs_at_once_notify_once(engine, session, school, team):
    """Two checks at the same moment (cron and a worker): is every stage sent exactly once?"""
    for hours in (1, 30, 80):
        new_case(session, school, -timedelta(hours=hours))

    def check() -> int:
        with Session(engine) as own:
            notified = check_deadlines(own, NOW).notified
            own.commit()
            return notified

    with ThreadPoolExecutor(2) as pool:
        counts = [job.result() for job in [pool.submit(check) for _ in range(2)]]
    assert sum(counts) == len(recipients(session)) == 1 + 1 + 2  # lead; lead; lead and admin
    assert len(session.scalars(select(Escalation)).all()) == 2 + 2 + 3


def test_a_channel_without_a_lead_escalates_to_the_admins(session, school, team):
    """No active lead: does 'overdue' go to the admins rather than to nobody?"""
    team["lead"].active = False
    new_case(session, school, -timedelta(hours=2))
    run(session, NOW)
    assert recipients(session) == [team["admin"].id]


def test_only_open_cases_with_a_deadline_are_checked(session, school, team):
    """Withdrawn, resolved or waiting cases (even with a stale due_at) and cases with no
    deadline are left alone."""
    for status in ("withdrawn", "resolved", "closed"):
        case = new_case(session, school, -timedelta(days=5))
        case.status = status
    new_case(session, school, -timedelta(days=5)).due_at = None
    waiting = new_case(session, school, -timedelta(days=5))
    waiting.status, waiting.due_at = "awaiting_reporter", None
    session.commit()
    assert run(session, NOW).notified == 0
    assert session.scalars(select(Escalation)).all() == []


def test_the_feedback_deadline_escalates_separately(session, school, team):
    """After acknowledgement the case works to its feedback deadline: a new set of stages?"""
    case = new_case(session, school, -timedelta(days=3))
    run(session, NOW)
    transition(session, case, Action.ACKNOWLEDGE, actor_kind="staff", actor_id=team["lead"].id)
    session.commit()
    assert case.due_at > NOW + timedelta(days=80)  # feedback: three months on
    case.due_at = NOW - timedelta(minutes=5)
    session.commit()
    assert run(session, NOW).stages == {"approaching": 1, "overdue": 1}
    assert {deadline for deadline, _ in stages(session, case)} == {"acknowledge", "feedback"}


def test_escalations_are_audited_without_contents(session, school, team):
    """Is each stage in the audit log, naming the case id only as its target?"""
    case = new_case(session, school, -timedelta(days=3), identity={"name": "Ada Lovelace"})
    run(session, NOW)
    entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "case.escalate")
                              .order_by(AuditEntry.seq)).all()
    assert [json.loads(e.detail)["stage"] for e in entries] == ["approaching", "overdue",
                                                                 "admin"]
    assert {e.target for e in entries} == {f"case:{case.id}"}
    text = " ".join(e.detail for e in entries)
    assert "diversity" not in text and "Lovelace" not in text and "race" not in text


def test_emails_say_nothing_but_that_a_deadline_is_near(app, session, school, team, smtp):
    """Do the lead's and the admin's emails carry one sentence naming the case's reference
    and a link, and nothing else about it (no id, no ground, no channel, no name, no date)?"""
    case = new_case(session, school, -timedelta(days=3), identity={"name": "Ada Lovelace"},
                    grounds=frozenset({Ground.RACE}))
    session.execute(update(OutboxMessage).values(sent_at=NOW))  # the new-case emails: gone
    run(session, NOW)
    assert send_due(session, app.config, Mailer(smtp_config(smtp.port)), utcnow()) == 2
    base = app.config["BASE_URL"]
    channel = school.channel(ChannelKind.PASTORAL)
    for address, link in ((team["lead"].email, f"{base}/staff/"),
                          (team["admin"].email, f"{base}/admin/")):
        [message] = smtp.to(address)
        assert message["Subject"] == (f"Case {case.reference} in Belong is near or past its "
                                      "response deadline")
        body = message.get_content()
        assert (f"Case {case.reference} in your Belong channel is near or past its response "
                "deadline.") in body
        assert link in body
        raw = message.as_string().lower()
        forbidden = [NARRATIVE, "Lovelace", "race", channel.name, case.id, case.report_id,
                     "pastoral", "acknowledge", "overdue"]
        assert not [word for word in forbidden if word.lower() in raw]
        assert not re.search(r"\d", without(body, link, case.reference))
    assert smtp.to(team["handler"].email) == [] and smtp.to(team["elsewhere"].email) == []


def test_digest_readers_get_escalations_at_digest_time(session, school, team):
    """A lead who chose a daily summary: is the escalation held for the digest hour?"""
    team["lead"].notify_mode = "digest"
    new_case(session, school, -timedelta(hours=1))
    run(session, NOW)
    [row] = escalation_rows(session)
    assert row.deliver_after > NOW


def test_sla_check_command_reports_and_is_idempotent(app, session, school, team):
    """Does `flask sla-check` escalate, say what it did, and do nothing the second time?"""
    new_case(session, school, -timedelta(days=3))
    runner = app.test_cli_runner()
    first = runner.invoke(args=["sla-check"])
    assert first.exit_code == 0, first.output
    assert "1 approaching, 1 overdue, 1 admin; 2 notifications queued." in first.output
    second = runner.invoke(args=["sla-check"])
    assert "0 approaching, 0 overdue, 0 admin; 0 notifications queued." in second.output
    assert len(recipients(session)) == 2


def test_enqueue_needs_redis(app, monkeypatch):
    """Without REDIS_URL, does --enqueue refuse clearly?"""
    monkeypatch.setitem(app.config, "REDIS_URL", None)
    result = app.test_cli_runner().invoke(args=["sla-check", "--enqueue"])
    assert result.exit_code != 0 and "REDIS_URL" in result.output


@pytest.mark.redis_only
def test_the_check_runs_as_an_rq_job(app, session, school, team, smtp, monkeypatch):
    """With Redis: does `sla-check --enqueue` queue a job that a worker runs to the end,
    escalating and then delivering?"""
    new_case(session, school, -timedelta(days=3))
    session.execute(update(OutboxMessage).values(sent_at=NOW))  # the new-case emails: gone
    session.commit()
    monkeypatch.setenv("BELONG_CONFIG", "test")
    monkeypatch.setenv("DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    monkeypatch.setenv("BELONG_BASE_URL", app.config["BASE_URL"])
    for key, value in smtp_config(smtp.port).items():
        monkeypatch.setenv(key, str(value) if value is not False else "0")
    connection = job_queue.connect(app.config["REDIS_URL"], 5)
    queue = job_queue.queue(connection)
    queue.empty()

    result = app.test_cli_runner().invoke(args=["sla-check", "--enqueue"])
    assert result.exit_code == 0 and "Queued deadline check" in result.output
    assert queue.count == 1 and recipients(session) == []
    run_worker(app.config["REDIS_URL"], burst=True)  # the check, then delivery
    assert queue.failed_job_registry.count == 0
    connection.close()
    assert len(recipients(session)) == 2
    assert [len(smtp.to(team[who].email)) for who in ("lead", "admin", "handler")] == [1, 1, 0]
    assert all("deadline" in message["Subject"] for _, message in smtp.messages)
