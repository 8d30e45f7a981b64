"""Creating schools (tenants) with their channels and escrow key."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from reporting import crypto
from reporting.domain import sla
from reporting.domain.errors import Conflict
from reporting.domain.roles import ChannelKind
from reporting.models import Channel, School
from reporting.services import audit

ESCROW_CONTEXT = b"belong/escrow-private-key"
MIN_PASSPHRASE = 16


def create_school(
    session: Session,
    actor: str,
    *,
    slug: str,
    name: str,
    escrow_passphrase: str,
    params: crypto.KdfParams,
    urgent_contact: str = "",
) -> School:
    """Create a school with its three channels and an escrow key sealed under the passphrase."""
    if session.scalar(select(School.id).where(School.slug == slug)) is not None:
        raise Conflict(f"a school with the short name {slug!r} already exists")
    if len(escrow_passphrase) < MIN_PASSPHRASE:
        raise Conflict(f"the escrow passphrase needs at least {MIN_PASSPHRASE} characters")
    private, public = crypto.generate_keypair()
    salt = crypto.random_salt()
    kek = crypto.derive_keys(escrow_passphrase, salt, params).key
    school = School(
        slug=slug,
        name=name,
        urgent_contact=urgent_contact,
        receipt_salt=crypto.random_salt(),
        receipt_kdf_params=params.encode(),
        escrow_public_key=public,
        escrow_kdf_salt=salt,
        escrow_kdf_params=params.encode(),
        escrow_private_sealed=crypto.seal(kek, private, ESCROW_CONTEXT),
        channels=[Channel(kind=kind.value, name=kind.label,
                          ack_days=sla.ACKNOWLEDGE_DAYS[kind]) for kind in ChannelKind],
    )
    session.add(school)
    session.flush()
    audit.record(session, audit.school_chain(school.id), actor, "school.create",
                 f"school:{school.id}", slug=slug)
    return school
