"""'You said, we did': written by an admin per year, shown to students once published."""

from __future__ import annotations

import pytest

from reporting.domain.roles import Role
from reporting.services.pack import you_said
from tests import factories


def test_a_draft_is_kept_until_published_and_can_be_taken_back(session, school):
    admin = factories.make_staff(session, school, Role.ADMIN)
    you_said.save(session, admin, "2026/27", "We changed the rota.\n\nAnd the induction.",
                  publish=False)
    assert you_said.published(session, school.id) == []
    row = you_said.save(session, admin, "2026/27", "We changed the rota.\n\n And more.",
                        publish=True)
    assert you_said.published(session, school.id) == [row]
    assert row.paragraphs == ["We changed the rota.", "And more."]
    first = row.published_at
    assert you_said.save(session, admin, "2026/27", "Edited.", publish=True).published_at \
        == first  # an edit keeps the day it was first published
    you_said.save(session, admin, "2026/27", "Edited.", publish=False)
    assert you_said.published(session, school.id) == []


def test_only_an_admin_writes_and_only_for_their_school(session, school):
    officer = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    with pytest.raises(you_said.InvalidSection):
        you_said.save(session, officer, "2026/27", "Text", publish=True)
    other = factories.make_school(session, slug="southbank")
    stranger = factories.make_staff(session, other, Role.ADMIN,
                                    email="admin@southbank.example")
    you_said.save(session, stranger, "2026/27", "Theirs.", publish=True)
    assert you_said.published(session, school.id) == []
    assert you_said.section(session, school.id, "2026/27") is None


@pytest.mark.parametrize(("year", "body", "publish", "problem"), [
    ("2026", "Text", True, "academic year"),
    ("2026/27", "", True, "before you publish"),
    ("2026/27", "x" * (you_said.BODY_MAX + 1), False, "Keep it to"),
])
def test_a_section_that_cannot_be_saved_says_why(session, school, year, body, publish,
                                                 problem):
    admin = factories.make_staff(session, school, Role.ADMIN)
    with pytest.raises(you_said.InvalidSection, match=problem):
        you_said.save(session, admin, year, body, publish)
