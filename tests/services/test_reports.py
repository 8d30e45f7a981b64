"""Submitting reports and opening them: keys, scopes, receipts, atomicity."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from reporting import crypto
from reporting.domain import receipts, references
from reporting.domain.errors import Conflict, InvalidReceipt
from reporting.domain.report import Want
from reporting.domain.roles import ChannelKind, Role
from reporting.models import Case, Report, WrappedKey
from reporting.services.casework import NoAccess, staff_keys
from reporting.services.reports import open_receipt, read_fields, reporter_keys
from reporting.services.staff import PRIVATE_KEY_CONTEXT
from tests import factories

NAMED = {"name": "Ada Lovelace", "student_id": "S123", "contact": "ada@example.org"}


def private_key(user, password: str = factories.PASSWORD) -> bytes:
    """A handler's private key, as their sign-in would unseal it."""
    key = crypto.derive_keys(password, user.kdf_salt, factories.FAST).key
    return crypto.unseal(key, user.private_key_sealed, PRIVATE_KEY_CONTEXT)


def test_receipt_opens_own_report_only(session, school):
    """Does a receipt open its report's fields, and fail for a wrong or other school's receipt?"""
    submitted = factories.make_report(session, school, narrative="Only I know this.")
    session.commit()
    access = open_receipt(session, school, submitted.receipt.lower().replace("-", " "))
    assert access.report.id == submitted.report.id
    keys = reporter_keys(session, access.report, access.wrapping_key)
    assert read_fields(access.report, keys) == {"narrative": "Only I know this."}
    with pytest.raises(InvalidReceipt):
        open_receipt(session, school, receipts.new_receipt())
    with pytest.raises(InvalidReceipt):
        open_receipt(session, school, "not a receipt at all")
    other = factories.make_school(session, slug="southbank")
    session.commit()
    with pytest.raises(InvalidReceipt):
        open_receipt(session, other, submitted.receipt)


def test_content_key_goes_to_channel_handlers_escrow_and_reporter_only(session, school):
    """Is the content key wrapped for each handler of the routed channel, and nobody else?"""
    pastoral = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    peer = factories.make_staff(session, school, Role.PEER_SUPPORTER)
    admin = factories.make_staff(session, school, Role.ADMIN)
    submitted = factories.make_report(session, school)  # wants support -> pastoral
    session.commit()
    holders = {(w.scope, w.holder, w.staff_id) for w in session.scalars(
        select(WrappedKey).where(WrappedKey.report_id == submitted.report.id))}
    assert holders == {("content", "escrow", None), ("content", "reporter", None),
                       ("identity", "escrow", None), ("identity", "reporter", None),
                       ("content", "staff", pastoral.id)}
    keys = staff_keys(session, pastoral, private_key(pastoral), submitted.case)
    assert read_fields(submitted.report, keys)["narrative"]
    for outsider in (peer, admin):
        with pytest.raises(NoAccess):
            staff_keys(session, outsider, private_key(outsider), submitted.case)


def test_identity_is_readable_only_where_the_student_shared_it(session, school):
    """Does a handler see a name only if the student shared it with their channel?"""
    pastoral = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    shared = factories.make_report(session, school, identity=NAMED,
                                   share_identity_with=frozenset({ChannelKind.PASTORAL}))
    unshared = factories.make_report(session, school, identity=NAMED)
    session.commit()
    key = private_key(pastoral)
    assert read_fields(shared.report, staff_keys(session, pastoral, key, shared.case))[
        "name"] == "Ada Lovelace"
    hidden = read_fields(unshared.report, staff_keys(session, pastoral, key, unshared.case))
    assert "name" not in hidden and "contact" not in hidden and hidden["narrative"]


def test_peer_supporter_never_gets_identity_unless_shared(session, school):
    """Is a named peer request readable by the peer channel without the student's name?"""
    peer = factories.make_staff(session, school, Role.PEER_SUPPORTER)
    submitted = factories.make_report(session, school, identity=NAMED,
                                      wants=frozenset({Want.PEER}),
                                      share_identity_with=frozenset({ChannelKind.PASTORAL}))
    session.commit()
    assert submitted.case.channel.kind == "peer"
    fields = read_fields(submitted.report, staff_keys(session, peer, private_key(peer),
                                                      submitted.case))
    assert set(fields) == {"narrative"}


def test_anonymous_report_stores_no_identity(session, school):
    """Does an anonymous report store no identity field at all?"""
    submitted = factories.make_report(session, school)
    session.commit()
    assert submitted.report.anonymous
    assert {f.name for f in submitted.report.fields} == {"narrative"}


def test_student_choice_overrides_the_recommendation_and_is_recorded(session, school):
    """When the student picks another channel, does the case go there, with both recorded?"""
    submitted = factories.make_report(session, school, chosen_channel=ChannelKind.PEER)
    session.commit()
    assert (submitted.report.recommended_channel, submitted.report.chosen_channel) == (
        "pastoral", "peer")
    assert submitted.case.channel.kind == "peer"


def test_the_same_submission_cannot_be_filed_twice(session, school):
    """Does a double click (same submission id) file one report, not two?"""
    factories.make_report(session, school, submission_id="once")
    session.commit()
    with pytest.raises(Conflict):
        factories.make_report(session, school, submission_id="once")
    session.rollback()
    assert session.scalar(select(func.count(Report.id))) == 1


def test_failure_half_way_leaves_nothing(session, school, monkeypatch):
    """If something fails after the report row is added, does the rollback leave nothing?"""
    from reporting.services import reports

    def explode(*args, **kwargs):
        raise RuntimeError("injected failure after the report row")

    monkeypatch.setattr(reports.audit, "record", explode)
    with pytest.raises(RuntimeError):
        factories.make_report(session, school)
    session.rollback()
    assert session.scalar(select(func.count(Report.id))) == 0
    assert session.scalar(select(func.count(Case.id))) == 0
    assert session.scalar(select(func.count(WrappedKey.id))) == 0


def test_every_new_case_has_its_own_reference_within_its_school(session, school):
    """Does each case get a well-formed reference, none repeated within the school?"""
    cases = [factories.make_report(session, school).case for _ in range(20)]
    session.commit()
    given = [case.reference for case in cases]
    assert len(set(given)) == len(given)
    assert all(references.normalise(reference) == reference for reference in given)


def test_a_reference_already_taken_is_drawn_again(session, school, monkeypatch):
    """When the first reference drawn belongs to another case of the school, does the
    report still go in, under the next one, with the first case untouched?"""
    first = factories.make_report(session, school).case
    session.commit()
    draws = iter([first.reference, first.reference, "QQ-2345"])
    monkeypatch.setattr(references, "new_reference", lambda: next(draws))
    second = factories.make_report(session, school).case
    session.commit()
    assert second.reference == "QQ-2345" and first.reference != "QQ-2345"
    assert session.scalar(select(func.count()).select_from(Case).where(
        Case.school_id == school.id)) == 2


def test_the_same_reference_may_name_cases_of_two_schools(session, school, monkeypatch):
    """Is a reference unique per school only (another school's case may share it)?"""
    other = factories.make_school(session, slug="southfield", name="Southfield")
    monkeypatch.setattr(references, "new_reference", lambda: "QQ-2345")
    assert factories.make_report(session, school).case.reference == "QQ-2345"
    assert factories.make_report(session, other).case.reference == "QQ-2345"
    session.commit()
