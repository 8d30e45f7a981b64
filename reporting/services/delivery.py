"""Delivering queued notification emails: each once, never with any contents.

A sender claims each row before it sends it: one UPDATE that succeeds only while
the row is unsent and unclaimed, committed before the email goes. Two senders
(workers, app servers, the timer) can never both claim a row, on PostgreSQL and
SQLite alike. A sender that dies between claim and send leaves a claim that
expires after CLAIM_LEASE; only then is that one email sent again.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from babel.dates import format_datetime
from flask import Flask
from flask_babel import force_locale, get_locale, ngettext
from sqlalchemy import Select, or_, select, update
from sqlalchemy.orm import Session

from reporting import job_queue
from reporting.crypto import CryptoError, token_digest
from reporting.domain.addresses import one_address
from reporting.domain.placements import ALERT_SUBJECTS, pattern_kind
from reporting.domain.words import N_
from reporting.extensions import db
from reporting.i18n import DEFAULT, LANGUAGES
from reporting.mail import Mailer, MailError, MailUnavailable
from reporting.models import Case, OutboxMessage, PatternAlert, School, StaffUser
from reporting.models.base import utcnow
from reporting.services.notifications import open_address, open_enrolment

log = logging.getLogger("belong.delivery")

# Longer than any send can take (mail.SMTP_TIMEOUT per connection).
CLAIM_LEASE = timedelta(minutes=10)
ATTENTION_SUBJECT = N_("%(case)s in your Belong queue needs attention")
REPLY_SUBJECT = N_("A reply is waiting for you in Belong")
THREAD_SUBJECT = N_("A student wrote to you on Belong")
THREAD_BODY = N_("""Hello,

A student wrote to you through Belong's role models. Sign in to read it and answer:

%(link)s

This email holds nothing of what they wrote, on purpose.
""")
ATTENTION_BODY = N_("""Hello,

%(case)s in your Belong queue needs attention. Sign in to see it:

%(link)s

This email names the case by its reference only, on purpose. Please do not forward it.
""")
REPLY_BODY = N_("""Hello,

A reply is waiting for you in Belong. To read it, go to:

%(link)s

You will need your receipt: the code Belong showed you once. We never send
receipts by email and cannot recover a lost one.

If you did not expect this email, you can ignore it.
""")

ESCALATION_SUBJECT = N_("%(case)s in Belong is near or past its response deadline")
ESCALATION_BODY = N_("""Hello,

%(case)s in your Belong channel is near or past its response deadline. Sign in to see it:

%(link)s

This email names the case by its reference only, on purpose. Please do not forward it.
""")

HELP_SUBJECT = N_("%(name)s asked for help with their Belong password")
HELP_BODY = N_("""Hello,

Someone used "Forgot your password?" on Belong's sign-in page with the address of
%(name)s (%(email)s). Nothing about their account has changed.

If they did lose their password, reset their sign-in on the Staff page (link below): they
get a new enrolment link by email, and you give them the new password in person or by
phone, never by email. Type the school's escrow passphrase there to give them back their
earlier cases.

If they did not ask, someone else typed their address: there is nothing to do.

%(link)s
""")

PATTERN_BODY = N_("""Hello,

%(subject)s at your school, past the number you set for a term.

Sign in to Belong to see the figures, suppressed as always to protect students:

%(link)s

This email says which kind of pattern rose and nothing else, on purpose: no provider,
setting or ground, and no report. Please do not forward it.
""")

ENROLMENT_SUBJECTS = {"invited": N_("You are invited to Belong"),
                      "reset": N_("Your Belong sign-in was reset")}
ENROLMENT_OPENINGS = {
    "invited": N_("An administrator of your school has made you a Belong account."),
    "reset": N_("An administrator of your school has reset your Belong sign-in: your old "
                "password and authenticator no longer work. Cases you handled come back to "
                "you through the school's escrow key."),
}
ENROLMENT_BODY = N_("""Hello,

%(opening)s

Set up your account with this link. It works once, and only until %(expires)s:

%(link)s

%(needs)s If you did not expect this email, tell your school's
Belong administrator.
""")
ENROLMENT_NEEDS = {
    "password": N_("You will need the password your administrator gives you separately (never "
                   "by email), and\nan authenticator app on your phone."),
    "sso": N_("You will sign in with your university account, the one for this address.\n"
              "Belong keeps no password for you."),
}


@dataclass(frozen=True)
class Email:
    """One email to send, and the outbox rows it answers for."""

    to: str
    subject: str
    body: str
    rows: tuple[OutboxMessage, ...]


def digest_subject(count: int) -> str:
    """The subject of a handler's daily summary."""
    return ngettext("Belong daily summary: %(num)d case needs your attention",
                    "Belong daily summary: %(num)d cases need your attention", count)


def digest_body(count: int, cases: str, link: str) -> str:
    """The body of a handler's daily summary (Welsh has six plural forms)."""
    return ngettext("""Hello,

%(num)d case in your Belong queue needs your attention: %(cases)s. Sign in to see them:

%(link)s

This summary names the cases by their references only, on purpose. Please do not forward it.
""",
                    """Hello,

%(num)d cases in your Belong queue need your attention: %(cases)s. Sign in to see them:

%(link)s

This summary names the cases by their references only, on purpose. Please do not forward it.
""", count, cases=cases, link=link)


def case_words(session: Session, row: OutboxMessage) -> str:
    """How an email names its case: "Case NF-7K3Q", or "A case" once it is deleted."""
    reference = session.scalar(select(Case.reference).where(Case.id == row.case_id)) \
        if row.case_id else None
    return str(N_("Case %(reference)s") % {"reference": reference} if reference
               else N_("A case"))


def _claimable(now: datetime):
    """Rows no sender holds: unsent, and unclaimed or with a claim past its lease."""
    return (OutboxMessage.sent_at.is_(None),
            or_(OutboxMessage.claimed_at.is_(None), OutboxMessage.claimed_at < now - CLAIM_LEASE))


def _due(now: datetime, skip: Iterable[int] = ()) -> Select[tuple[OutboxMessage]]:
    """Claimable rows due by `now`, oldest first."""
    return (select(OutboxMessage)
            .where(*_claimable(now), OutboxMessage.deliver_after <= now,
                   OutboxMessage.id.not_in(list(skip)))
            .order_by(OutboxMessage.id))


def _claim(session: Session, rows: Iterable[OutboxMessage], token: str,
           now: datetime) -> list[OutboxMessage]:
    """Claim rows for this sender and commit; return those it got (others hold the rest)."""
    ids = [row.id for row in rows]
    session.execute(update(OutboxMessage)
                    .where(OutboxMessage.id.in_(ids), *_claimable(now))
                    .values(claimed_at=now, claim_token=token)
                    .execution_options(synchronize_session=False))
    session.commit()
    return list(session.scalars(select(OutboxMessage).where(
        OutboxMessage.id.in_(ids), OutboxMessage.claim_token == token,
        OutboxMessage.sent_at.is_(None)).order_by(OutboxMessage.id)))


def _release(session: Session, rows: Iterable[OutboxMessage]) -> None:
    """Give claimed rows back unsent, for the next run."""
    for row in rows:
        row.claimed_at = row.claim_token = None
    session.commit()


def _handler_email(session: Session, config: Mapping, row: OutboxMessage,
                   now: datetime, token: str) -> Email | None:
    """A handler's email: one per row, or one summary of all due rows in digest mode."""
    staff = session.get(StaffUser, row.staff_id) if row.staff_id is not None else None
    if staff is None or not staff.active:
        return None  # a deactivated account gets nothing
    link = f"{config['BASE_URL']}/staff/"
    if staff.notify_mode != "digest":
        case = case_words(session, row)
        return Email(staff.email, ATTENTION_SUBJECT % {"case": case},
                     ATTENTION_BODY % {"case": case, "link": link}, (row,))
    others = _claim(session, session.scalars(_due(now).where(
        OutboxMessage.staff_id == staff.id, OutboxMessage.kind == "case_attention",
        OutboxMessage.id != row.id)), token, now)
    rows = (row, *others)
    named = ", ".join(dict.fromkeys(case_words(session, item) for item in rows))
    body = digest_body(len(rows), named, link)
    return Email(staff.email, digest_subject(len(rows)), body, rows)


def _reply_email(session: Session, config: Mapping, row: OutboxMessage) -> Email | None:
    """A student's "a reply is waiting" email, to the address they gave."""
    school = session.get(School, row.school_id)
    if row.address_sealed is None or school is None:
        return None
    try:
        address = open_address(config, row.address_sealed)
    except CryptoError:
        return None  # sealed under a key this server no longer has
    if one_address(address) is None:
        return None  # kept before addresses were checked: never retried, never sent
    link = f"{config['BASE_URL']}/s/{school.slug}/return"
    return Email(address, str(REPLY_SUBJECT), REPLY_BODY % {"link": link}, (row,))


def _escalation_email(session: Session, config: Mapping, row: OutboxMessage) -> Email | None:
    """A lead's or admin's "near or past its deadline" email: the case's reference only."""
    staff = session.get(StaffUser, row.staff_id) if row.staff_id is not None else None
    if staff is None or not staff.active:
        return None
    # Admins have no queue: their way in is the school overview.
    area = "admin" if staff.role == "admin" else "staff"
    link = f"{config['BASE_URL']}/{area}/"
    case = case_words(session, row)
    return Email(staff.email, ESCALATION_SUBJECT % {"case": case},
                 ESCALATION_BODY % {"case": case, "link": link}, (row,))


def _password_help_email(session: Session, config: Mapping, row: OutboxMessage) -> Email | None:
    """An admin's "this person asked for password help" email: who asked, nothing else."""
    admin = session.get(StaffUser, row.staff_id) if row.staff_id is not None else None
    asker = session.get(StaffUser, row.about_staff_id) if row.about_staff_id else None
    if admin is None or not admin.active or asker is None:
        return None
    return Email(admin.email, HELP_SUBJECT % {"name": asker.display_name},
                 HELP_BODY % {"name": asker.display_name, "email": asker.email,
                              "link": f"{config['BASE_URL']}/admin/staff/{asker.id}"},
                 (row,))


def _pattern_email(session: Session, config: Mapping, row: OutboxMessage) -> Email | None:
    """An admin's rising-pattern alert: which kind of pattern rose, nothing else."""
    admin = session.get(StaffUser, row.staff_id) if row.staff_id is not None else None
    alert = session.get(PatternAlert, row.pattern_alert_id) if row.pattern_alert_id else None
    if admin is None or not admin.active or alert is None:
        return None
    subject = str(ALERT_SUBJECTS[pattern_kind(alert.pattern)])
    return Email(admin.email, subject, PATTERN_BODY % {
        "subject": subject, "link": f"{config['BASE_URL']}/admin/dashboard"}, (row,))


def _enrolment_email(session: Session, config: Mapping, row: OutboxMessage,
                     now: datetime) -> Email | None:
    """A staff member's enrolment link, while it still works."""
    staff = session.get(StaffUser, row.staff_id) if row.staff_id is not None else None
    if staff is None or not staff.active or row.link_sealed is None:
        return None
    try:
        reason, token = open_enrolment(config, row.link_sealed)
    except CryptoError:
        return None
    expires = staff.enrolment_expires_at
    if staff.enrolment_digest != token_digest(token) or expires is None or expires < now:
        return None  # spent, replaced or expired: the link would only disappoint
    link = f"{config['BASE_URL']}/auth/enrol/{token}"
    until = format_datetime(expires, "dd MMMM y, HH:mm 'UTC'", tzinfo=UTC,
                            locale=str(get_locale() or DEFAULT))
    body = ENROLMENT_BODY % {"opening": ENROLMENT_OPENINGS[reason], "link": link,
                             "needs": ENROLMENT_NEEDS[staff.key_sealing], "expires": until}
    return Email(staff.email, str(ENROLMENT_SUBJECTS[reason]), body, (row,))


def _thread_email(session: Session, config: Mapping, row: OutboxMessage) -> Email | None:
    """A volunteer's "a student wrote" email: no words, no name, only the way in."""
    staff = session.get(StaffUser, row.staff_id) if row.staff_id is not None else None
    if staff is None or not staff.active:
        return None
    return Email(staff.email, str(THREAD_SUBJECT),
                 THREAD_BODY % {"link": f"{config['BASE_URL']}/volunteer/"}, (row,))


def email_language(row: OutboxMessage) -> str:
    """The language an email is written in: a student's, the language they made their
    report in; a staff member's, the default (English)."""
    if row.kind == "reply_waiting" and row.language in LANGUAGES:
        return row.language
    return DEFAULT


def _compose(session: Session, config: Mapping, row: OutboxMessage,
             now: datetime, token: str) -> Email | None:
    """The email a claimed row calls for, in its language (whatever page, job or command
    sends it); None when it cannot be sent to anyone."""
    with force_locale(email_language(row)):
        return _compose_email(session, config, row, now, token)


def _compose_email(session: Session, config: Mapping, row: OutboxMessage,
                   now: datetime, token: str) -> Email | None:
    if row.kind == "enrolment":
        return _enrolment_email(session, config, row, now)
    if row.kind == "reply_waiting":
        return _reply_email(session, config, row)
    if row.kind == "escalation":
        return _escalation_email(session, config, row)
    if row.kind == "password_help":
        return _password_help_email(session, config, row)
    if row.kind == "pattern_alert":
        return _pattern_email(session, config, row)
    if row.kind == "thread_message":
        return _thread_email(session, config, row)
    return _handler_email(session, config, row, now, token)


def send_due(session: Session, config: Mapping, mailer: Mailer, now: datetime) -> int:
    """Send every unsent notification due by `now`; return how many emails went out.

    A refused message stays queued and the run goes on; an unreachable server
    ends the run (everything stays queued for the next one). Logs name outbox
    row ids only: never an address or any content.
    """
    sent, skip, token = 0, set[int](), secrets.token_hex(16)
    while (candidate := session.scalar(_due(now, skip).limit(1))) is not None:
        skip.add(candidate.id)
        claimed = _claim(session, (candidate,), token, now)
        if not claimed:
            continue  # another sender got there first
        email = _compose(session, config, claimed[0], now, token)
        rows = email.rows if email else tuple(claimed)
        ids = [item.id for item in rows]
        skip.update(ids)
        if email is None:
            log.warning("notification %s dropped: no active recipient or unreadable address",
                        ids[0])
        else:
            try:
                mailer.send(email.to, email.subject, email.body)
            except MailError as exc:
                session.rollback()
                _release(session, rows)
                log.warning("notifications %s not sent (%s); they stay queued", ids, exc)
                if isinstance(exc, MailUnavailable):
                    break
                continue
            sent += 1
        for item in rows:
            item.sent_at = now
            item.address_sealed = None  # a sent email needs no address any more
            item.link_sealed = None  # nor its enrolment link
            item.claimed_at = item.claim_token = None
        session.commit()
    return sent


def dispatch(app: Flask) -> None:
    """Deliver what a just-committed transaction queued: by an RQ worker, or inline.

    Never raises: the caller's work is already committed, and whatever is not
    sent now stays queued for the `send-notifications` timer.
    """
    try:
        if app.config.get("REDIS_URL"):
            job_queue.enqueue(app.config["REDIS_URL"], job_queue.DELIVER_NOTIFICATIONS,
                              app.config["REDIS_TIMEOUT_SECONDS"])
            return
        # An app context of its own, so a failure here never touches the view's session.
        with app.app_context():
            send_due(db.session, app.config, Mailer(app.config), utcnow())
    except Exception as exc:  # a boundary: the caller has already committed its work
        # No traceback: a database error's text can carry statement parameters.
        log.warning("notification delivery deferred to the next run (%s)", type(exc).__name__)
