"""Schools, the audit chain, and reports opened by receipt."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from reporting import crypto
from reporting.domain import receipts
from reporting.domain.errors import Conflict, InvalidReceipt
from reporting.domain.roles import ChannelKind, Role
from reporting.models import AuditEntry, WrappedKey
from reporting.services import audit
from reporting.services.reports import open_receipt, read_own_report, wrap_context
from reporting.services.schools import ESCROW_CONTEXT, create_school
from tests import factories


def test_school_gets_three_channels_and_a_sealed_escrow_key(session, school):
    """Does a new school have peer, pastoral and institutional channels and a usable escrow?"""
    assert sorted(c.kind for c in school.channels) == sorted(k.value for k in ChannelKind)
    kek = crypto.derive_keys(factories.ESCROW_PASSPHRASE, school.escrow_kdf_salt,
                             crypto.KdfParams.decode(school.escrow_kdf_params)).key
    assert len(crypto.unseal(kek, school.escrow_private_sealed, ESCROW_CONTEXT)) == 32
    wrong = crypto.derive_keys("not the passphrase!", school.escrow_kdf_salt,
                               crypto.KdfParams.decode(school.escrow_kdf_params)).key
    with pytest.raises(crypto.CryptoError):
        crypto.unseal(wrong, school.escrow_private_sealed, ESCROW_CONTEXT)


def test_duplicate_slug_and_weak_passphrase_are_refused(session, school):
    """Are a second school with the same short name and a short passphrase refused?"""
    with pytest.raises(Conflict):
        factories.make_school(session, slug=school.slug)
    with pytest.raises(Conflict, match="passphrase"):
        create_school(session, "t", slug="other", name="Other", escrow_passphrase="short",
                      params=factories.FAST)


def test_audit_chain_verifies_and_names_an_edited_entry(session, school):
    """Does audit-verify pass an intact chain and name the first entry edited in the DB?"""
    for n in range(5):
        audit.record(session, audit.school_chain(school.id), "test", "thing.done", f"t:{n}")
    session.commit()
    assert audit.verify(session) == []
    third = session.scalar(select(AuditEntry).where(AuditEntry.target == "t:2"))
    session.execute(update(AuditEntry).where(AuditEntry.id == third.id).values(actor="someone"))
    session.commit()
    breaks = audit.verify(session)
    assert [(b.entry_id, b.problem) for b in breaks] == [
        (third.id, "contents do not match its hash")]


def test_audit_chain_notices_a_deleted_entry(session, school):
    """Is a deleted entry in the middle or at the end of a chain found?"""
    for n in range(3):
        audit.record(session, audit.school_chain(school.id), "test", "thing.done", f"t:{n}")
    session.commit()
    last = session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()))
    session.delete(last)
    session.commit()
    assert audit.verify(session)[0].problem == "entries are missing from the end"


def test_receipt_opens_own_report_only(session, school):
    """Does a receipt open its report's fields, and fail for a wrong or other school's receipt?"""
    submitted = factories.make_report(session, school, narrative="Only I know this.")
    session.commit()
    access = open_receipt(session, school, submitted.receipt.lower().replace("-", " "))
    assert access.report.id == submitted.report.id
    assert read_own_report(session, access.report, access.wrapping_key) == {
        "narrative": "Only I know this."}
    with pytest.raises(InvalidReceipt):
        open_receipt(session, school, receipts.new_receipt())
    with pytest.raises(InvalidReceipt):
        open_receipt(session, school, "not a receipt at all")
    other = factories.make_school(session, slug="southbank")
    session.commit()
    with pytest.raises(InvalidReceipt):
        open_receipt(session, other, submitted.receipt)


def test_data_key_is_wrapped_for_channel_handlers_escrow_and_reporter(session, school):
    """Is the data key wrapped for each handler of the routed channel, and nobody else?"""
    pastoral = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    peer = factories.make_staff(session, school, Role.PEER_SUPPORTER)
    admin = factories.make_staff(session, school, Role.ADMIN)
    submitted = factories.make_report(session, school)  # wants support -> pastoral
    session.commit()
    holders = {(w.holder, w.staff_id) for w in session.scalars(
        select(WrappedKey).where(WrappedKey.report_id == submitted.report.id))}
    assert holders == {("escrow", None), ("reporter", None), ("staff", pastoral.id)}
    assert peer.id not in {s for _, s in holders} and admin.id not in {s for _, s in holders}
    wrapped = session.scalar(select(WrappedKey.wrapped).where(WrappedKey.staff_id == pastoral.id))
    private = crypto.unseal(
        crypto.derive_keys(factories.PASSWORD, pastoral.kdf_salt, factories.FAST).key,
        pastoral.private_key_sealed, b"belong/staff-private-key")
    data_key = crypto.unwrap_key(private, wrapped, wrap_context(submitted.report.id))
    narrative = next(f for f in submitted.report.fields if f.name == "narrative")
    assert crypto.unseal(data_key, narrative.ciphertext,
                         crypto.field_context(submitted.report.id, "narrative"))
