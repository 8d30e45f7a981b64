"""Threads: a student writes to a volunteer without an account and comes back with a
receipt; the volunteer reads with their key pair, as a handler reads a report.

Each thread has a random data key; every message is sealed under it, bound to the thread
and its place. The key is wrapped for the volunteer's public key and sealed under a key
derived from the student's receipt (one Argon2id derivation per use, as for reports). No
address is asked of the student; the volunteer is told of new messages by a content-free
email. Either side may end the thread, or flag it: an admin then sees its dates, counts,
who flagged it and why, never its words.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from reporting import crypto
from reporting.domain import receipts
from reporting.domain.errors import InvalidReceipt
from reporting.domain.role_models import (
    FLAG_REASONS,
    SIDES,
    InvalidMessage,
    KeyReplaced,
    NotAllowed,
    ThreadEnded,
    check_message,
    excerpt_context,
    key_context,
    message_context,
)
from reporting.domain.roles import Role
from reporting.domain.words import N_
from reporting.models import (
    OutboxMessage,
    RoleModelMessage,
    RoleModelProfile,
    RoleModelThread,
    School,
    StaffUser,
)
from reporting.models.base import utcnow
from reporting.services import audit
from reporting.services.rerouting import open_escrow


@dataclass(frozen=True)
class Started:
    """A new thread and the receipt to show the student once."""

    thread: RoleModelThread
    receipt: str


@dataclass(frozen=True)
class ShownMessage:
    """A message as either side sees it."""

    from_student: bool
    at: datetime
    text: str


@dataclass(frozen=True)
class StudentAccess:
    """What a receipt opened: the thread and its data key."""

    thread: RoleModelThread
    key: bytes


def _derive(school: School, typed: str) -> tuple[str | None, crypto.DerivedKeys]:
    compact = receipts.normalise(typed)
    return compact, crypto.derive_keys(compact or typed[:64], school.receipt_salt,
                                       crypto.KdfParams.decode(school.receipt_kdf_params))


def _audit(session: Session, thread: RoleModelThread, actor: str, action: str, **detail) -> None:
    audit.record(session, audit.school_chain(thread.school_id), actor, action,
                 f"role_model_thread:{thread.id}", **detail)


def _seal(thread: RoleModelThread, key: bytes, text: str, from_student: bool) -> None:
    if thread.ended_at is not None:
        raise ThreadEnded(N_("This conversation has ended, so no more messages can be sent."))
    seq = thread.message_count + 1
    thread.messages.append(RoleModelMessage(
        seq=seq, from_student=from_student,
        ciphertext=crypto.seal(key, check_message(text).encode(),
                               message_context(thread.id, seq))))
    thread.message_count, thread.last_message_at = seq, utcnow()


def _tell_volunteer(session: Session, thread: RoleModelThread) -> None:
    session.add(OutboxMessage(kind="thread_message", staff_id=thread.profile.staff_id,
                              school_id=thread.school_id))


def start_thread(session: Session, school: School, profile: RoleModelProfile,
                 text: str) -> Started:
    """A student's first message to an approved volunteer; the receipt opens the thread."""
    if profile.school_id != school.id or profile.status != "approved":
        raise NotAllowed(N_("That volunteer is not taking messages."))
    volunteer = session.get(StaffUser, profile.staff_id)
    if volunteer is None or not volunteer.active:
        raise NotAllowed(N_("That volunteer is not taking messages."))
    check_message(text)
    receipt = receipts.new_receipt()
    _, derived = _derive(school, receipt)
    thread_id, key = secrets.token_hex(16), crypto.random_key()
    thread = RoleModelThread(
        id=thread_id, school_id=school.id, profile=profile,
        receipt_verifier=derived.verifier, message_count=0,
        key_for_volunteer=crypto.wrap_key(volunteer.public_key, key,
                                          key_context(thread_id, "volunteer")),
        key_for_student=crypto.seal(derived.key, key, key_context(thread_id, "student")))
    session.add(thread)
    _seal(thread, key, text, from_student=True)
    _tell_volunteer(session, thread)
    _audit(session, thread, "student", "role_model.thread_started")
    session.commit()
    return Started(thread, receipt)


def open_with_receipt(session: Session, school: School, typed: str) -> StudentAccess:
    """The thread a receipt belongs to, with exactly one key derivation (InvalidReceipt)."""
    compact, derived = _derive(school, typed)
    thread = session.scalar(select(RoleModelThread).where(
        RoleModelThread.receipt_verifier == derived.verifier,
        RoleModelThread.school_id == school.id))
    if compact is None or thread is None:
        raise InvalidReceipt
    key = crypto.unseal(derived.key, thread.key_for_student, key_context(thread.id, "student"))
    return StudentAccess(thread, key)


def read(thread: RoleModelThread, key: bytes) -> list[ShownMessage]:
    """The thread's messages, opened."""
    return [ShownMessage(item.from_student, item.created_at, crypto.unseal(
        key, item.ciphertext, message_context(thread.id, item.seq)).decode())
        for item in thread.messages]


def student_writes(session: Session, access: StudentAccess, text: str) -> None:
    """The student's next message; the volunteer is told, without its words."""
    _seal(access.thread, access.key, text, from_student=True)
    access.thread.volunteer_unread = True
    _tell_volunteer(session, access.thread)
    session.commit()


def _own(volunteer: StaffUser, thread: RoleModelThread) -> None:
    if volunteer.staff_role is not Role.ROLE_MODEL or not volunteer.active \
            or thread.profile.staff_id != volunteer.id:
        raise NotAllowed(N_("This conversation is not yours."))


def volunteer_threads(session: Session, volunteer: StaffUser) -> list[RoleModelThread]:
    """The volunteer's threads, the latest activity first."""
    if volunteer.staff_role is not Role.ROLE_MODEL:
        raise NotAllowed(N_("Only role-model volunteers have conversations."))
    return list(session.scalars(select(RoleModelThread).join(RoleModelProfile).where(
        RoleModelProfile.staff_id == volunteer.id)
        .order_by(RoleModelThread.last_message_at.desc())))


def find_for_volunteer(session: Session, volunteer: StaffUser,
                       thread_id: str) -> RoleModelThread:
    """One of the volunteer's own threads (NotAllowed for anyone else's)."""
    thread = session.get(RoleModelThread, str(thread_id)[:32])
    if thread is None:
        raise NotAllowed(N_("This conversation is not yours."))
    _own(volunteer, thread)
    return thread


def volunteer_key(volunteer: StaffUser, thread: RoleModelThread, private_key: bytes) -> bytes:
    """The thread's key, unwrapped with the volunteer's private key (KeyReplaced if the
    thread was wrapped for the key pair they had before a reset)."""
    _own(volunteer, thread)
    try:
        return crypto.unwrap_key(private_key, thread.key_for_volunteer,
                                 key_context(thread.id, "volunteer"))
    except crypto.CryptoError as error:
        raise KeyReplaced(N_("This conversation began before your sign-in was reset, so "
                             "your new key cannot open it. The student can still read it "
                             "with their receipt, and can write to you again.")) from error


def open_for_volunteer(session: Session, volunteer: StaffUser, thread: RoleModelThread,
                       private_key: bytes) -> list[ShownMessage]:
    """The volunteer reads a thread (audited, as a read of a case is)."""
    messages = read(thread, volunteer_key(volunteer, thread, private_key))
    thread.volunteer_unread = False
    _audit(session, thread, f"staff:{volunteer.id}", "role_model.thread_read")
    session.commit()
    return messages


def volunteer_writes(session: Session, volunteer: StaffUser, thread: RoleModelThread,
                     private_key: bytes, text: str) -> None:
    """The volunteer's answer; the student sees it when they come back with the receipt."""
    _seal(thread, volunteer_key(volunteer, thread, private_key), text, from_student=False)
    _audit(session, thread, f"staff:{volunteer.id}", "role_model.thread_answered")
    session.commit()


def end_thread(session: Session, thread: RoleModelThread, side: str, actor: str) -> None:
    """Either side ends the thread: no more messages from anyone."""
    if side not in SIDES:
        raise ValueError(side)
    if thread.ended_at is None:
        thread.ended_at, thread.ended_by = utcnow(), side
        _audit(session, thread, actor, "role_model.thread_ended", by=side)
        session.commit()


def flag_thread(session: Session, thread: RoleModelThread, side: str, actor: str,
                reason: str, excerpt: str = "") -> None:
    """Either side asks an admin to look: the admin sees metadata, never the thread's words;
    only what the flagger chose to type as an excerpt, sealed for the school's escrow key.
    The student's flag stands: a volunteer flagging after them changes nothing they see."""
    if side not in SIDES:
        raise ValueError(side)
    if reason not in FLAG_REASONS:
        raise InvalidMessage(N_("Choose why you are flagging this conversation."))
    if thread.flagged_by == "student" and side != "student":
        # A volunteer never replaces the student's flag or what they shared: their own
        # flag is kept in the audit log, beside the student's.
        _audit(session, thread, actor, "role_model.thread_flagged", by=side, reason=reason,
               shared=False, kept="student")
        session.commit()
        return
    thread.flagged_at, thread.flagged_by, thread.flag_reason = utcnow(), side, reason
    if excerpt.strip():
        key, school = crypto.random_key(), session.get(School, thread.school_id)
        thread.flag_excerpt = crypto.seal(key, check_message(excerpt).encode(),
                                          excerpt_context(thread.id, "text"))
        thread.flag_excerpt_key = crypto.wrap_key(school.escrow_public_key, key,
                                                  excerpt_context(thread.id, "key"))
    _audit(session, thread, actor, "role_model.thread_flagged", by=side, reason=reason,
           shared=bool(thread.flag_excerpt))
    session.commit()


def read_flag_excerpt(session: Session, admin: StaffUser, thread: RoleModelThread,
                      passphrase: str) -> str:
    """What the flagger shared, for an admin of the thread's school with the escrow
    passphrase (WrongPassphrase otherwise); each reading is audited."""
    if admin.staff_role is not Role.ADMIN or thread.flag_excerpt_key is None:
        raise NotAllowed(N_("Nothing was shared with the admins."))
    school = session.get(School, thread.school_id)
    escrow = open_escrow(session, admin, school, passphrase, f"role_model_thread:{thread.id}")
    key = crypto.unwrap_key(escrow, thread.flag_excerpt_key, excerpt_context(thread.id, "key"))
    text = crypto.unseal(key, thread.flag_excerpt, excerpt_context(thread.id, "text")).decode()
    _audit(session, thread, f"staff:{admin.id}", "role_model.flag_excerpt_read")
    session.commit()
    return text


def flagged_threads(session: Session, admin: StaffUser) -> list[RoleModelThread]:
    """The admin's school's flagged threads: their metadata is all an admin may see."""
    if admin.staff_role is not Role.ADMIN:
        raise NotAllowed(N_("Only admins see flagged conversations."))
    return list(session.scalars(select(RoleModelThread).where(
        RoleModelThread.school_id == admin.school_id, RoleModelThread.flagged_at.is_not(None))
        .order_by(RoleModelThread.flagged_at.desc())))
