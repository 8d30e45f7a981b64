"""Fixtures shared by the service tests: a real SMTP server and a mailer pointed at it."""

from tests.mailbox import mailer, smtp  # noqa: F401 (fixtures)
