"""The flask commands, run as an operator would."""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp
from sqlalchemy import func, select, update

from reporting.domain.roles import ChannelKind, Role
from reporting.models import AuditEntry, Case, School, StaffSession, StaffUser
from reporting.models.base import utcnow
from tests import factories
from tests.conftest import post_form, sign_in


def test_create_school_then_staff_prints_a_working_enrolment_link(app, session):
    """Do create-school and create-staff make a school and an account that can enrol?"""
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-school", "--slug", "eastgate", "--name",
                                 "Eastgate Medical School",
                                 "--escrow-passphrase", "a long escrow passphrase"])
    assert result.exit_code == 0, result.output
    assert "Peer support" in result.output
    result = runner.invoke(args=["create-staff", "--school", "eastgate", "--email",
                                 "Officer@Eastgate.example", "--name", "Officer",
                                 "--role", "pastoral_officer", "--password",
                                 factories.PASSWORD])
    assert result.exit_code == 0, result.output
    path = re.search(r"https?://[^/]+(/auth/enrol/\S+)", result.output).group(1)
    client = app.test_client()
    assert post_form(client, path, {"password": factories.PASSWORD}).status_code == 302
    user = session.scalar(select(StaffUser).where(StaffUser.email == "officer@eastgate.example"))
    done = post_form(client, "/auth/two-factor", {"code": factories.totp_code(user)})
    assert done.status_code == 302 and done.location.endswith("/staff/")


def test_commands_refuse_bad_input_clearly(app, school):
    """Do duplicates, unknown schools, bad roles and short passwords fail with a message?"""
    runner = app.test_cli_runner()
    checks = [
        (["create-school", "--slug", "northfield", "--name", "X",
          "--escrow-passphrase", "a long escrow passphrase"], "already exists"),
        (["create-staff", "--school", "nowhere", "--email", "a@b.example", "--name", "A",
          "--role", "admin", "--password", factories.PASSWORD], "no school"),
        (["create-staff", "--school", "northfield", "--email", "a@b.example", "--name", "A",
          "--role", "wizard", "--password", factories.PASSWORD], "Invalid value"),
        (["create-staff", "--school", "northfield", "--email", "a@b.example", "--name", "A",
          "--role", "admin", "--password", "short"], "12 characters"),
        (["rotate-password", "--email", "nobody@b.example", "--password", factories.PASSWORD],
         "no account"),
    ]
    for args, message in checks:
        result = runner.invoke(args=args)
        assert result.exit_code != 0 and message in result.output, (args, result.output)


def test_rotate_password_changes_keys_and_old_password_fails(app, session, school):
    """After rotate-password, does only the new password work, with a new key pair?"""
    user = factories.make_staff(session, school, Role.ADMIN)
    session.commit()
    old_key = user.public_key
    result = app.test_cli_runner().invoke(args=["rotate-password", "--email", user.email,
                                                "--password", "the new password ok"])
    assert result.exit_code == 0, result.output
    session.refresh(user)
    assert user.public_key != old_key
    client = app.test_client()
    refused = post_form(client, "/auth/login", {"email": user.email,
                                                "password": factories.PASSWORD})
    assert refused.status_code == 200
    assert sign_in(client, user, password="the new password ok").status_code == 302


def test_new_enrolment_link_replaces_a_lost_authenticator(app, session, school):
    """Does new-enrolment-link stop the old authenticator and let the new one enrol?"""
    user = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    session.commit()
    old_secret = factories.totp_secret(user)
    result = app.test_cli_runner().invoke(args=["new-enrolment-link", "--email", user.email])
    assert result.exit_code == 0, result.output
    session.refresh(user)
    assert factories.totp_secret(user) != old_secret and user.totp_enrolled_at is None
    path = re.search(r"https?://[^/]+(/auth/enrol/\S+)", result.output).group(1)
    client = app.test_client()
    assert post_form(client, path, {"password": factories.PASSWORD}).status_code == 302
    done = post_form(client, "/auth/two-factor", {"code": factories.totp_code(user)})
    assert done.location.endswith("/staff/")


def test_audit_verify_finds_an_edited_row(app, session, school):
    """Does audit-verify pass, then name the entry someone edited in the database?"""
    runner = app.test_cli_runner()
    assert runner.invoke(args=["audit-verify"]).exit_code == 0
    first = session.scalar(select(AuditEntry).order_by(AuditEntry.id))
    session.execute(update(AuditEntry).where(AuditEntry.id == first.id).values(action="nothing"))
    session.commit()
    result = runner.invoke(args=["audit-verify"])
    assert result.exit_code == 1 and f"row id {first.id}" in result.output


def test_demo_fills_and_refills_a_school_whose_logins_work(app, session):
    """Does demo make a school, staff and cases, print working logins, and replace itself?"""
    runner = app.test_cli_runner()
    cases = []
    for _ in range(2):
        result = runner.invoke(args=["demo"])
        assert result.exit_code == 0, result.output
        cases.append(session.scalar(select(func.count(Case.id))))
    assert session.scalar(select(func.count(School.id))) == 1
    assert cases[0] == cases[1] >= 6  # six with receipts, and the placement providers' own
    password = re.search(r"password for everyone: (\S+)\)", result.output).group(1)
    email, secret = re.search(r"(pastoral@\S+)\s+TOTP secret (\w+)", result.output).groups()
    client = app.test_client()
    post_form(client, "/auth/login", {"email": email, "password": password})
    done = post_form(client, "/auth/two-factor", {"code": pyotp.TOTP(secret).now()})
    assert done.location.endswith("/staff/")
    receipt = re.search(r"^  (\w{4}-\w{4}-\w{4}-\w{4}-\w{4})", result.output, re.M).group(1)
    assert post_form(client, "/s/northfield/return", {"receipt": receipt}).status_code == 302


def test_end_stale_sessions_destroys_abandoned_key_copies(app, session, school):
    """Does the cron command end idle and abandoned sessions, leaving live ones alone?"""
    user = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    session.commit()
    client = app.test_client()
    sign_in(client, user)  # a live session
    post_form(app.test_client(), "/auth/login", {"email": user.email,
                                                 "password": factories.PASSWORD})  # abandoned
    session.execute(update(StaffSession).where(StaffSession.second_factor_at.is_(None))
                    .values(created_at=utcnow() - timedelta(minutes=10)))
    session.commit()
    result = app.test_cli_runner().invoke(args=["end-stale-sessions"])
    assert result.exit_code == 0 and "Ended 1 stale session." in result.output
    rows = session.scalars(select(StaffSession)).all()
    ended = [r for r in rows if r.ended_at]
    assert len(ended) == 1 and ended[0].sealed_private_key == b""
    assert client.get("/staff/").status_code == 200


def test_set_retention_per_channel(app, session, school):
    """Can an operator set a channel's retention, within sensible bounds, audited?"""
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["set-retention", "--school", "northfield", "--channel", "peer",
                             "--days", "90"])
    assert ok.exit_code == 0, ok.output
    session.expire_all()
    assert session.get(School, school.id).channel(ChannelKind.PEER).retention_days == 90
    refused = runner.invoke(args=["set-retention", "--school", "northfield", "--channel",
                                  "peer", "--days", "5"])
    assert refused.exit_code != 0 and "between 30 and 3650" in refused.output
    assert session.scalar(select(AuditEntry).where(AuditEntry.action == "retention.changed"))


def test_end_stale_sessions_all_ends_every_session(app, session, school, login_as):
    """After a restore, does `end-stale-sessions --all` end even live sessions?"""
    client = login_as(Role.PASTORAL_OFFICER)
    assert client.get("/staff/").status_code == 200
    result = app.test_cli_runner().invoke(args=["end-stale-sessions", "--all"])
    assert result.exit_code == 0 and "Ended 1 stale session." in result.output, result.output
    assert client.get("/staff/").status_code == 302
    assert session.scalar(select(func.count()).select_from(StaffSession)
                          .where(StaffSession.sealed_private_key != b"")) == 0
