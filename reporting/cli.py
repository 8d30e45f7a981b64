"""`flask` commands: schools, staff, passwords, retention and the demo (the running
install's commands are in cli_ops.py)."""

from __future__ import annotations

import secrets
from datetime import timedelta

import click
from flask import Flask, current_app, url_for
from flask.cli import with_appcontext
from sqlalchemy import select

from reporting import cli_ops
from reporting.crypto import KdfParams
from reporting.domain.errors import BelongError, Conflict
from reporting.domain.roles import ChannelKind, Role
from reporting.extensions import db
from reporting.models import School, StaffUser
from reporting.services.retention import set_retention
from reporting.services.schools import create_school
from reporting.services.staff import create_staff, reissue_enrolment, reset_password
from reporting.services.totp import secret_of, totp_key

CLI_ACTOR = cli_ops.CLI_ACTOR


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
                           totp_key=totp_key(current_app.config),
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
    token = reissue_enrolment(db.session, CLI_ACTOR, user, lifetime,
                              totp_key(current_app.config))
    db.session.commit()
    click.echo(f"Their old authenticator no longer works and their sessions have ended.\n"
               f"New one-time enrolment link (valid {lifetime}):\n  {enrolment_url(token)}")


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


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Fill this (development) database with a demo school, staff and cases."""
    from reporting.services.demo import build_demo

    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("the demo never runs in production")
    key = totp_key(current_app.config)
    demo = build_demo(db.session, params=_params(), totp_key=key,
                      enrolment_lifetime=timedelta(hours=1), password=secrets.token_urlsafe(9))
    db.session.commit()
    base = current_app.config["BASE_URL"]
    click.echo(f"\nDemo school: {demo.school.name}  ->  {base}/s/{demo.school.slug}/")
    click.echo(f"Escrow passphrase: {demo.escrow_passphrase}")
    click.echo(f"\nStaff sign-in: {base}/auth/login  (password for everyone: "
               f"{demo.password})")
    for user in demo.staff:
        click.echo(f"  {Role(user.role).label:24} {user.email:34} "
                   f"TOTP secret {secret_of(key, user)}")
    click.echo("  Add a secret to any authenticator app, or print its current code with:\n"
               "    python -c \"import pyotp; print(pyotp.TOTP('SECRET').now())\"")
    click.echo("\nStudent receipts (Return with your receipt):")
    for receipt, title in demo.receipts:
        click.echo(f"  {receipt}  {title}")


def init_app(app: Flask) -> None:
    """Register the commands."""
    for command in (create_school_command, create_staff_command, rotate_password_command,
                    new_enrolment_link_command, set_retention_command, demo_command,
                    *cli_ops.COMMANDS):
        app.cli.add_command(command)
