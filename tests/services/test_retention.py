"""Retention: closed cases are crypto-shredded on time, statistics survive, holds are kept."""

from __future__ import annotations

import json
import secrets
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from reporting.domain.cases import Action
from reporting.domain.errors import BelongError
from reporting.domain.evidence import TEXT
from reporting.domain.roles import ChannelKind, Role
from reporting.models import (
    AuditEntry,
    Case,
    CaseEvent,
    CaseNote,
    CaseStat,
    CaseStatGround,
    Evidence,
    Message,
    OutboxMessage,
    Report,
    ReportChoice,
    ReportField,
    WrappedKey,
)
from reporting.models.base import utcnow
from reporting.services import audit, handling
from reporting.services.casework import post_staff_message, staff_keys, transition
from reporting.services.evidence import CleanFile
from reporting.services.notifications import notify_reporter, seal_address
from reporting.services.retention import (
    LegalHold,
    delete_on_request,
    purge_expired,
    set_legal_hold,
    settle,
)
from tests import factories
from tests.services.test_no_plaintext import encodings, raw_storage
from tests.services.test_reports import NAMED, private_key

YEAR_LATER = timedelta(days=366)


def _close(session, officer, case, *, withdraw: bool = False) -> None:
    """Take a case to closed (acknowledged, resolved, closed) or have the student withdraw."""
    if withdraw:
        transition(session, case, Action.WITHDRAW, actor_kind="reporter")
        return
    for action in (Action.ACKNOWLEDGE, Action.RESOLVE, Action.CLOSE):
        handling.act(session, officer, case, action, case.version)


def _stats(session) -> list[tuple]:
    """Every statistics row and ground, without the case link (which a purge clears)."""
    rows = session.execute(select(
        CaseStat.id, CaseStat.school_id, CaseStat.channel, CaseStat.kind, CaseStat.created_at,
        CaseStat.month, CaseStat.academic_year, CaseStat.setting, CaseStat.identity,
        CaseStat.urgent, CaseStat.overrode, CaseStat.status, CaseStat.ack_hours,
        CaseStat.first_response_hours, CaseStat.resolution_hours, CaseStat.ack_within_target,
        CaseStat.feedback_within_target, CaseStat.ground_bits, CaseStat.repeat,
    ).order_by(CaseStat.id)).all()
    grounds = session.execute(select(CaseStatGround.stat_id, CaseStatGround.ground)
                              .order_by(CaseStatGround.stat_id, CaseStatGround.ground)).all()
    totals = session.execute(select(CaseStat.channel, CaseStat.status, func.count(),
                                    func.sum(CaseStat.ack_hours))
                             .group_by(CaseStat.channel, CaseStat.status)
                             .order_by(CaseStat.channel, CaseStat.status)).all()
    return [tuple(r) for r in rows] + [tuple(g) for g in grounds] + [tuple(t) for t in totals]


def _blobs(session, case) -> list[bytes]:
    """Every ciphertext and wrapped key the case has, as stored."""
    report_id = case.report_id
    return [*session.scalars(select(ReportField.ciphertext).where(
                ReportField.report_id == report_id)),
            *session.scalars(select(WrappedKey.wrapped).where(WrappedKey.report_id == report_id)),
            *session.scalars(select(Evidence.content_sealed).where(
                Evidence.report_id == report_id)),
            *session.scalars(select(Evidence.name_sealed).where(Evidence.report_id == report_id)),
            *session.scalars(select(Message.body_sealed).where(Message.case_id == case.id)),
            *session.scalars(select(CaseNote.body_sealed).where(CaseNote.case_id == case.id))]


def _storage(engine) -> bytes:
    with engine.connect() as connection:  # make SQLite write everything to the file
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA wal_checkpoint(FULL)")
    return raw_storage(engine)


def _left_for(session, report_id: str, case_id: str) -> dict[str, int]:
    """How many rows of each confidential kind still name the report or case."""
    def count(model, column, value) -> int:
        return session.scalar(select(func.count()).select_from(model).where(column == value))
    return {
        "reports": count(Report, Report.id, report_id),
        "fields": count(ReportField, ReportField.report_id, report_id),
        "wrapped_keys": count(WrappedKey, WrappedKey.report_id, report_id),
        "evidence": count(Evidence, Evidence.report_id, report_id),
        "choices": count(ReportChoice, ReportChoice.report_id, report_id),
        "cases": count(Case, Case.id, case_id),
        "events": count(CaseEvent, CaseEvent.case_id, case_id),
        "messages": count(Message, Message.case_id, case_id),
        "notes": count(CaseNote, CaseNote.case_id, case_id),
    }


def _entries(session, action: str) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)
                                .order_by(AuditEntry.id)))


def test_purge_shreds_the_case_and_keeps_the_statistics(app, session, school, engine):
    """After a purge, are the statistics unchanged and no ciphertext or key of the case left?"""
    canary = f"CANARY{secrets.token_hex(8)}"
    officer = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    kept = factories.make_report(session, school, narrative="Another report, still open.")
    submitted = factories.make_report(
        session, school, narrative=f"It was {canary} on the ward.", identity=NAMED,
        share_identity_with=frozenset({ChannelKind.PASTORAL}),
        files=(CleanFile(f"{canary}.txt", TEXT, f"file says {canary}".encode()),),
        notify_address_sealed=seal_address(app.config, f"{canary}@example.org"))
    case = submitted.case
    keys = staff_keys(session, officer, private_key(officer), case)
    post_staff_message(session, officer, keys, case, f"Reply {canary}")
    notify_reporter(session, case.report)
    handling.add_note(session, officer, keys, case, f"Note {canary}")
    _close(session, officer, case)
    session.commit()
    case_id, report_id = case.id, case.report_id
    stats_before, blobs = _stats(session), _blobs(session, case)
    assert len(blobs) >= 8 and session.scalar(select(func.count()).select_from(OutboxMessage)
                                              .where(OutboxMessage.address_sealed.is_not(None)))

    if engine.dialect.name == "sqlite":  # as SQLite builds without secure delete by default
        session.execute(text("PRAGMA secure_delete = OFF"))
    assert purge_expired(session, utcnow() + YEAR_LATER) == 1
    session.commit()
    settle(session)  # as `flask purge-expired` does after committing

    session.expire_all()
    assert _stats(session) == stats_before
    assert session.scalar(select(func.count()).select_from(CaseStat)
                          .where(CaseStat.case_id.is_(None))) == 1
    assert set(_left_for(session, report_id, case_id).values()) == {0}
    assert session.get(Case, kept.case.id) is not None  # the open case is untouched
    assert session.scalar(select(func.count()).select_from(OutboxMessage)
                          .where(OutboxMessage.address_sealed.is_not(None))) == 0
    storage = _storage(engine)
    assert kept.report.id.encode() in storage  # the scan does see the data
    assert [name for name, pattern in encodings(canary).items() if pattern in storage] == []
    left = [blob.hex()[:16] for blob in blobs if blob in storage or blob.hex().encode() in storage]
    assert left == [], f"ciphertexts or wrapped keys still in the raw database: {left}"


def test_each_purge_is_audited_without_contents(session, school):
    """Is there one entry per purged case and a summary, none holding contents, chain intact?"""
    officer = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    cases = [factories.make_report(session, school, narrative=f"Secret {n}").case
             for n in range(2)]
    for case in cases:
        _close(session, officer, case)
    session.commit()
    assert purge_expired(session, utcnow() + YEAR_LATER, actor="cli") == 2
    session.commit()
    purged = _entries(session, "case.purged")
    assert sorted(e.target for e in purged) == sorted(f"case:{c.id}" for c in cases)
    assert all(json.loads(e.detail) == {"channel": "pastoral", "reason": "retention"}
               for e in purged)
    [summary] = _entries(session, "retention.purge")
    assert (summary.actor, json.loads(summary.detail)) == ("cli", {"count": 2})
    assert summary.chain == audit.school_chain(school.id)
    assert audit.verify(session) == []


def test_rerunning_the_purge_changes_nothing(session, school):
    """Is a second run a no-op: nothing purged, nothing written to the log?"""
    officer = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    _close(session, officer, factories.make_report(session, school).case)
    session.commit()
    later = utcnow() + YEAR_LATER
    assert purge_expired(session, later) == 1
    session.commit()
    entries = session.scalar(select(func.count()).select_from(AuditEntry))
    stats = _stats(session)
    assert purge_expired(session, later) == 0
    session.commit()
    assert session.scalar(select(func.count()).select_from(AuditEntry)) == entries
    assert _stats(session) == stats


def test_only_finished_cases_past_their_channels_period_are_purged(session, school):
    """Are open cases, and cases closed more recently than the period, kept; per channel?"""
    officer = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    still_open = factories.make_report(session, school).case
    closed = factories.make_report(session, school).case
    withdrawn = factories.make_report(session, school).case
    peer = factories.make_report(session, school, chosen_channel=ChannelKind.PEER).case
    _close(session, officer, closed)
    _close(session, officer, withdrawn, withdraw=True)
    _close(session, officer, peer, withdraw=True)
    school.channel(ChannelKind.PEER).retention_days = 30
    session.commit()
    now = utcnow()
    assert purge_expired(session, now + timedelta(days=29)) == 0
    assert purge_expired(session, now + timedelta(days=31)) == 1  # the peer channel's 30 days
    assert purge_expired(session, now + timedelta(days=364)) == 0  # default 365 days
    assert purge_expired(session, now + YEAR_LATER) == 2
    session.commit()
    assert session.scalars(select(Case.id)).all() == [still_open.id]


def test_the_period_runs_from_the_last_closing(session, school):
    """Does a case closed long ago but reopened and closed again count from the last close?"""
    officer = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    case = factories.make_report(session, school).case
    _close(session, officer, case)
    handling.act(session, officer, case, Action.REOPEN, case.version)
    for action in (Action.START, Action.RESOLVE, Action.CLOSE):
        handling.act(session, officer, case, action, case.version)
    now = utcnow()
    first_close = next(e for e in case.events if e.to_status == "closed")
    first_close.at = now - timedelta(days=400)
    session.commit()
    assert purge_expired(session, now + timedelta(days=300)) == 0
    assert purge_expired(session, now + YEAR_LATER) == 1


def test_legal_hold_stops_the_purge_until_lifted(session, school):
    """Is a held case kept past its period, and purged once the hold is lifted?"""
    officer = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    case = factories.make_report(session, school).case
    _close(session, officer, case)
    set_legal_hold(session, officer, case, True, "Solicitor's letter ref 42", case.version)
    session.commit()
    assert purge_expired(session, utcnow() + YEAR_LATER) == 0
    session.commit()
    assert session.get(Case, case.id) is not None
    with pytest.raises(BelongError, match="already under a legal hold"):
        set_legal_hold(session, officer, case, True, "again", case.version)
    set_legal_hold(session, officer, case, False, "Proceedings ended", case.version)
    session.commit()
    held, lifted = _entries(session, "case.legal_hold") + _entries(session,
                                                                   "case.legal_hold_lifted")
    assert (held.actor, held.target) == (f"staff:{officer.id}", f"case:{case.id}")
    assert json.loads(held.detail) == {"reason": "Solicitor's letter ref 42"}
    assert json.loads(lifted.detail) == {"reason": "Proceedings ended"}
    assert purge_expired(session, utcnow() + YEAR_LATER) == 1


def test_a_hold_needs_a_short_reason_and_the_current_version(session, school):
    """Are an empty or long reason, and a stale form, refused?"""
    officer = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    case = factories.make_report(session, school).case
    session.commit()
    for reason in ("  ", "x" * 201):
        with pytest.raises(BelongError, match="reason of up to 200"):
            set_legal_hold(session, officer, case, True, reason, case.version)
    with pytest.raises(BelongError, match="changed since you opened it"):
        set_legal_hold(session, officer, case, True, "ref 1", case.version - 1)
    assert case.legal_hold is False


def test_student_deletion_withdraws_then_shreds(session, school):
    """Does the receipt holder's deletion remove everything but count the case as withdrawn?"""
    submitted = factories.make_report(session, school, files=(CleanFile("a.txt", TEXT, b"hi"),))
    session.commit()
    case_id, report_id = submitted.case.id, submitted.report.id
    delete_on_request(session, submitted.case)
    session.commit()
    assert set(_left_for(session, report_id, case_id).values()) == {0}
    stat = session.scalar(select(CaseStat))
    assert (stat.case_id, stat.status) == (None, "withdrawn")
    [entry] = _entries(session, "case.purged")
    assert (entry.actor, entry.target) == ("reporter", f"case:{case_id}")
    assert json.loads(entry.detail)["reason"] == "student_request"
    assert [e.action for e in _entries(session, "case.withdraw")] == ["case.withdraw"]
    assert audit.verify(session) == []


def test_legal_hold_refuses_the_students_deletion(session, school):
    """Is a held case kept when the student asks for deletion, with a clear reason?"""
    officer = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    case = factories.make_report(session, school).case
    set_legal_hold(session, officer, case, True, "ref 7", case.version)
    session.commit()
    with pytest.raises(LegalHold, match="legal duty to keep it"):
        delete_on_request(session, case)
    session.rollback()
    assert session.get(Case, case.id).status == "submitted"


@pytest.mark.parametrize("finished", [False, True])
def test_a_hold_recorded_meanwhile_wins_over_deletion(engine, session, school, finished):
    """If a handler records a hold after the student's page loaded, is nothing deleted?"""
    officer = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    case = factories.make_report(session, school).case
    if finished:
        _close(session, officer, case, withdraw=True)
    session.commit()
    assert case.legal_hold is False  # loaded before the hold
    with Session(engine) as handler_session:
        seen = handler_session.get(Case, case.id)
        set_legal_hold(handler_session, officer, seen, True, "ref 9", seen.version)
        handler_session.commit()
    with pytest.raises((BelongError, StaleDataError)):
        delete_on_request(session, case)
    session.rollback()
    assert session.get(Case, case.id).legal_hold is True


def test_purge_command_reports_what_it_did(app, session, school):
    """Does `flask purge-expired` purge cases closed long ago and say how many?"""
    officer = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    case = factories.make_report(session, school).case
    _close(session, officer, case)
    for event in case.events:
        event.at -= YEAR_LATER
    session.commit()
    case_id = case.id
    runner = app.test_cli_runner()
    first = runner.invoke(args=["purge-expired"])
    assert first.exit_code == 0 and "Purged 1 case past" in first.output, first.output
    again = runner.invoke(args=["purge-expired"])
    assert "Purged 0 cases" in again.output
    session.expire_all()
    assert session.get(Case, case_id) is None
    assert [e.actor for e in _entries(session, "retention.purge")] == ["cli"]


def test_a_committed_shredding_is_logged_by_id_only(session, school, caplog):
    """Once a deletion commits, is it logged by case id (nothing else), and a rolled-back
    one not at all?"""
    import logging

    kept = factories.make_report(session, school).case
    gone = factories.make_report(session, school).case
    session.commit()
    kept_id, gone_id = kept.id, gone.id
    with caplog.at_level(logging.INFO, logger="belong.retention"):
        delete_on_request(session, kept)
        session.rollback()
        delete_on_request(session, gone)
        session.commit()
    lines = [record.getMessage() for record in caplog.records
             if record.name == "belong.retention"]
    assert lines == [f"shredded case {gone_id} (student_request)"]
    assert kept_id not in " ".join(lines)


def test_after_a_restore_shredded_cases_are_purged_again(app, session, school):
    """Does `flask purge-again` purge the cases the log names, keep held ones, and say so?"""
    officer = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    back, held = (factories.make_report(session, school).case for _ in range(2))
    set_legal_hold(session, officer, held, True, "ref 12", held.version)
    session.commit()
    back_id, held_id = back.id, held.id
    result = app.test_cli_runner().invoke(args=["purge-again", str(back_id), str(held_id),
                                                "no-such-case"])
    assert result.exit_code == 0, result.output
    assert "Purged 1 case again; 1 were already gone." in result.output
    assert f"kept (decide with the school): {held_id}" in result.output
    session.expire_all()
    assert session.get(Case, back_id) is None and session.get(Case, held_id) is not None
    [entry] = _entries(session, "case.purged")
    assert json.loads(entry.detail)["reason"] == "after_restore"
