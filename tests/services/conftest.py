"""Fixtures shared by the service tests: a real SMTP server and a mailer pointed at it, and
an admin of the test school."""

import pytest

from reporting.domain.roles import Role
from tests import factories
from tests.mailbox import mailer, smtp  # noqa: F401 (fixtures)


@pytest.fixture
def admin(session, school):
    """An admin of the test school."""
    user = factories.make_staff(session, school, Role.ADMIN)
    session.commit()
    return user
