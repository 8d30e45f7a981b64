"""Appending to and verifying the hash-chained audit log."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from reporting.models import AuditEntry, AuditHead
from reporting.models.base import utcnow

GENESIS = "0" * 64
INSTALLATION = "installation"


def school_chain(school_id: int) -> str:
    """The chain name for one school's entries."""
    return f"school:{school_id}"


def _digest(entry: AuditEntry) -> str:
    payload = json.dumps(
        [entry.chain, entry.seq, entry.at.isoformat(), entry.actor, entry.action,
         entry.target, entry.detail, entry.prev_hash],
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _locked_head(session: Session, chain: str) -> AuditHead | None:
    """The chain's head, locked for the rest of the caller's transaction (None if no head yet).

    Appends to one chain must take turns, across threads and processes: two that read the
    same head would both write its next `seq`. PostgreSQL locks the head row (FOR UPDATE);
    appends that find no head yet race only to create it, settled by its primary key in
    `record`. SQLite ignores FOR UPDATE, and pysqlite opens its transaction only at the
    first write, so a head read before it may already be old: a write comes first, which
    takes SQLite's single write lock (waiting up to the busy timeout for another writer to
    commit), so the head is read only once no other append can run.
    """
    if session.get_bind().dialect.name == "sqlite":
        session.execute(update(AuditHead).where(AuditHead.chain == chain)
                        .values(seq=AuditHead.seq).execution_options(synchronize_session=False))
    return session.get(AuditHead, chain, with_for_update=True, populate_existing=True)


def record(
    session: Session,
    chain: str,
    actor: str,
    action: str,
    target: str = "",
    **detail: object,
) -> AuditEntry:
    """Append an entry in the caller's transaction. Never pass report contents in `detail`."""
    head = _locked_head(session, chain)
    if head is None:
        try:  # the first entry of a chain: two writers may race to create its head
            with session.begin_nested():
                session.add(AuditHead(chain=chain, seq=0, entry_hash=GENESIS))
        except IntegrityError:
            pass
        head = session.get(AuditHead, chain, with_for_update=True, populate_existing=True)
    entry = AuditEntry(
        chain=chain,
        seq=head.seq + 1,
        at=utcnow().replace(microsecond=0),
        actor=actor,
        action=action,
        target=target,
        detail=json.dumps(detail, sort_keys=True, default=str),
        prev_hash=head.entry_hash,
    )
    entry.entry_hash = _digest(entry)
    head.seq, head.entry_hash = entry.seq, entry.entry_hash
    session.add(entry)
    return entry


@dataclass(frozen=True)
class ChainBreak:
    """The first entry of a chain that does not match what the chain says it should be."""

    chain: str
    seq: int
    entry_id: int
    problem: str


def verify(session: Session) -> list[ChainBreak]:
    """Walk every chain from its start; return the first break of each broken chain."""
    breaks: list[ChainBreak] = []
    heads = {head.chain: head for head in session.scalars(select(AuditHead))}
    chains = set(heads) | set(session.scalars(select(AuditEntry.chain).distinct()))
    for chain in sorted(chains):
        previous, expected_seq = GENESIS, 1
        problem: ChainBreak | None = None
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.chain == chain).order_by(AuditEntry.seq)
        )
        for entry in entries:
            if entry.seq != expected_seq:
                problem = ChainBreak(chain, entry.seq, entry.id, f"expected entry {expected_seq}")
            elif entry.prev_hash != previous:
                problem = ChainBreak(chain, entry.seq, entry.id, "previous hash does not match")
            elif entry.entry_hash != _digest(entry):
                problem = ChainBreak(chain, entry.seq, entry.id, "contents do not match its hash")
            if problem:
                break
            previous, expected_seq = entry.entry_hash, expected_seq + 1
        head = heads.get(chain)
        if problem is None and head is not None and (head.seq, head.entry_hash) != (
            expected_seq - 1, previous
        ):
            problem = ChainBreak(chain, expected_seq, 0, "entries are missing from the end")
        if problem:
            breaks.append(problem)
    return breaks
