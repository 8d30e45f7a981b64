"""Rules that narrow who reads a case, called directly (no page in between): the peer rules,
and conflicts of interest (a handler steps away, or a lead keeps a colleague off a case)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from reporting.domain.errors import BelongError
from reporting.domain.report import Want
from reporting.domain.roles import ChannelKind, Role
from reporting.models import AuditEntry, CaseExclusion, OutboxMessage, WrappedKey
from reporting.services import conflicts, followup, handling, peer, rerouting
from reporting.services.casework import NoAccess, staff_keys
from reporting.services.reports import IDENTITY, reporter_keys
from tests import factories
from tests.services.test_reports import NAMED, private_key


def _staff(session, school, role, name, **kwargs):
    return factories.make_staff(session, school, role, email=f"{name}@n.example", **kwargs)


def _keys(session, user, case):
    return staff_keys(session, user, private_key(user), case)


def _holders(session, case, scope="content"):
    return set(session.scalars(select(WrappedKey.staff_id).where(
        WrappedKey.report_id == case.report_id, WrappedKey.holder == "staff",
        WrappedKey.scope == scope)))


def _student_keys(session, school, submitted):
    key = factories.reporter_wrapping_key(session, school, submitted.receipt)
    return reporter_keys(session, submitted.report, key)


@pytest.fixture
def team(session, school):
    """Two pastoral officers (the first leads the channel), one institutional officer, one
    admin."""
    made = {"lead": _staff(session, school, Role.PASTORAL_OFFICER, "lead", lead=True),
            "colleague": _staff(session, school, Role.PASTORAL_OFFICER, "colleague"),
            "edi": _staff(session, school, Role.INSTITUTIONAL_OFFICER, "edi"),
            "admin": _staff(session, school, Role.ADMIN, "admin")}
    session.commit()
    return made


# Point 6: the peer rules hold in the service.

def test_a_peer_request_cannot_be_claimed_so_no_other_supporter_keeps_a_key(session, school):
    """Claiming a peer request directly: refused, and every supporter's key where it was?
    (Only accepting it, which removes the others' keys, makes it one supporter's.)"""
    one, other = (_staff(session, school, Role.PEER_SUPPORTER, n) for n in ("one", "other"))
    session.commit()
    case = peer.request_connection(session, school, frozenset({"race"})).case
    session.commit()
    with pytest.raises(BelongError, match="accepted, not claimed"):
        handling.claim(session, one, case)
    session.rollback()
    assert case.assignee_id is None and _holders(session, case) == {one.id, other.id}
    peer.accept(session, one, case)
    session.commit()
    assert _holders(session, case) == {one.id}


def test_only_a_peer_supporter_can_accept_a_peer_request(session, school, team):
    """Can a pastoral officer accept a peer request by calling the service? No, and the
    supporter keeps their key."""
    supporter = _staff(session, school, Role.PEER_SUPPORTER, "supporter")
    session.commit()
    case = peer.request_connection(session, school, frozenset({"race"})).case
    session.commit()
    with pytest.raises(BelongError, match="only they can do that"):
        peer.accept(session, team["lead"], case)
    session.rollback()
    assert case.assignee_id is None and _holders(session, case) == {supporter.id}


def test_the_sharing_team_cannot_claim_or_assign_through_the_service(session, school, team):
    """On a case institutional leads and pastoral shares: are claim and assign refused to
    pastoral in the service itself, not only by the page?"""
    case = factories.make_report(session, school, not_safe=True).case
    session.commit()
    with pytest.raises(BelongError, match="only they can do that"):
        handling.claim(session, team["colleague"], case)
    with pytest.raises(BelongError, match="only they can do that"):
        handling.assign(session, team["colleague"], case, team["colleague"].id, case.version)
    assert case.assignee_id is None


# Point 9: conflicts of interest.

def test_a_handler_who_declares_a_conflict_steps_away_for_good(session, school, team):
    """Declaring: keys gone, case unassigned and out of sight, the team told, the step
    audited; and can they take it on again? No."""
    me, colleague = team["colleague"], team["lead"]
    case = factories.make_report(session, school).case
    session.commit()
    handling.claim(session, me, case)
    session.commit()
    conflicts.declare_conflict(session, me, _keys(session, me, case), case, case.version)
    session.commit()
    assert case.assignee_id is None and _holders(session, case) == {colleague.id}
    with pytest.raises(handling.CaseNotFound):
        handling.find_case(session, me, case.id)
    assert handling.find_case(session, colleague, case.id) is case
    exclusion = session.get(CaseExclusion, (case.id, me.id))
    assert (exclusion.kind, exclusion.by_staff_id) == ("declared", me.id)
    entry = session.scalar(select(AuditEntry).where(
        AuditEntry.action == "case.conflict_declared"))
    assert entry.actor == f"staff:{me.id}" and entry.target == f"case:{case.id}"
    assert session.scalar(select(OutboxMessage).where(OutboxMessage.staff_id == colleague.id))
    with pytest.raises(BelongError, match="stepped away"):
        handling.take(session, me, case)
    with pytest.raises(BelongError, match="not kept off"):
        handling.assign(session, colleague, case, me.id, case.version)
    with pytest.raises(BelongError, match="a team you lead"):  # not twice
        conflicts.exclude_colleague(session, colleague, case, me.id, case.version)
    with pytest.raises(BelongError, match="already kept off"):
        conflicts.declare_conflict(session, me, _keys(session, colleague, case), case,
                                   case.version)


def test_declaring_on_an_accepted_peer_request_gives_it_back_to_every_supporter(session,
                                                                               school):
    """The supporter who accepted a request steps away: do the other supporters hold its
    key again (accepting had taken theirs), and not the one who stepped away?"""
    one, two, three = (_staff(session, school, Role.PEER_SUPPORTER, n)
                       for n in ("one", "two", "three"))
    session.commit()
    case = peer.request_connection(session, school, frozenset({"race"})).case
    session.commit()
    peer.accept(session, one, case)
    session.commit()
    conflicts.declare_conflict(session, one, _keys(session, one, case), case, case.version)
    session.commit()
    assert case.assignee_id is None and _holders(session, case) == {two.id, three.id}
    assert _keys(session, two, case).content == _keys(session, three, case).content
    assert {m.supporter.id for m in peer.suggest(session, case)} == {two.id, three.id}


def test_a_lead_keeps_a_colleague_off_a_case(session, school, team):
    """A channel lead excludes a colleague: keys gone, out of their queue, audited with who
    did it; and may a colleague who is not a lead, or a lead of another team, do the same?"""
    lead, colleague, edi = team["lead"], team["colleague"], team["edi"]
    case = factories.make_report(session, school).case
    session.commit()
    with pytest.raises(BelongError, match="a team you lead"):
        conflicts.exclude_colleague(session, colleague, case, lead.id, case.version)
    with pytest.raises(BelongError, match="declare a conflict"):
        conflicts.exclude_colleague(session, lead, case, lead.id, case.version)
    assert [h.id for h in conflicts.excludable(session, lead, case)] == [colleague.id]
    conflicts.exclude_colleague(session, lead, case, colleague.id, case.version)
    session.commit()
    assert _holders(session, case) == {lead.id}
    with pytest.raises(handling.CaseNotFound):
        handling.find_case(session, colleague, case.id)
    exclusion = session.get(CaseExclusion, (case.id, colleague.id))
    assert (exclusion.kind, exclusion.by_staff_id) == ("excluded", lead.id)
    entry = session.scalar(select(AuditEntry).where(
        AuditEntry.action == "case.conflict_excluded"))
    assert entry.actor == f"staff:{lead.id}"
    other_lead = _staff(session, school, Role.INSTITUTIONAL_OFFICER, "edilead", lead=True)
    session.commit()
    with pytest.raises(BelongError, match="a team you lead"):
        conflicts.exclude_colleague(session, other_lead, case, edi.id, case.version)
    assert conflicts.excludable(session, lead, case) == []


def test_a_stale_form_excludes_nobody(session, school, team):
    """Is a declaration or an exclusion from an older version of the case refused?"""
    case = factories.make_report(session, school).case
    session.commit()
    with pytest.raises(BelongError, match="changed since you opened it"):
        conflicts.exclude_colleague(session, team["lead"], case, team["colleague"].id, 0)
    with pytest.raises(BelongError, match="changed since you opened it"):
        conflicts.declare_conflict(session, team["colleague"],
                                   _keys(session, team["colleague"], case), case, 0)
    assert session.scalar(select(CaseExclusion)) is None


def test_no_later_step_gives_an_excluded_handler_the_keys_again(session, school, team):
    """After a lead keeps a colleague off a named case: does a change of sharing, an escrow
    grant, a move away and back (with the student's consent), or a student's reply give
    them a key, or even an email? No; their colleague gets everything due."""
    lead, colleague, edi = team["lead"], team["colleague"], team["edi"]
    submitted = factories.make_report(session, school, identity=NAMED,
                                      share_identity_with=frozenset({ChannelKind.PASTORAL}))
    case = submitted.case
    session.commit()
    conflicts.exclude_colleague(session, lead, case, colleague.id, case.version)
    session.commit()
    student = _student_keys(session, school, submitted)
    followup.change_sharing(session, case, student,
                            frozenset({ChannelKind.PASTORAL, ChannelKind.INSTITUTIONAL}))
    session.commit()
    assert _holders(session, case, IDENTITY) == {lead.id}
    assert rerouting.grant_from_escrow(session, team["admin"], school,
                                       factories.ESCROW_PASSPHRASE, colleague) == 0
    for to in (ChannelKind.INSTITUTIONAL, ChannelKind.PASTORAL):
        request = rerouting.request_reroute(session, lead if to is ChannelKind.INSTITUTIONAL
                                            else edi, case, school.channel(to), "Better placed.")
        rerouting.decide_consent(session, case, student, request, approve=True)
        session.commit()
    assert case.channel.kind == "pastoral"
    assert _holders(session, case) == _holders(session, case, IDENTITY) == {lead.id}
    with pytest.raises(NoAccess):
        _keys(session, colleague, case)
    session.query(OutboxMessage).delete()
    followup.reply(session, case, student, "Any news?")
    session.commit()
    told = set(session.scalars(select(OutboxMessage.staff_id)))
    assert lead.id in told and colleague.id not in told


def test_a_student_may_say_who_to_avoid_and_routing_does(session, school, team):
    """A formal complaint about someone who may work in the EDI office: does it go to
    pastoral support, with the student's answer sealed for the team that reads it?"""
    submitted = factories.make_report(session, school, wants=frozenset({Want.FORMAL}),
                                      works_in=ChannelKind.INSTITUTIONAL)
    session.commit()
    case = submitted.case
    assert case.channel.kind == "pastoral" and case.also_channel is None
    assert _holders(session, case) == {team["lead"].id, team["colleague"].id}
    view = handling.open_case(session, team["lead"], private_key(team["lead"]), case)
    assert view.fields["works_in"] == "institutional"
    assert b"institutional" not in b"".join(f.ciphertext for f in case.report.fields)
