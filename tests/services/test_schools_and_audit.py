"""Schools and the audit chain."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from reporting import crypto
from reporting.domain.errors import Conflict
from reporting.domain.roles import ChannelKind
from reporting.models import AuditEntry
from reporting.services import audit
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
