"""`flask` commands: schools, staff, passwords, audit verification and the demo."""

from __future__ import annotations

import secrets
from datetime import timedelta

import click
from flask import Flask, current_app, url_for
from flask.cli import with_appcontext
from sqlalchemy import select

from reporting import job_queue
from reporting.auth.access import timeouts
from reporting.crypto import KdfParams
from reporting.domain import sla
from reporting.domain.errors import BelongError, Conflict
from reporting.domain.roles import ChannelKind, Role
from reporting.extensions import db
from reporting.mail import Mailer
from reporting.models import School, StaffUser
from reporting.models.base import utcnow
from reporting.services import audit, job_runs, sla_check
from reporting.services.auth import end_all_sessions, end_stale_sessions
from reporting.services.delivery import dispatch, send_due
from reporting.services.retention import purge_again, purge_expired, set_retention, settle
from reporting.services.schools import create_school
from reporting.services.staff import create_staff, reissue_enrolment, reset_password

CLI_ACTOR = "cli"


def _params() -> KdfParams:
    return KdfParams.from_config(current_app.config)


def _school(slug: str) -> School:
    school = db.session.scalar(select(School).where(School.slug == slug))
    if school is None:
        raise click.ClickException(f"no school with the short name {slug!r}")
    return school


def _staff(email: str) -> StaffUser:
    user = db.session.scalar(select(StaffUser).where(StaffUser.email == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"no account for {email}")
    return user


def enrolment_url(token: str) -> str:
    """The absolute enrolment link, for printing (on BELONG_BASE_URL)."""
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        return url_for("auth.enrol", token=token, _external=True)


@click.command("create-school")
@with_appcontext
@click.option("--slug", required=True, help="Short name used in addresses, e.g. northfield.")
@click.option("--name", required=True, help="The school's full name.")
@click.option("--urgent-contact", default="", help="The school's own urgent contact, shown "
              "to students who are not safe.")
@click.option("--escrow-passphrase", prompt=True, hide_input=True, confirmation_prompt=True,
              help="Passphrase that protects the school's escrow key (admins keep it offline).")
def create_school_command(slug: str, name: str, urgent_contact: str,
                          escrow_passphrase: str) -> None:
    """Create a school with its peer, pastoral and institutional channels."""
    try:
        school = create_school(db.session, CLI_ACTOR, slug=slug, name=name,
                               escrow_passphrase=escrow_passphrase, params=_params(),
                               urgent_contact=urgent_contact)
    except Conflict as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"Created {school.name} ({school.slug}) with channels: "
               + ", ".join(channel.name for channel in school.channels))


@click.command("create-staff")
@with_appcontext
@click.option("--school", "slug", required=True)
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", type=click.Choice([role.value for role in Role]), required=True)
@click.option("--lead", is_flag=True, help="Lead of their channel: receives escalations.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="Initial password (12+ characters); give it to them separately.")
def create_staff_command(slug: str, email: str, name: str, role: str, lead: bool,
                         password: str) -> None:
    """Create a staff account and print its one-time enrolment link."""
    try:
        new = create_staff(db.session, CLI_ACTOR, _school(slug), email=email, display_name=name,
                           role=Role(role), password=password, params=_params(),
                           enrolment_lifetime=current_app.config["ENROLMENT_LINK_LIFETIME"],
                           lead=lead)
    except Conflict as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"Created {new.user.email} ({Role(role).label}).")
    click.echo(f"One-time enrolment link (valid {current_app.config['ENROLMENT_LINK_LIFETIME']}):"
               f"\n  {enrolment_url(new.enrolment_token)}")


@click.command("rotate-password")
@with_appcontext
@click.option("--email", required=True)
@click.option("--password", prompt="New password", hide_input=True, confirmation_prompt=True)
def rotate_password_command(email: str, password: str) -> None:
    """Set a new password; the old key pair is lost and their sessions end."""
    user = _staff(email)
    try:
        reset_password(db.session, CLI_ACTOR, user, password=password, params=_params())
    except Conflict as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"New password set for {user.email}. Their sessions have ended. Cases wrapped "
               "for their old key need an escrow re-grant before they can read them again.")


@click.command("new-enrolment-link")
@with_appcontext
@click.option("--email", required=True)
def new_enrolment_link_command(email: str) -> None:
    """Issue a fresh enrolment link (lost authenticator, or the first link expired)."""
    user = _staff(email)
    lifetime = current_app.config["ENROLMENT_LINK_LIFETIME"]
    token = reissue_enrolment(db.session, CLI_ACTOR, user, lifetime)
    db.session.commit()
    click.echo(f"Their old authenticator no longer works and their sessions have ended.\n"
               f"New one-time enrolment link (valid {lifetime}):\n  {enrolment_url(token)}")


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


@click.command("set-retention")
@with_appcontext
@click.option("--school", "slug", required=True)
@click.option("--channel", type=click.Choice([kind.value for kind in ChannelKind]), required=True)
@click.option("--days", type=int, required=True, help="Days a closed case is kept (30-3650).")
def set_retention_command(slug: str, channel: str, days: int) -> None:
    """Set how long a channel keeps closed cases before purge-expired shreds them."""
    try:
        set_retention(db.session, CLI_ACTOR, _school(slug).channel(ChannelKind(channel)), days)
    except BelongError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"Closed {channel} cases at {slug} are now kept for {days} days.")


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
    from pathlib import Path

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
    """Flag cases near or past a deadline and escalate them, once per stage (run by a timer)."""
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


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Fill this (development) database with a demo school, staff and cases."""
    from reporting.services.demo import build_demo

    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("the demo never runs in production")
    demo = build_demo(db.session, params=_params(),
                      enrolment_lifetime=timedelta(hours=1), password=secrets.token_urlsafe(9))
    db.session.commit()
    base = current_app.config["BASE_URL"]
    click.echo(f"\nDemo school: {demo.school.name}  ->  {base}/s/{demo.school.slug}/")
    click.echo(f"Escrow passphrase: {demo.escrow_passphrase}")
    click.echo(f"\nStaff sign-in: {base}/auth/login  (password for everyone: "
               f"{demo.password})")
    for user in demo.staff:
        click.echo(f"  {Role(user.role).label:24} {user.email:34} TOTP secret {user.totp_secret}")
    click.echo("  Add a secret to any authenticator app, or print its current code with:\n"
               "    python -c \"import pyotp; print(pyotp.TOTP('SECRET').now())\"")
    click.echo("\nStudent receipts (Return with your receipt):")
    for receipt, title in demo.receipts:
        click.echo(f"  {receipt}  {title}")


def init_app(app: Flask) -> None:
    """Register the commands."""
    for command in (create_school_command, create_staff_command, rotate_password_command,
                    new_enrolment_link_command, end_stale_sessions_command,
                    set_retention_command, audit_verify_command, purge_expired_command,
                    purge_again_command, backup_command,
                    send_notifications_command, sla_check_command, worker_command,
                    check_deployment_command, demo_command):
        app.cli.add_command(command)
