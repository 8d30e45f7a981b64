"""Sending plain-text emails: to the log in development, through SMTP in production.

Errors never carry an address or any content: SMTP replies often echo the
recipient, so only the exception's class and reply code are kept.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from reporting.domain.addresses import one_address

log = logging.getLogger("belong.mail")

BACKENDS = ("console", "smtp")
SMTP_TIMEOUT = 20  # seconds: a stalled server must not hold a worker (or a request) for long


class MailError(Exception):
    """This one message could not be sent (refused, malformed); others may still go."""


class MailUnavailable(MailError):
    """The mail server could not be reached or refused us: no message can go now."""


def _describe(exc: Exception) -> str:
    """An exception's class and SMTP code, without the reply text (which may name the address)."""
    code = getattr(exc, "smtp_code", None)
    return f"{type(exc).__name__} {code}" if code else type(exc).__name__


class Mailer:
    """Sends plain-text emails through the backend named by MAIL_BACKEND."""

    def __init__(self, config: Mapping[str, object]) -> None:
        self.backend = str(config.get("MAIL_BACKEND") or "console")
        if self.backend not in BACKENDS:
            raise ValueError(f"MAIL_BACKEND must be one of {', '.join(BACKENDS)}")
        self.server = str(config.get("MAIL_SERVER") or "localhost")
        self.port = int(config.get("MAIL_PORT") or 25)
        self.use_tls = bool(config.get("MAIL_USE_TLS"))
        self.username = config.get("MAIL_USERNAME") or None
        self.password = config.get("MAIL_PASSWORD") or None
        self.sender = str(config.get("MAIL_FROM") or "belong@localhost")

    def message(self, to: str, subject: str, body: str) -> EmailMessage:
        """Build a plain-text message to exactly one address; a header with a line break, or
        a recipient that is not one plain address, is refused (MailError)."""
        message = EmailMessage()
        try:
            message["From"] = self.sender
            message["To"] = to
            message["Subject"] = subject
        except ValueError:
            raise MailError("malformed header") from None
        # SMTP sends to every address the To header parses to: it must be exactly one.
        if one_address(to) is None or len(message["To"].addresses) != 1:
            raise MailError("the recipient is not exactly one address")
        message["Date"] = formatdate(usegmt=True)
        # The sender's domain, not this machine's hostname, in the Message-ID.
        message["Message-ID"] = make_msgid(domain=self.sender.rpartition("@")[2] or None)
        message.set_content(body)
        return message

    def send(self, to: str, subject: str, body: str) -> None:
        """Send one email, or raise MailError (MailUnavailable when nothing can be sent)."""
        message = self.message(to, subject, body)
        if self.backend == "console":
            log.info("Email (console backend, not sent)\n%s", message.as_string())
            return
        self._send_smtp(message)

    def _connect(self) -> smtplib.SMTP:
        """Open an SMTP connection: STARTTLS and login as configured."""
        try:
            smtp = smtplib.SMTP(self.server, self.port, timeout=SMTP_TIMEOUT)
        except OSError as exc:
            raise MailUnavailable(_describe(exc)) from None
        try:
            if self.use_tls:
                smtp.starttls(context=ssl.create_default_context())
            if self.username:
                smtp.login(str(self.username), str(self.password or ""))
        except OSError as exc:
            smtp.close()
            raise MailUnavailable(_describe(exc)) from None
        return smtp

    def _send_smtp(self, message: EmailMessage) -> None:
        """Hand one message to the SMTP server."""
        smtp = self._connect()
        try:
            smtp.send_message(message)
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError,
                smtplib.SMTPNotSupportedError) as exc:
            raise MailError(_describe(exc)) from None
        except OSError as exc:  # SMTPSenderRefused, disconnects, timeouts
            raise MailUnavailable(_describe(exc)) from None
        finally:
            try:
                smtp.quit()
            except OSError:  # the message is already handed over (or already failed)
                smtp.close()
