"""A case two teams share (a routing rule's `also`): keys, queues, notifications, who leads,
identity, re-routing, escrow grants and statistics, with real crypto and no pages."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from reporting import crypto
from reporting.domain.cases import Action
from reporting.domain.errors import BelongError
from reporting.domain.report import Ground, Urgency, Want
from reporting.domain.roles import ChannelKind, Role
from reporting.models import AuditEntry, CaseStat, ChannelMembership, OutboxMessage, WrappedKey
from reporting.services import (
    followup,
    handling,
    peer,
    queries,
    queue_counts,
    rerouting,
    routing_rules,
)
from reporting.services.casework import NoAccess, post_staff_message, staff_keys
from reporting.services.reports import IDENTITY, read_fields, reporter_keys, wrap_context
from reporting.services.retention import set_legal_hold
from tests import factories
from tests.services.test_reports import NAMED, private_key

INST, PAST, PEER = ChannelKind.INSTITUTIONAL, ChannelKind.PASTORAL, ChannelKind.PEER


@pytest.fixture
def team(session, school):
    """One handler in each channel of the school, and an admin."""
    made = {role: factories.make_staff(session, school, role) for role in
            (Role.INSTITUTIONAL_OFFICER, Role.PASTORAL_OFFICER, Role.PEER_SUPPORTER, Role.ADMIN)}
    session.commit()
    return made


def _not_safe(session, school, **overrides):
    """A report from a student who said they are not safe (the baseline shares it)."""
    submitted = factories.make_report(session, school, not_safe=True, urgency=Urgency.HIGH,
                                      **overrides)
    session.commit()
    return submitted


def _cases(rows: list[queries.QueueRow]) -> list:
    return [row.case for row in rows]


def _student_keys(session, school, submitted):
    key = factories.reporter_wrapping_key(session, school, submitted.receipt)
    return reporter_keys(session, submitted.report, key)


def test_not_safe_is_led_by_safeguarding_and_shared_with_pastoral(session, school, team):
    """Is a not-safe report routed to the institutional team, shared with pastoral, urgent?"""
    case = _not_safe(session, school).case
    assert (case.channel.kind, case.also_channel.kind, case.urgent) == ("institutional",
                                                                        "pastoral", True)
    assert [t.kind for t in case.teams] == ["institutional", "pastoral"]
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "report.submit"))
    assert json.loads(entry.detail)["also"] == "pastoral"


def test_both_teams_hold_the_content_key_and_read_the_case(session, school, team):
    """Can a handler of each team unwrap the content key and decrypt the narrative?"""
    case = _not_safe(session, school, narrative="He follows me home from the ward.").case
    for role in (Role.INSTITUTIONAL_OFFICER, Role.PASTORAL_OFFICER):
        user = team[role]
        assert handling.find_case(session, user, case.id) is case
        view = handling.open_case(session, user, private_key(user), case)
        assert view.fields["narrative"] == "He follows me home from the ward."


def test_a_third_channel_or_another_school_still_cannot_find_or_read_it(session, school, team):
    """Is the shared case 'not found' for the peer channel and for another school's officers,
    and do they hold no key for it?"""
    case = _not_safe(session, school).case
    other = factories.make_school(session, slug="southbank")
    outsiders = [team[Role.PEER_SUPPORTER],
                 factories.make_staff(session, other, Role.PASTORAL_OFFICER),
                 factories.make_staff(session, other, Role.INSTITUTIONAL_OFFICER)]
    session.commit()
    for user in outsiders:
        with pytest.raises(handling.CaseNotFound):
            handling.find_case(session, user, case.id)
        with pytest.raises(NoAccess):
            staff_keys(session, user, private_key(user), case)
        assert case not in _cases(queries.handler_queue(session, user, queries.QueueFilter())[0])


def test_the_case_is_in_both_queues_once_and_both_teams_are_told(session, school, team):
    """Is the case in both officers' queues (once each), and is each team notified?"""
    case = _not_safe(session, school).case
    for role in (Role.INSTITUTIONAL_OFFICER, Role.PASTORAL_OFFICER):
        rows, total = queries.handler_queue(session, team[role], queries.QueueFilter())
        assert (_cases(rows), total) == ([case], 1)
        assert queue_counts.status_counts(session, team[role])["submitted"] == 1
    told = set(session.scalars(select(OutboxMessage.staff_id).where(
        OutboxMessage.kind == "case_attention")))
    assert told == {team[Role.INSTITUTIONAL_OFFICER].id, team[Role.PASTORAL_OFFICER].id}


def test_a_handler_in_both_teams_gets_one_key_and_one_email(session, school, team):
    """Does someone in both channels get each key once (no duplicate wraps or emails)?"""
    both = team[Role.PASTORAL_OFFICER]
    both.memberships.append(ChannelMembership(channel=school.channel(INST)))
    session.commit()
    case = _not_safe(session, school, identity=NAMED,
                     share_identity_with=frozenset({INST, PAST})).case
    wraps = session.scalar(select(func.count(WrappedKey.id)).where(
        WrappedKey.report_id == case.report_id, WrappedKey.staff_id == both.id))
    emails = session.scalar(select(func.count(OutboxMessage.id)).where(
        OutboxMessage.staff_id == both.id))
    assert (wraps, emails) == (2, 1)


def test_identity_reaches_only_the_teams_the_student_chose(session, school, team):
    """Named, and shared with the safeguarding team only: does pastoral get no identity key,
    so that its private key can open no identity wrap and it reads no name?"""
    submitted = _not_safe(session, school, identity=NAMED, share_identity_with=frozenset({INST}))
    case = submitted.case
    edi, pastoral = team[Role.INSTITUTIONAL_OFFICER], team[Role.PASTORAL_OFFICER]
    edi_keys = staff_keys(session, edi, private_key(edi), case)
    assert read_fields(case.report, edi_keys)["name"] == "Ada Lovelace"
    pastoral_keys = staff_keys(session, pastoral, private_key(pastoral), case)
    assert pastoral_keys.identity is None
    assert "name" not in read_fields(case.report, pastoral_keys)
    assert not handling.open_case(session, pastoral, private_key(pastoral), case).identity_shared
    # Real crypto: nothing pastoral holds opens any identity wrap, nor the sealed name.
    identity_wraps = session.scalars(select(WrappedKey).where(
        WrappedKey.report_id == case.report_id, WrappedKey.scope == IDENTITY)).all()
    assert identity_wraps
    for wrap in identity_wraps:
        with pytest.raises(crypto.CryptoError):
            crypto.unwrap_key(private_key(pastoral), wrap.wrapped,
                              wrap_context(case.report_id, IDENTITY))
    name = next(f for f in case.report.fields if f.name == "name")
    with pytest.raises(crypto.CryptoError):
        crypto.unseal(pastoral_keys.content, name.ciphertext,
                      crypto.field_context(case.report_id, "name"))


def test_changing_sharing_reaches_the_second_team_too(session, school, team):
    """When the student ticks pastoral later, does pastoral get the name; unticking removes it?"""
    submitted = _not_safe(session, school, identity=NAMED, share_identity_with=frozenset({INST}))
    case, pastoral = submitted.case, team[Role.PASTORAL_OFFICER]
    keys = _student_keys(session, school, submitted)
    followup.change_sharing(session, case, keys, frozenset({INST, PAST}))
    session.commit()
    assert staff_keys(session, pastoral, private_key(pastoral), case).identity is not None
    followup.change_sharing(session, case, keys, frozenset({PAST}))
    session.commit()
    edi = team[Role.INSTITUTIONAL_OFFICER]
    assert staff_keys(session, edi, private_key(edi), case).identity is None
    assert staff_keys(session, pastoral, private_key(pastoral), case).identity is not None
    assert followup.readers_of(case).named_to == [case.also_channel]


def test_also_works_for_any_rule_of_a_school(session, school, team):
    """Do a school's own rules share cases (with any second team, not only the baseline's)?"""
    routing_rules.save_rules(session, team[Role.ADMIN], school, (
        "when ground disability then pastoral also peer because A peer and pastoral staff.\n"
        "when wants formal then institutional because Formal.\n"
        "otherwise pastoral also institutional because Both can help.\n"))
    session.commit()
    disability = factories.make_report(session, school, grounds=frozenset({Ground.DISABILITY}))
    formal = factories.make_report(session, school, wants=frozenset({Want.FORMAL}))
    other = factories.make_report(session, school)
    session.commit()
    assert (disability.case.channel.kind, disability.case.also_channel.kind) == ("pastoral",
                                                                                 "peer")
    assert formal.case.also_channel is None
    assert (other.case.channel.kind, other.case.also_channel.kind) == ("pastoral",
                                                                       "institutional")
    supporter = team[Role.PEER_SUPPORTER]
    assert staff_keys(session, supporter, private_key(supporter), disability.case).content
    with pytest.raises(handling.CaseNotFound):
        handling.find_case(session, supporter, other.case.id)


def test_a_student_who_chooses_another_team_is_read_by_that_team_only(session, school, team):
    """If the student picks another team than the recommended lead, is nothing shared?"""
    case = _not_safe(session, school, chosen_channel=PAST).case
    assert (case.channel.kind, case.also_channel) == ("pastoral", None)
    edi = team[Role.INSTITUTIONAL_OFFICER]
    with pytest.raises(NoAccess):
        staff_keys(session, edi, private_key(edi), case)


def test_a_team_the_student_was_not_shown_never_reads_it(session, school, team):
    """If the review page named no second team (rules changed, or the database was away when
    it was shown), is the report kept to the lead team?"""
    hidden = _not_safe(session, school, chosen_channel=INST, also_shown=frozenset()).case
    shown = _not_safe(session, school, chosen_channel=INST, also_shown=frozenset({PAST})).case
    assert hidden.also_channel is None and shown.also_channel.kind == "pastoral"
    pastoral = team[Role.PASTORAL_OFFICER]
    with pytest.raises(NoAccess):
        staff_keys(session, pastoral, private_key(pastoral), hidden)


def test_both_teams_can_act_and_only_the_lead_owns_the_case(session, school, team):
    """May pastoral acknowledge, write and note, but not claim, resolve or re-route?"""
    case = _not_safe(session, school).case
    pastoral, edi = team[Role.PASTORAL_OFFICER], team[Role.INSTITUTIONAL_OFFICER]
    for action in ("acknowledge", "message", "note"):
        handling.check_may(pastoral, case, action)
    for action in ("claim", "assign", "start", "resolve", "outcome", "reroute", "legal_hold",
                   "ask_reporter"):
        with pytest.raises(BelongError, match="leads this case"):
            handling.check_may(pastoral, case, action)
        handling.check_may(edi, case, action)
    handling.act(session, pastoral, case, Action.ACKNOWLEDGE, case.version)
    keys = staff_keys(session, pastoral, private_key(pastoral), case)
    post_staff_message(session, pastoral, keys, case, "We are here for you today.")
    handling.add_note(session, pastoral, keys, case, "Called the student.")
    session.commit()
    assert case.status == "acknowledged"
    edi_keys = staff_keys(session, edi, private_key(edi), case)
    assert handling.open_case(session, edi, private_key(edi), case).notes[0][1] == \
        "Called the student."
    assert edi_keys.content == keys.content


def test_the_student_sees_which_team_wrote(session, school, team):
    """Does a message from the sharing team carry that team's name, not the lead's?"""
    submitted = _not_safe(session, school)
    case = submitted.case
    for role, text in ((Role.PASTORAL_OFFICER, "From pastoral."),
                       (Role.INSTITUTIONAL_OFFICER, "From safeguarding.")):
        user = team[role]
        post_staff_message(session, user, staff_keys(session, user, private_key(user), case),
                           case, text)
    session.commit()
    view = followup.reporter_view(case, _student_keys(session, school, submitted))
    assert [(m.author, m.text) for m in view.messages] == [
        ("Pastoral and wellbeing support", "From pastoral."),
        ("Formal complaints and EDI office", "From safeguarding.")]
    assert [t.kind for t in view.readers.teams] == ["institutional", "pastoral"]


def test_a_student_reply_tells_the_assignee_and_the_sharing_team(session, school, team):
    """Once the lead has claimed it, does a student's reply reach the owner and pastoral?"""
    submitted = _not_safe(session, school)
    edi, pastoral = team[Role.INSTITUTIONAL_OFFICER], team[Role.PASTORAL_OFFICER]
    colleague = factories.make_staff(session, school, Role.INSTITUTIONAL_OFFICER,
                                     email="second@n.example")
    session.commit()
    handling.claim(session, edi, submitted.case)
    session.execute(OutboxMessage.__table__.delete())
    followup.reply(session, submitted.case, _student_keys(session, school, submitted), "Thanks")
    session.commit()
    told = set(session.scalars(select(OutboxMessage.staff_id)))
    assert told == {edi.id, pastoral.id} and colleague.id not in told


def test_a_pastoral_handler_added_later_is_granted_through_escrow(session, school, team):
    """Does an escrow grant give a newcomer to the sharing team the case, and the identity
    only if the student shared it with pastoral?"""
    shared = _not_safe(session, school, identity=NAMED,
                       share_identity_with=frozenset({INST, PAST})).case
    private = _not_safe(session, school, identity=NAMED,
                        share_identity_with=frozenset({INST})).case
    newcomer = factories.make_staff(session, school, Role.PASTORAL_OFFICER, email="new@n.example")
    session.commit()
    with pytest.raises(NoAccess):
        staff_keys(session, newcomer, private_key(newcomer), shared)
    granted = rerouting.grant_from_escrow(session, team[Role.ADMIN], school,
                                          factories.ESCROW_PASSPHRASE, newcomer)
    session.commit()
    assert granted == 2
    assert staff_keys(session, newcomer, private_key(newcomer), shared).identity is not None
    assert staff_keys(session, newcomer, private_key(newcomer), private).identity is None


def test_moving_to_the_sharing_team_is_narrowing_and_unshares(session, school, team):
    """Re-routed to pastoral (who already read it): does it move at once, with the
    safeguarding team's keys gone and no second team left?"""
    case = _not_safe(session, school).case
    edi, pastoral = team[Role.INSTITUTIONAL_OFFICER], team[Role.PASTORAL_OFFICER]
    assert rerouting.request_reroute(session, edi, case, school.channel(PAST),
                                     "Safe now; pastoral support leads.") is None
    session.commit()
    assert (case.channel.kind, case.also_channel) == ("pastoral", None)
    with pytest.raises(NoAccess):
        staff_keys(session, edi, private_key(edi), case)
    assert staff_keys(session, pastoral, private_key(pastoral), case).content
    event = case.events[-1]
    assert event.action == "reroute"
    assert event.reason.startswith("institutional (also pastoral) -> pastoral")


def test_widening_a_shared_case_waits_for_consent_then_only_the_new_team_reads(
        session, school, team):
    """A move to the peer team needs the student's yes; after it, do both old teams lose it?"""
    submitted = _not_safe(session, school)
    case, supporter = submitted.case, team[Role.PEER_SUPPORTER]
    request = rerouting.request_reroute(session, team[Role.INSTITUTIONAL_OFFICER], case,
                                        school.channel(PEER), "A peer could help.")
    session.commit()
    assert request is not None and case.also_channel.kind == "pastoral"
    with pytest.raises(NoAccess):
        staff_keys(session, supporter, private_key(supporter), case)
    rerouting.decide_consent(session, case, _student_keys(session, school, submitted), request,
                             approve=True)
    session.commit()
    assert (case.channel.kind, case.also_channel) == ("peer", None)
    assert staff_keys(session, supporter, private_key(supporter), case).content
    for role in (Role.INSTITUTIONAL_OFFICER, Role.PASTORAL_OFFICER):
        with pytest.raises(NoAccess):
            staff_keys(session, team[role], private_key(team[role]), case)
        with pytest.raises(handling.CaseNotFound):
            handling.find_case(session, team[role], case.id)


def test_peer_requests_are_never_shared(session, school, team):
    """Even under a rule that shares peer cases, is a peer request one team's, then one
    supporter's once accepted?"""
    routing_rules.save_rules(session, team[Role.ADMIN], school,
                             "otherwise peer also pastoral because Peers and pastoral.\n")
    session.commit()
    submitted = peer.request_connection(session, school, frozenset({"race"}), "Hello")
    session.commit()
    assert submitted.case.also_channel is None
    peer.accept(session, team[Role.PEER_SUPPORTER], submitted.case)
    session.commit()
    pastoral = team[Role.PASTORAL_OFFICER]
    with pytest.raises(NoAccess):
        staff_keys(session, pastoral, private_key(pastoral), submitted.case)


def test_statistics_count_a_shared_case_once_with_its_lead(session, school, team):
    """Is a shared case one statistics row, under the lead channel, and one case overall?"""
    _not_safe(session, school)
    rows = session.scalars(select(CaseStat)).all()
    assert [(r.channel, r.urgent) for r in rows] == [("institutional", True)]
    counts = {channel.kind: total for channel, total, _ in
              queries.channel_overview(session, school.id)}
    assert counts == {"peer": 0, "pastoral": 0, "institutional": 1}


def test_a_queue_mixing_led_and_shared_cases_keeps_its_order_and_pages(session, school, team,
                                                                       monkeypatch):
    """Are led and shared cases merged urgent first, then by deadline, paged and counted as
    one queue (each part is searched on its own index)?"""
    monkeypatch.setattr(queries, "PAGE_SIZE", 2)
    routine = factories.make_report(session, school).case  # pastoral leads
    urgent_own = factories.make_report(session, school, urgency=Urgency.HIGH).case
    shared = _not_safe(session, school).case  # pastoral shares it
    session.commit()
    pastoral = team[Role.PASTORAL_OFFICER]
    first, total = queries.handler_queue(session, pastoral, queries.QueueFilter())
    second, _ = queries.handler_queue(session, pastoral, queries.QueueFilter(page=2))
    expected = sorted([urgent_own, shared], key=lambda c: c.due_at) + [routine]
    assert (_cases(first + second), total) == (expected, 3)
    only_shared, count = queries.handler_queue(session, pastoral, queries.QueueFilter(
        urgency="urgent", channel_id=school.channel(PAST).id))
    assert count == 2 and shared in _cases(only_shared)
    assert queue_counts.status_counts(session, pastoral)["submitted"] == 3


def test_the_second_team_cannot_do_what_the_lead_does_even_bypassing_the_page(
        session, school, team):
    """Called directly, do the services themselves refuse the second team a move, a
    resolution, a re-route, a legal hold and a question that stops the clock, changing
    nothing?"""
    case = _not_safe(session, school).case
    pastoral, edi = team[Role.PASTORAL_OFFICER], team[Role.INSTITUTIONAL_OFFICER]
    handling.act(session, pastoral, case, Action.ACKNOWLEDGE, case.version)  # allowed
    keys = staff_keys(session, pastoral, private_key(pastoral), case)
    handling.write_to_student(session, pastoral, keys, case, "We are here.", case.version)
    session.commit()
    for attempt in (
            lambda: handling.act(session, pastoral, case, Action.START, case.version),
            lambda: handling.act(session, pastoral, case, Action.RESOLVE, case.version),
            lambda: rerouting.request_reroute(session, pastoral, case, school.channel(PAST),
                                              "Pastoral should lead this."),
            lambda: set_legal_hold(session, pastoral, case, True, "Solicitor's letter",
                                   case.version),
            lambda: handling.write_to_student(session, pastoral, keys, case, "Can we talk?",
                                              case.version, ask=True)):
        with pytest.raises(BelongError, match="leads this case"):
            attempt()
        session.rollback()
    session.expire_all()
    assert (case.status, case.channel.kind, case.legal_hold) == ("acknowledged", INST, False)
    assert len(case.messages) == 1  # the question was refused, the message before it kept
    handling.act(session, edi, case, Action.START, case.version)  # the lead team may
    session.commit()
    assert case.status == "in_progress"
