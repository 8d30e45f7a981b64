"""The pulse's domain: terms on a school's clock, the items' checks, answers, and figures."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from reporting.domain.disclosure import FEWER, HIDDEN_SHARE, PROTECTED, withheld
from reporting.domain.pulse.answers import CHANGED, UNANSWERED, InvalidAnswer, check_answer
from reporting.domain.pulse.figures import Tally, figure, groups
from reporting.domain.pulse.items import DEFAULT_ITEMS, InvalidItems, check_items
from reporting.domain.terms import Term, parse, recent, term_at, term_on


@pytest.mark.parametrize(("day", "key"), [
    (date(2026, 9, 1), "2026-autumn"), (date(2026, 12, 31), "2026-autumn"),
    (date(2027, 1, 1), "2027-spring"), (date(2027, 3, 31), "2027-spring"),
    (date(2027, 4, 1), "2027-summer"), (date(2027, 8, 31), "2027-summer")])
def test_each_day_falls_in_one_term(day, key):
    """Does a day fall in autumn (Sep–Dec), spring (Jan–Mar) or summer (Apr–Aug)?"""
    assert term_on(day).key == key


def test_a_term_is_read_on_the_schools_clock():
    """Is 23:30 UTC on 31 August already autumn in London (00:30 BST), but not in UTC?"""
    moment = datetime(2026, 8, 31, 23, 30, tzinfo=UTC)
    assert term_at(moment, ZoneInfo("Europe/London")).key == "2026-autumn"
    assert term_at(moment, UTC).key == "2026-summer"


def test_terms_follow_each_other_and_parse_back():
    """Do next and previous cross the year, recent list oldest first, and keys parse back?"""
    autumn = parse("2026-autumn")
    assert autumn == Term(2026, 2) and autumn.label == "Autumn 2026"
    assert autumn.next().key == "2027-spring" and autumn.next().previous() == autumn
    assert [t.key for t in recent(autumn, 4)] == [
        "2025-autumn", "2026-spring", "2026-summer", "2026-autumn"]
    assert autumn.next().starts == date(2027, 1, 1)
    assert parse("2026-winter") is None and parse(None) is None and parse("26-autumn") is None


def test_items_are_one_a_line_without_blanks_or_repeats():
    """Are typed items split by line, trimmed, blank lines and repeats dropped?"""
    got = check_items("  I belong here. \n\nI belong here.\nI have   friends.\n", False, "x", "y")
    assert got.items == ("I belong here.", "I have friends.")
    assert got.citation == "" and not got.published  # a citation only with a published scale


@pytest.mark.parametrize(("lines", "published", "citation", "licence", "field"), [
    ("", False, "", "", "items"), ("\n".join(f"Item {n}" for n in range(11)), False, "", "",
                                   "items"),
    ("x" * 201, False, "", "", "items"), ("One", True, "", "CC BY 4.0", "citation"),
    ("One", True, "Author (2020). Scale. Journal.", "", "licence")])
def test_items_that_cannot_be_saved_say_why(lines, published, citation, licence, field):
    """Are no items, too many, too long, or a published scale without citation or licence
    refused with a message on the right field?"""
    with pytest.raises(InvalidItems) as caught:
        check_items(lines, published, citation, licence)
    assert field in caught.value.problems


def test_the_default_items_are_few_and_plain():
    """Is the default set short, and every item one plain sentence?"""
    assert 3 <= len(DEFAULT_ITEMS) <= 6
    assert all(len(item) < 80 and item.endswith(".") for item in DEFAULT_ITEMS)
    assert check_items("\n".join(DEFAULT_ITEMS), False, "", "").items == DEFAULT_ITEMS


def test_an_answer_for_exactly_the_items_shown_is_taken():
    """Are the agreements read as numbers and the identities kept in the list's order?"""
    answer = check_answer({1: "5", 2: "1"}, ["sexual_orientation", "race"], [1, 2])
    assert answer.agreements == {1: 5, 2: 1} and answer.tags == ("race", "sexual_orientation")


@pytest.mark.parametrize(("raw", "tags", "message"), [
    ({1: "5"}, [], CHANGED),  # an item missing from the form
    ({1: "5", 2: "4", 3: "4"}, [], CHANGED),  # an item that was not shown
    ({1: "5", 2: "9"}, [], CHANGED), ({1: "5", 2: "-1"}, [], CHANGED),
    ({1: "5", 2: "４"}, [], CHANGED), ({1: "5", 2: "5"}, ["nobody"], CHANGED),
    ({1: "5", 2: ""}, [], UNANSWERED), ({1: "5", 2: None}, [], UNANSWERED)])
def test_an_altered_or_unfinished_answer_is_refused(raw, tags, message):
    """Is an answer with items not shown, values off the scale or unknown identities
    refused as changed, and one with a statement left out as unfinished?"""
    with pytest.raises(InvalidAnswer, match=message[:20]):
        check_answer(raw, tags, [1, 2])


def test_a_share_needs_eight_people_and_a_shown_count():
    """Is a share withheld under 8 people, hidden with a count under 5, shown from 8?"""
    assert figure("t", "T", Tally(3, 15, 15)).shown == FEWER
    assert figure("t", "T", Tally(3, 15, 15)).share_shown == HIDDEN_SHARE
    assert figure("t", "T", Tally(7, 30, 35)).share_shown == withheld("responses")
    eight = figure("t", "T", Tally(8, 30, 40))
    assert (eight.shown, eight.share_shown, eight.hidden) == ("8", "75%", False)
    assert figure("t", "T", Tally(0, 0, 0)).shown == "0"


def test_identity_groups_hide_a_second_figure_beside_a_small_one():
    """With one identity group under 5, is the next smallest hidden too (as the dashboard
    does), its share with it?"""
    shown = groups({"race": Tally(3, 5, 15), "disability": Tally(9, 20, 45),
                    "sex": Tally(20, 60, 100)}, {"race": "Race", "disability": "Disability",
                                                 "sex": "Sex", "age": "Age"})
    assert [(f.key, f.shown) for f in shown] == [
        ("race", FEWER), ("disability", PROTECTED), ("sex", "20")]
    assert shown[1].share_shown == HIDDEN_SHARE and shown[2].share_shown == "60%"
