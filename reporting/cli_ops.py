"""`flask` commands that keep a live install running: the timers' jobs, the worker, backups,
the steps after a restore, and `check-deployment` (deploy/systemd/ runs them)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from reporting import job_queue
from reporting.auth.access import timeouts
from reporting.domain import sla
from reporting.extensions import db
from reporting.mail import Mailer
from reporting.models.base import utcnow
from reporting.services import audit, job_runs, sla_check
from reporting.services.auth import end_all_sessions, end_stale_sessions
from reporting.services.delivery import dispatch, send_due
from reporting.services.placements import alerts
from reporting.services.retention import purge_again, purge_expired, settle

CLI_ACTOR = "cli"


@click.command("end-stale-sessions")
@with_appcontext
@click.option("--all", "everyone", is_flag=True, help="End every staff session, live or not "
              "(after restoring a backup): everyone signs in again.")
def end_stale_sessions_command(everyone: bool) -> None:
    """End timed-out staff sessions and destroy their key copies (run by a timer)."""
    if everyone:
        ended = end_all_sessions(db.session)
        db.session.commit()
    else:
        with job_runs.recorded(db.session, "end-stale-sessions"):
            ended = end_stale_sessions(db.session, timeouts(current_app.config))
    click.echo(f"Ended {ended} stale session{'s' if ended != 1 else ''}.")


@click.command("audit-verify")
@with_appcontext
def audit_verify_command() -> None:
    """Check every audit chain; name the first broken entry of each (run daily by a timer)."""
    with job_runs.recorded(db.session, "audit-verify"):
        breaks = audit.verify(db.session)
        for problem in breaks:
            click.echo(f"BROKEN {problem.chain} at entry {problem.seq} "
                       f"(row id {problem.entry_id}): {problem.problem}")
        if breaks:
            raise click.ClickException(f"{len(breaks)} broken audit chain(s)")
    click.echo("Audit log intact.")


@click.command("purge-expired")
@with_appcontext
def purge_expired_command() -> None:
    """Purge closed cases past their channel's retention period (run daily by a timer)."""
    with job_runs.recorded(db.session, "purge-expired"):
        purged = purge_expired(db.session, utcnow(), actor=CLI_ACTOR)
    settle(db.session)
    click.echo(f"Purged {purged} case{'' if purged == 1 else 's'} past their retention period.")


@click.command("backup")
@with_appcontext
@click.option("--dir", "folder", type=click.Path(file_okay=False), default=None,
              help="Where to write it (default BELONG_BACKUP_DIR, /var/backups/belong).")
def backup_command(folder: str | None) -> None:
    """Back up the database into a dated owner-only file; drop old ones (run daily by a timer)."""
    from reporting.backup import BackupError, make_backup

    config = current_app.config
    try:
        with job_runs.recorded(db.session, "backup"):
            made = make_backup(config["SQLALCHEMY_DATABASE_URI"],
                               Path(folder or config["BACKUP_DIR"]),
                               timedelta(days=config["BACKUP_KEEP_DAYS"]), utcnow())
    except (BackupError, OSError) as exc:
        raise click.ClickException(f"no backup made: {exc}") from None
    click.echo(f"Backup written: {made.path} ({made.size} bytes); removed {len(made.removed)} "
               f"older than {config['BACKUP_KEEP_DAYS']} days.")


@click.command("purge-again")
@with_appcontext
@click.argument("case_ids", nargs=-1, required=True)
def purge_again_command(case_ids: tuple[str, ...]) -> None:
    """After a restore: purge again the cases the log says were shredded since the backup
    (the ids in its "shredded case ID" lines)."""
    purged, held = purge_again(db.session, case_ids, actor=CLI_ACTOR)
    db.session.commit()
    settle(db.session)
    click.echo(f"Purged {purged} case{'' if purged == 1 else 's'} again; "
               f"{len(case_ids) - purged - len(held)} were already gone.")
    if held:
        click.echo("Under a legal hold in the restored data, so kept (decide with the school): "
                   + ", ".join(str(case_id) for case_id in held))


@click.command("sla-check")
@with_appcontext
@click.option("--enqueue", is_flag=True, help="Queue the check for the RQ workers of the "
              "\"belong\" queue instead of running it here (needs REDIS_URL).")
def sla_check_command(enqueue: bool) -> None:
    """Flag cases near or past a deadline and escalate them, once per stage, and alert admins
    to rising patterns, once per term (run by a timer)."""
    config = current_app.config
    if enqueue:  # the worker's job records the run when it has run
        if not config.get("REDIS_URL"):
            raise click.ClickException("--enqueue needs REDIS_URL (the RQ queue)")
        job = job_queue.enqueue(config["REDIS_URL"], job_queue.CHECK_DEADLINES,
                                config["REDIS_TIMEOUT_SECONDS"])
        click.echo(f"Queued deadline check {job} on the \"{job_queue.QUEUE}\" queue.")
        return
    with job_runs.recorded(db.session, "sla-check"):
        result = sla_check.check_deadlines(db.session, utcnow())
        alerts.check_all(db.session, utcnow())  # rising patterns, once a term each
    dispatch(current_app._get_current_object())
    stages = ", ".join(f"{result.stages[stage]} {stage}" for stage in sla.STAGES)
    click.echo(f"Escalations: {stages}; {result.notified} notification"
               f"{'' if result.notified == 1 else 's'} queued.")


@click.command("send-notifications")
@with_appcontext
def send_notifications_command() -> None:
    """Send the notification emails that are due, daily summaries included (run by a timer)."""
    config = current_app.config
    with job_runs.recorded(db.session, "send-notifications"):
        sent = send_due(db.session, config, Mailer(config), utcnow())
    click.echo(f"Sent {sent} notification email{'' if sent == 1 else 's'}.")


@click.command("worker")
@with_appcontext
@click.option("--burst", is_flag=True, help="Run the queued jobs, then stop (for tests).")
def worker_command(burst: bool) -> None:
    """Run the RQ worker for the "belong" queue; it reconnects whenever Redis comes back."""
    from reporting.jobs import run_worker

    redis_url = current_app.config.get("REDIS_URL")
    if not redis_url:
        raise click.ClickException("the worker needs REDIS_URL (without it, emails are sent "
                                   "inline and by the send-notifications timer)")
    run_worker(str(redis_url), burst=burst)


@click.command("compile-translations")
def compile_translations_command() -> None:
    """Compile the language catalogues (translations/*/LC_MESSAGES/*.po) into the .mo files
    the app reads; run it as the owner of the install after each upgrade."""
    from reporting.i18n import compile_catalogues, stale_catalogues

    for written in compile_catalogues():
        click.echo(f"compiled {written}")
    if stale := stale_catalogues():
        raise click.ClickException(f"cannot write {', '.join(map(str, stale))}")
    click.echo("every catalogue is compiled")


@click.command("check-deployment")
@with_appcontext
@click.option("--http-url", default=None, metavar="URL",
              help="The site's plain-http address, to test its redirect to https (default: "
              "BELONG_BASE_URL's host on port 80).")
def check_deployment_command(http_url: str | None) -> None:
    """Check a live install (HTTPS, proxy, secrets, Redis, database, files, mail, jobs,
    escrow); print what is wrong and exit 1 on any FAIL."""
    from reporting import deployment_check

    results = deployment_check.run_checks(current_app._get_current_object(), http_url)
    for line in deployment_check.report(results):
        click.echo(line)
    if deployment_check.failed(results):
        raise SystemExit(1)

COMMANDS = (end_stale_sessions_command, audit_verify_command, purge_expired_command,
            backup_command, purge_again_command, sla_check_command,
            send_notifications_command, worker_command, check_deployment_command,
            compile_translations_command)
