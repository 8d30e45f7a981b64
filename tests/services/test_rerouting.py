"""Re-routing with consent, and escrow grants for handlers who arrive later."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from reporting.domain.errors import BelongError
from reporting.domain.roles import ChannelKind, Role
from reporting.models import AuditEntry, ChannelMembership, ConsentRequest
from reporting.services import followup, handling, rerouting
from reporting.services.casework import NoAccess, post_staff_message, staff_keys
from reporting.services.reports import reporter_keys
from reporting.services.staff import remove_from_channel, reset_password
from tests import factories
from tests.services.test_reports import NAMED, private_key


@pytest.fixture
def people(session, school):
    made = {role: factories.make_staff(session, school, role) for role in
            (Role.PASTORAL_OFFICER, Role.INSTITUTIONAL_OFFICER, Role.PEER_SUPPORTER, Role.ADMIN)}
    session.commit()
    return made


def _student_keys(session, school, submitted):
    key = factories.reporter_wrapping_key(session, school, submitted.receipt)
    return reporter_keys(session, submitted.report, key)


def test_widening_waits_for_the_student_then_moves_with_keys(session, school, people):
    """Does a re-route to a new team wait for consent, and on 'yes' give that team the keys?"""
    pastoral, edi = people[Role.PASTORAL_OFFICER], people[Role.INSTITUTIONAL_OFFICER]
    submitted = factories.make_report(session, school, identity=NAMED,
                                      share_identity_with=frozenset({ChannelKind.INSTITUTIONAL,
                                                                     ChannelKind.PASTORAL}))
    case = submitted.case
    request = rerouting.request_reroute(session, pastoral, case,
                                        school.channel(ChannelKind.INSTITUTIONAL),
                                        "A formal investigation is needed.")
    session.commit()
    assert request is not None and case.channel.kind == "pastoral"
    with pytest.raises(NoAccess):
        staff_keys(session, edi, private_key(edi), case)
    rerouting.decide_consent(session, case, _student_keys(session, school, submitted), request,
                             approve=True)
    session.commit()
    assert case.channel.kind == "institutional"
    keys = staff_keys(session, edi, private_key(edi), case)
    assert keys.identity is not None  # the student had shared their name with this team
    with pytest.raises(NoAccess):  # the old team no longer holds a key
        staff_keys(session, pastoral, private_key(pastoral), case)
    assert case.events[-1].action == "reroute" and "formal investigation" in case.events[-1].reason


def test_a_declined_reroute_changes_nothing(session, school, people):
    """If the student says no, does the case stay where it is, keys untouched?"""
    pastoral, peer = people[Role.PASTORAL_OFFICER], people[Role.PEER_SUPPORTER]
    submitted = factories.make_report(session, school)
    request = rerouting.request_reroute(session, pastoral, submitted.case,
                                        school.channel(ChannelKind.PEER), "A peer could help.")
    rerouting.decide_consent(session, submitted.case, _student_keys(session, school, submitted),
                             request, approve=False)
    session.commit()
    assert submitted.case.channel.kind == "pastoral" and request.decision == "declined"
    with pytest.raises(NoAccess):
        staff_keys(session, peer, private_key(peer), submitted.case)
    with pytest.raises(BelongError):
        rerouting.decide_consent(session, submitted.case, _student_keys(
            session, school, submitted), request, approve=True)


def test_narrowing_is_immediate(session, school, people):
    """Moving to a team whose members already hold keys: no consent, others lose access."""
    pastoral, edi = people[Role.PASTORAL_OFFICER], people[Role.INSTITUTIONAL_OFFICER]
    edi.memberships.append(ChannelMembership(channel=school.channel(ChannelKind.PASTORAL)))
    session.commit()
    submitted = factories.make_report(session, school)  # pastoral: both hold keys
    session.commit()
    assert rerouting.request_reroute(session, edi, submitted.case,
                                     school.channel(ChannelKind.INSTITUTIONAL),
                                     "Formal route agreed.") is None
    session.commit()
    assert submitted.case.channel.kind == "institutional"
    with pytest.raises(NoAccess):
        staff_keys(session, pastoral, private_key(pastoral), submitted.case)
    assert staff_keys(session, edi, private_key(edi), submitted.case).content


def test_a_message_keeps_the_team_that_wrote_it_after_a_move(session, school, people):
    """After a move, does the student still see the old team's name on its message (and the
    new team's on theirs), do the new team's handlers see who wrote it, and does the move
    read once in the student's history, with no line for any message?"""
    pastoral, edi = people[Role.PASTORAL_OFFICER], people[Role.INSTITUTIONAL_OFFICER]
    submitted = factories.make_report(session, school)
    case = submitted.case
    post_staff_message(session, pastoral, staff_keys(session, pastoral, private_key(pastoral),
                                                     case), case, "From pastoral.")
    request = rerouting.request_reroute(session, pastoral, case,
                                        school.channel(ChannelKind.INSTITUTIONAL), "Formal.")
    student = _student_keys(session, school, submitted)
    rerouting.decide_consent(session, case, student, request, approve=True)
    post_staff_message(session, edi, staff_keys(session, edi, private_key(edi), case), case,
                       "From the EDI office.")
    session.commit()
    session.expire_all()
    view = followup.reporter_view(case, student)
    assert [(m.author, m.text) for m in view.messages] == [
        ("Pastoral and wellbeing support", "From pastoral."),
        ("Formal complaints and EDI office", "From the EDI office.")]
    assert [line.text for line in view.history] == ["Submitted", "Moved to another team"]
    staff_view = handling.open_case(session, edi, private_key(edi), case)
    assert [m.channel.kind for m, _ in staff_view.messages] == ["pastoral", "institutional"]


def test_moving_to_an_empty_team_still_asks_the_student(session, school, people):
    """A team with nobody in it yet would let future members read: is consent asked?"""
    people[Role.PEER_SUPPORTER].active = False
    submitted = factories.make_report(session, school)
    request = rerouting.request_reroute(session, people[Role.PASTORAL_OFFICER], submitted.case,
                                        school.channel(ChannelKind.PEER), "Peer support.")
    session.commit()
    assert request is not None and submitted.case.channel.kind == "pastoral"


def test_a_reroute_needs_a_reason(session, school, people):
    """Is a re-route without a reason refused?"""
    submitted = factories.make_report(session, school)
    with pytest.raises(BelongError, match="Say why"):
        rerouting.request_reroute(session, people[Role.PASTORAL_OFFICER], submitted.case,
                                  school.channel(ChannelKind.PEER), "  ")
    assert not session.scalars(select(ConsentRequest)).all()


def test_new_handler_reads_old_cases_only_after_an_escrow_grant(session, school, people):
    """Can a handler who joined later read an old case only after the admin's escrow grant?"""
    old = factories.make_report(session, school, identity=NAMED).case
    session.commit()
    newcomer = factories.make_staff(session, school, Role.PASTORAL_OFFICER, email="new@n.example")
    session.commit()
    with pytest.raises(NoAccess):
        staff_keys(session, newcomer, private_key(newcomer), old)
    with pytest.raises(rerouting.WrongPassphrase):
        rerouting.grant_from_escrow(session, people[Role.ADMIN], school, "wrong passphrase!!",
                                    newcomer)
    assert session.scalar(select(AuditEntry).where(AuditEntry.action == "escrow.unlock_failed"))
    granted = rerouting.grant_from_escrow(session, people[Role.ADMIN], school,
                                          factories.ESCROW_PASSPHRASE, newcomer)
    session.commit()
    assert granted == 1
    keys = staff_keys(session, newcomer, private_key(newcomer), old)
    assert keys.identity is None  # the student never shared their name with pastoral
    assert session.scalar(select(AuditEntry).where(AuditEntry.action == "escrow.grant"))


def test_reset_handler_is_regranted_through_escrow(session, school, people):
    """After an admin password reset, are old cases closed until an escrow re-grant?"""
    pastoral = people[Role.PASTORAL_OFFICER]
    case = factories.make_report(session, school).case
    session.commit()
    reset_password(session, "admin", pastoral, password=factories.PASSWORD + "!",
                   params=factories.FAST)
    session.commit()
    new_key = private_key(pastoral, factories.PASSWORD + "!")
    with pytest.raises(NoAccess):  # the reset destroyed the wraps made for the old key
        staff_keys(session, pastoral, new_key, case)
    rerouting.grant_from_escrow(session, people[Role.ADMIN], school,
                                factories.ESCROW_PASSPHRASE, pastoral)
    session.commit()
    assert staff_keys(session, pastoral, new_key, case).content


def test_removed_handler_gets_no_new_cases(session, school, people):
    """Once removed from the channel, does a handler get no key for new cases?"""
    pastoral = people[Role.PASTORAL_OFFICER]
    remove_from_channel(session, "admin", pastoral, school.channel(ChannelKind.PASTORAL))
    session.commit()
    case = factories.make_report(session, school).case
    session.commit()
    with pytest.raises(NoAccess):
        staff_keys(session, pastoral, private_key(pastoral), case)
