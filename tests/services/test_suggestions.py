"""Sessions suggested beside support: matched to what the student chose as directory
entries are, a few at a time, never a cancelled one."""

from __future__ import annotations

from reporting.domain.roles import Role
from reporting.services import suggestions
from reporting.services.spaces import sessions
from tests import factories
from tests.services.test_spaces import session_fields


def test_sessions_for_the_grounds_come_first_then_those_for_everyone(session, school):
    """A report about race suggests the race session first, then the open ones; one for
    another identity, or a cancelled one, is not suggested."""
    admin = factories.make_staff(session, school, Role.ADMIN)
    sessions.create_session(session, admin, school,
                            session_fields("Faith", ("religion_belief",)))
    open_to_all = sessions.create_session(session, admin, school,
                                          session_fields("Everyone", days=3))
    race = sessions.create_session(session, admin, school, session_fields("Race", ("race",), 9))
    called_off = sessions.create_session(session, admin, school,
                                         session_fields("Off", ("race",), 2))
    sessions.cancel_session(session, admin, called_off)
    session.flush()
    found = suggestions.for_identities(session, school, ["race", "not-a-tag"])
    assert [s.title for s in found.sessions] == [race.title, open_to_all.title]
    assert found.tags == ("race",) and not found.more_sessions and found


def test_a_few_are_suggested_and_the_rest_is_one_link_away(session, school):
    admin = factories.make_staff(session, school, Role.ADMIN)
    for day in range(1, 6):
        sessions.create_session(session, admin, school, session_fields(f"S{day}", days=day))
    session.flush()
    found = suggestions.for_identities(session, school, None)
    assert [s.title for s in found.sessions] == ["S1", "S2", "S3"] and found.more_sessions
    other = factories.make_school(session, slug="southbank")
    assert not suggestions.for_identities(session, other, ["race"])  # its own sessions only


def test_role_models_who_share_the_grounds_come_first_and_only_approved_ones(session, school):
    """A report about race: the approved volunteer sharing it first, then one who shares
    something else; a profile awaiting approval is never suggested."""
    from reporting.services.role_models import profiles
    from tests.services.test_role_models import fields

    admin = factories.make_staff(session, school, Role.ADMIN)
    volunteers = [factories.make_staff(session, school, Role.ROLE_MODEL,
                                       email=f"v{n}@northfield.example") for n in range(3)]
    for volunteer, name, tags in zip(volunteers, ("Bea", "Ade", "Cy"),
                                     (("sex",), ("race",), ("race",)), strict=True):
        profile = profiles.save_profile(session, volunteer, fields(name, tags))
        if name != "Cy":
            profiles.approve_profile(session, admin, profile)
    session.flush()
    found = suggestions.for_identities(session, school, ["race"])
    assert [p.display_name for p in found.role_models] == ["Ade"]
    anyone = suggestions.for_identities(session, school, [])
    assert [p.display_name for p in anyone.role_models] == ["Ade", "Bea"]
