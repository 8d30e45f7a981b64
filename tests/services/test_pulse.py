"""The pulse against a real database: once per token, nothing that links or identifies,
items only its own school's admin changes (audited), and results through disclosure."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import inspect, select

from reporting.domain.directory import zone
from reporting.domain.disclosure import FEWER, HIDDEN_SHARE, withheld
from reporting.domain.pulse.answers import AlreadyAnswered, Answer
from reporting.domain.pulse.items import DEFAULT_ITEMS, DEFAULT_SOURCE, InvalidItems
from reporting.domain.roles import Role
from reporting.domain.terms import parse, recent, term_at
from reporting.models import AuditEntry, PulseItem, PulseResponse, PulseToken
from reporting.models.base import utcnow
from reporting.services.demo import build_demo
from reporting.services.pulse.answers import digest, take_answer
from reporting.services.pulse.items import (
    NotPermitted,
    current_items,
    set_items,
    source_note,
)
from reporting.services.pulse.results import results
from tests import factories

AUTUMN, SPRING = parse("2026-autumn"), parse("2027-spring")


def answer_many(session, school, term, count, agreement=5, tags=(), prefix="t"):
    """`count` answers to every current item, each with its own token."""
    ids = [item.id for item in current_items(session, school.id)]
    for n in range(count):
        take_answer(session, school.id, term, f"{prefix}-{term.key}-{n}",
                    Answer(dict.fromkeys(ids, agreement), tuple(tags)))
    session.flush()


def test_a_new_school_starts_with_the_default_items(session, school):
    """Does a school that never chose items get the default set, with its source named?"""
    assert [i.text for i in current_items(session, school.id)] == list(DEFAULT_ITEMS)
    assert source_note(session, school) == DEFAULT_SOURCE


def test_the_same_token_cannot_answer_twice(session, school):
    """Is a second answer with the same token refused, and only one response kept?"""
    answer_many(session, school, AUTUMN, 1, prefix="same")
    ids = [item.id for item in current_items(session, school.id)]
    with pytest.raises(AlreadyAnswered, match="already answered"):
        take_answer(session, school.id, AUTUMN, f"same-{AUTUMN.key}-0",
                    Answer(dict.fromkeys(ids, 1)))
    assert len(session.scalars(select(PulseResponse)).all()) == 1


def test_what_is_kept_identifies_nobody_and_links_nothing(session, school):
    """Is the token stored only as a digest, with no column for time, address or token on
    the response, and a random (unordered) response id?"""
    answer_many(session, school, AUTUMN, 2, tags=("race",), prefix="kept")
    tokens = session.scalars(select(PulseToken)).all()
    assert {t.digest for t in tokens} == {digest(f"kept-{AUTUMN.key}-{n}") for n in range(2)}
    columns = {c["name"] for c in inspect(session.get_bind()).get_columns("pulse_responses")}
    assert columns == {"id", "school_id", "term", "tags"}
    ids = [r.id for r in session.scalars(select(PulseResponse))]
    assert all(len(i) == 32 and not i.isdigit() for i in ids)


def test_only_the_schools_admin_changes_the_items_and_it_is_audited(session, school, admin):
    """Is another school's admin, or a handler, refused; and the admin's change audited,
    an unchanged item keeping its id and a removed one retired?"""
    other = factories.make_school(session, slug="southbank")
    other_admin = factories.make_staff(session, other, Role.ADMIN)
    officer = factories.make_staff(session, school, Role.PASTORAL_OFFICER)
    before = {i.text: i.id for i in current_items(session, school.id)}
    for intruder in (other_admin, officer):
        with pytest.raises(NotPermitted):
            set_items(session, intruder, school.id, "Changed.", False, "", "")
    set_items(session, admin, school.id, f"{DEFAULT_ITEMS[0]}\nA new statement.", False, "",
              "")
    now = current_items(session, school.id)
    assert [i.text for i in now] == [DEFAULT_ITEMS[0], "A new statement."]
    assert now[0].id == before[DEFAULT_ITEMS[0]]
    assert session.scalar(select(PulseItem).where(PulseItem.text == DEFAULT_ITEMS[1])).retired_at
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "pulse.items")).one()
    assert entry.actor == f"staff:{admin.id}"
    assert source_note(session, school) == f"Written by {school.name}."
    assert [i.text for i in current_items(session, other.id)] == list(DEFAULT_ITEMS)


def test_a_published_scale_needs_its_citation_and_licence(session, school, admin):
    """Is a published scale refused without its citation, and cited once given?"""
    with pytest.raises(InvalidItems):
        set_items(session, admin, school.id, "One.", True, "", "CC BY 4.0")
    set_items(session, admin, school.id, "One.", True, "Author A (2020). A scale. J. 1:2.",
              "CC BY 4.0")
    assert "Author A (2020)" in source_note(session, school)
    assert "CC BY 4.0" in source_note(session, school)


def test_results_are_suppressed_under_five_and_withheld_under_eight(session, school):
    """Do 3 answers show as "fewer than 5" with no share, 6 as a count with the share
    withheld, and 10 with a share; and does the trend run oldest first?"""
    answer_many(session, school, parse("2026-summer"), 3)
    answer_many(session, school, AUTUMN, 6, agreement=2)
    answer_many(session, school, SPRING, 10, agreement=4)
    data = results(session, school.id, [SPRING, parse("2026-summer"), AUTUMN])
    assert [(f.label, f.shown, f.share_shown) for f in data.trend] == [
        ("Summer 2026", FEWER, HIDDEN_SHARE),
        ("Autumn 2026", "6", withheld("responses")),
        ("Spring 2027", "10", "100%")]
    spring = data.terms[-1]
    assert [f.share_shown for f in spring.by_item] == ["100%"] * len(DEFAULT_ITEMS)


def test_results_by_identity_hide_small_groups_and_other_schools(session, school):
    """Are identity groups of fewer than 5 hidden, and another school's answers left out?"""
    other = factories.make_school(session, slug="southbank")
    answer_many(session, school, AUTUMN, 9, tags=("sex",), prefix="a")
    answer_many(session, school, AUTUMN, 2, tags=("race", "sex"), prefix="b")
    answer_many(session, other, AUTUMN, 30, tags=("race",), prefix="c")
    term = results(session, school.id, [AUTUMN]).terms[0]
    assert term.overall.shown == "11"
    shown = {f.key: (f.shown, f.share_shown) for f in term.by_identity}
    assert shown["race"] == (FEWER, HIDDEN_SHARE)
    assert shown["sex"][0] in ("11", "not shown (protects a smaller number)")


def test_the_demo_shows_every_pulse_chart_unsuppressed(session):
    """Does `demo` give four terms of answers with every figure shown and belonging
    rising, so a newcomer sees each chart drawn?"""
    demo = build_demo(session, params=factories.FAST, totp_key=factories.TOTP_KEY,
                      enrolment_lifetime=timedelta(hours=1), password=factories.PASSWORD)
    session.commit()
    terms = recent(term_at(utcnow(), zone(demo.school.timezone)), 4)
    data = results(session, demo.school.id, terms)
    figures = [f for t in data.terms for f in (t.overall, *t.by_item, *t.by_identity)]
    assert figures and not [f for f in figures if f.hidden]
    assert all(len(t.by_identity) >= 5 for t in data.terms)
    assert data.trend[0].share < data.trend[-1].share
