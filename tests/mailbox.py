"""A real SMTP server for tests: aiosmtpd on localhost, keeping what it receives."""

from __future__ import annotations

import asyncio
import socket
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from reporting.mail import Mailer


@dataclass
class Inbox:
    """An aiosmtpd handler that keeps every message and refuses the addresses it is told to."""

    messages: list[tuple[list[str], EmailMessage]] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    delay: float = 0.0
    port: int = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: no such user"  # echoes the address, as servers do
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted"

    def to(self, address: str) -> list[EmailMessage]:
        """The messages delivered to one address."""
        return [message for rcpts, message in self.messages if address in rcpts]


def free_port() -> int:
    """A localhost port nothing listens on (right now)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def smtp_config(port: int) -> dict[str, object]:
    """Mail settings for the local test server: plain SMTP, no login."""
    return {"MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port,
            "MAIL_USE_TLS": False, "MAIL_FROM": "belong@belong.test"}


@pytest.fixture
def smtp():
    """A real SMTP server on 127.0.0.1 and a free port; its handler keeps what it receives."""
    inbox = Inbox(port=free_port())
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    yield inbox
    controller.stop()


@pytest.fixture
def mailer(smtp) -> Mailer:
    """A mailer pointed at the test server."""
    return Mailer(smtp_config(smtp.port))


@pytest.fixture
def inline_mail(app, smtp, monkeypatch):
    """The app sends what a request queues to the test server from the request itself, as
    it does without Redis (with REDIS_URL set, a worker would): the server's inbox."""
    for key, value in {**smtp_config(smtp.port), "REDIS_URL": None}.items():
        monkeypatch.setitem(app.config, key, value)
    return smtp
