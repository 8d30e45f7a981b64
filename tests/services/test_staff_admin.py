"""The admin's staff services: invite, list, deactivate, move, reset; the last admin stays."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from reporting.domain.errors import BelongError, Conflict
from reporting.domain.roles import ChannelKind, Role
from reporting.models import OutboxMessage, StaffSession, WrappedKey
from reporting.services import auth, staff_admin
from reporting.services.casework import NoAccess, staff_keys
from reporting.services.delivery import send_due
from reporting.services.rerouting import WrongPassphrase
from tests import factories
from tests.mailbox import smtp_config
from tests.services.test_reports import private_key

HOUR = timedelta(hours=1)
CONFIG = {"BELONG_HMAC_KEY": factories.HMAC_KEY, "BASE_URL": "https://belong.test"}


def _keys_held(session, user) -> int:
    return session.scalar(select(func.count()).select_from(WrappedKey).where(
        WrappedKey.staff_id == user.id))


def _invite(session, admin, email="new@northfield.example", role=Role.PASTORAL_OFFICER):
    return staff_admin.invite_staff(session, admin, CONFIG, email=email, display_name="New One",
                                    role=role, password=factories.PASSWORD, params=factories.FAST,
                                    lifetime=HOUR)


def test_an_invitation_emails_a_link_sealed_until_sent(app, session, school, admin, smtp,
                                                       mailer):
    """Does an invitation queue one enrolment email whose link is sealed in the outbox and
    erased once sent, and does the email carry a working link?"""
    user = _invite(session, admin)
    session.commit()
    row = session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "enrolment"))
    assert row.staff_id == user.id and row.link_sealed and user.invited_by_id == admin.id
    assert b"/auth/enrol/" not in row.link_sealed
    assert send_due(session, {**CONFIG, **smtp_config(smtp.port)}, mailer,
                    row.deliver_after + timedelta(seconds=1)) == 1
    body = smtp.to(user.email)[0].get_content()
    token = body.split("/auth/enrol/")[1].split()[0]
    assert auth.find_enrolment(session, token).id == user.id
    session.refresh(row)
    assert row.sent_at is not None and row.link_sealed is None


def test_the_list_tells_invited_expired_enrolled_and_deactivated(session, school, admin):
    """Does each account show its state, last sign-in and live sessions?"""
    invited = _invite(session, admin)
    expired = _invite(session, admin, email="late@northfield.example")
    expired.enrolment_expires_at -= 2 * HOUR
    officer = factories.make_staff(session, school, Role.PEER_SUPPORTER)
    session.commit()
    ticket = auth.sign_in(session, officer.email, factories.PASSWORD, factories.FAST)
    pending = auth.find_session(session, ticket.token, auth.SessionTimeouts(
        HOUR, 8 * HOUR, HOUR), pending=True)
    auth.complete_sign_in(session, pending, factories.totp_code(officer), factories.TOTP_KEY)
    session.commit()
    rows = {row.user.id: row for row in staff_admin.staff_rows(session, admin)}
    assert rows[invited.id].state == "invited" and rows[expired.id].state == "link expired"
    assert rows[officer.id].state == "enrolled" and rows[officer.id].sessions == 1
    assert rows[officer.id].last_sign_in is not None and rows[invited.id].last_sign_in is None
    staff_admin.deactivate_staff(session, admin, officer)
    session.commit()
    row = {row.user.id: row for row in staff_admin.staff_rows(session, admin)}[officer.id]
    assert row.state == "deactivated" and row.sessions == 0


def test_deactivating_a_leaver_hands_their_cases_to_the_team(session, school, admin):
    """Do a leaver's sessions end, their keys go, their case return to the team unassigned,
    and a teammate who joined later read it once the passphrase is given?"""
    leaver = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    session.commit()
    case = factories.make_report(session, school).case
    case.assignee_id = leaver.id
    newcomer = factories.make_staff(session, school, Role.PASTORAL_OFFICER,
                                    email="newcomer@northfield.example")
    session.add(StaffSession(token_digest=b"t" * 32, staff_id=leaver.id,
                             sealed_private_key=b"key copy"))
    session.commit()
    with pytest.raises(WrongPassphrase):
        staff_admin.deactivate_staff(session, admin, leaver, "not the passphrase")
    assert leaver.active  # nothing happened
    granted = staff_admin.deactivate_staff(session, admin, leaver, factories.ESCROW_PASSPHRASE)
    session.commit()
    assert granted == 1 and not leaver.active and leaver.deactivated_at is not None
    assert case.assignee_id is None and _keys_held(session, leaver) == 0
    assert leaver.private_key_sealed == b""
    live = session.scalar(select(StaffSession).where(StaffSession.staff_id == leaver.id))
    assert live.ended_at is not None and live.sealed_private_key == b""
    assert staff_keys(session, newcomer, private_key(newcomer), case).content
    with pytest.raises(Conflict):
        staff_admin.deactivate_staff(session, admin, leaver)


def test_the_last_active_admin_stays(session, school, admin):
    """Can the school's only active admin be deactivated? No; once there is another, yes."""
    with pytest.raises(Conflict):
        staff_admin.deactivate_staff(session, admin, admin)
    second = factories.make_staff(session, school, Role.ADMIN, email="second@northfield.example")
    session.commit()
    staff_admin.deactivate_staff(session, second, admin)
    with pytest.raises(Conflict):
        staff_admin.deactivate_staff(session, second, second)
    with pytest.raises(Conflict):  # nor moved into a channel (the only demotion there is)
        staff_admin.move_staff(session, second, second,
                               school.channel(ChannelKind.PASTORAL))


def test_another_schools_admin_cannot_touch_this_schools_staff(session, school, admin):
    """Is another school's admin refused each action on this school's account?"""
    other = factories.make_school(session, slug="southbank")
    outsider = factories.make_staff(session, other, Role.ADMIN)
    officer = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    session.commit()
    with pytest.raises(staff_admin.StaffNotFound):
        staff_admin.find_staff(session, outsider, officer.id)
    with pytest.raises(staff_admin.StaffNotFound):  # never an overflow in the database
        staff_admin.find_staff(session, admin, "9" * 30)
    with pytest.raises(staff_admin.StaffNotFound):
        staff_admin.deactivate_staff(session, outsider, officer)
    with pytest.raises(staff_admin.StaffNotFound):
        staff_admin.reset_staff(session, outsider, CONFIG, officer, password="x" * 12,
                                params=factories.FAST, lifetime=HOUR)
    with pytest.raises(BelongError):
        staff_admin.move_staff(session, outsider, officer,
                               school.channel(ChannelKind.INSTITUTIONAL))
    assert officer.active and officer.staff_role is Role.PASTORAL_OFFICER


def test_a_move_takes_the_old_cases_and_grants_the_new(session, school, admin):
    """Does a handler moved from pastoral to institutional lose the pastoral case (and
    its assignment) and read the institutional one after the escrow grant?"""
    officer = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    session.commit()
    old = factories.make_report(session, school).case
    old.assignee_id = officer.id
    new = factories.make_report(session, school).case
    new.channel = school.channel(ChannelKind.INSTITUTIONAL)
    session.commit()
    staff_admin.move_staff(session, admin, officer, school.channel(ChannelKind.INSTITUTIONAL),
                           factories.ESCROW_PASSPHRASE)
    session.commit()
    assert officer.staff_role is Role.INSTITUTIONAL_OFFICER and old.assignee_id is None
    with pytest.raises(NoAccess):
        staff_keys(session, officer, private_key(officer), old)
    assert staff_keys(session, officer, private_key(officer), new).content


def test_a_reset_gives_a_new_enrolment_and_the_earlier_cases(session, school, admin):
    """After a reset, do the old password and authenticator stop working, an email go out,
    and the earlier case open with the new password?"""
    officer = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    session.commit()
    case = factories.make_report(session, school).case
    old_secret = factories.totp_secret(officer)
    session.commit()
    password = "a brand new password"
    assert staff_admin.reset_staff(session, admin, CONFIG, officer, password=password,
                                   params=factories.FAST, lifetime=HOUR,
                                   passphrase=factories.ESCROW_PASSPHRASE) == 1
    session.commit()
    assert factories.totp_secret(officer) != old_secret and officer.totp_enrolled_at is None
    assert staff_admin.state_of(officer, officer.enrolment_expires_at - HOUR) == "invited"
    assert session.scalar(select(OutboxMessage).where(
        OutboxMessage.kind == "enrolment", OutboxMessage.staff_id == officer.id))
    assert staff_keys(session, officer, private_key(officer, password), case).content
