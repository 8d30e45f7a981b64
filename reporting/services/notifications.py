"""Queueing email notifications. They say only that something needs attention, and to a
handler which case by its reference: never a name, a ground, a channel detail or any
report contents. Delivery is in services/delivery.py.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from reporting import crypto
from reporting.models import Case, OutboxMessage, Report, StaffUser
from reporting.models.base import utcnow
from reporting.services.queries import channel_handlers

NOTIFY_CONTEXT = b"belong/notify-address"
ENROLMENT_CONTEXT = b"belong/enrolment-link"
ENROLMENT_REASONS = ("invited", "reset")
DIGEST_HOUR = 7  # UTC: a daily digest goes out at this hour


def notify_key(config: dict) -> bytes:
    """The server key that seals the addresses of students who asked for reply emails."""
    return crypto.server_key(config["BELONG_HMAC_KEY"], "notify-address")


def seal_address(config: dict, address: str) -> bytes:
    """Seal a student's notification address."""
    return crypto.seal(notify_key(config), address.encode(), NOTIFY_CONTEXT)


def open_address(config: dict, sealed: bytes) -> str:
    """Open a student's notification address (only the mailer does this)."""
    return crypto.unseal(notify_key(config), sealed, NOTIFY_CONTEXT).decode()


def next_digest(now: datetime) -> datetime:
    """When the next daily digest goes out."""
    today = datetime.combine(now.date(), time(DIGEST_HOUR), tzinfo=now.tzinfo)
    return today if now < today else today + timedelta(days=1)


def _attention(session: Session, case: Case) -> list[StaffUser]:
    """Who hears of a case: its assignee (or else the lead team), and the team it is shared
    with, each once; never anyone kept off it."""
    lead = ([case.assignee] if case.assignee_id and case.assignee
            else channel_handlers(session, case.channel_id, case.id))
    shared = (channel_handlers(session, case.also_channel_id, case.id)
              if case.also_channel_id else [])
    return list({handler.id: handler for handler in lead + shared}.values())


def notify_handlers(session: Session, case: Case,
                    handlers: list[StaffUser] | None = None) -> None:
    """Tell each handler of the case's teams (or the given ones) that it needs attention."""
    now = utcnow()
    session.add_all(
        OutboxMessage(kind="case_attention", staff_id=handler.id, school_id=case.school_id,
                      case_id=case.id,
                      deliver_after=now if handler.notify_mode == "immediate"
                      else next_digest(now))
        for handler in (_attention(session, case) if handlers is None else handlers)
    )


def notify_reporter(session: Session, report: Report) -> None:
    """Tell a student who opted in that a reply is waiting."""
    if report.notify_email_sealed:
        session.add(OutboxMessage(kind="reply_waiting", address_sealed=report.notify_email_sealed,
                                  school_id=report.school_id, language=report.language))


def notify_enrolment(session: Session, config: dict, user: StaffUser, token: str,
                     reason: str) -> None:
    """Queue a staff member's enrolment link (an invitation or a reset), sealed until sent.

    Any earlier enrolment email still waiting goes: its link no longer works.
    """
    if reason not in ENROLMENT_REASONS:
        raise ValueError(reason)
    drop_enrolment_emails(session, user)
    sealed = crypto.seal(notify_key(config), f"{reason}:{token}".encode(), ENROLMENT_CONTEXT)
    session.add(OutboxMessage(kind="enrolment", staff_id=user.id, school_id=user.school_id,
                              link_sealed=sealed))


def open_enrolment(config: dict, sealed: bytes) -> tuple[str, str]:
    """The reason and token of a queued enrolment email (only the mailer does this)."""
    reason, token = crypto.unseal(notify_key(config), sealed, ENROLMENT_CONTEXT).decode() \
        .split(":", 1)
    return reason, token


def drop_enrolment_emails(session: Session, user: StaffUser) -> None:
    """Forget a staff member's unsent enrolment emails (a new link, or they left)."""
    session.execute(delete(OutboxMessage).where(
        OutboxMessage.staff_id == user.id, OutboxMessage.kind == "enrolment",
        OutboxMessage.sent_at.is_(None)))
