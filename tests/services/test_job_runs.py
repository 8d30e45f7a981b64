"""Periodic jobs record their last success and failure, for `flask check-deployment`."""

from __future__ import annotations

from datetime import timedelta

import pytest

from reporting.models import JobRun
from reporting.models.base import utcnow
from reporting.services import job_runs


def test_a_job_records_its_success_with_its_work(session):
    """Is the success committed together with the job's own work?"""
    with job_runs.recorded(session, "send-notifications"):
        pass
    assert session.get(JobRun, "send-notifications").last_success_at is not None


def test_a_failure_is_recorded_by_class_and_re_raised(session):
    """Is a failing job recorded (class only, never the message) and its error kept?"""
    with pytest.raises(RuntimeError), job_runs.recorded(session, "purge-expired"):
        raise RuntimeError("student@example.ac.uk")
    row = session.get(JobRun, "purge-expired")
    assert row.last_failure_at and row.last_error == "RuntimeError" and not row.last_success_at


def test_overdue_names_jobs_never_run_late_or_failing(session):
    """Does `overdue` name a job that never ran, one that is late and one that last failed?"""
    now = utcnow()
    session.add_all([
        JobRun(name="send-notifications", last_success_at=now - timedelta(minutes=3)),
        JobRun(name="end-stale-sessions", last_success_at=now - timedelta(hours=2)),
        JobRun(name="sla-check", last_success_at=now - timedelta(hours=3),
               last_failure_at=now - timedelta(minutes=5), last_error="OperationalError"),
    ])
    session.commit()
    problems = job_runs.overdue(job_runs.last_runs(session), now)
    assert set(problems) == {"end-stale-sessions", "sla-check", "purge-expired", "audit-verify",
                             "backup"}
    assert "OperationalError" in problems["sla-check"]
    assert problems["purge-expired"] == "has never succeeded"


@pytest.mark.parametrize("command", sorted(job_runs.PERIODIC))
def test_each_timer_command_records_its_run(app, session, command, tmp_path):
    """Does every command a timer runs leave its last success behind?"""
    extra = ["--dir", str(tmp_path)] if command == "backup" else []
    result = app.test_cli_runner().invoke(args=[command, *extra])
    assert result.exit_code == 0, result.output
    assert session.get(JobRun, command).last_success_at is not None
