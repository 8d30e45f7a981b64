"""Spaces to meet, in plain Python: the session's rules, its times, its calendar file, and
the matching it shares with the support directory."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from reporting.domain.directory import best_overlap_first
from reporting.domain.spaces.calendar import Event, calendar, escape, fold
from reporting.domain.spaces.fields import (
    InvalidSession,
    SessionFields,
    check,
    describe_when,
    instants,
    local_fields,
)

LONDON = ZoneInfo("Europe/London")


def fields(**changes) -> SessionFields:
    values = dict(title="Black medics meet-up", day=date(2026, 12, 9), starts=time(12, 30),
                  ends=time(14), facilitator="Dr A. Mensah", join_details="Room 2.14")
    return SessionFields(**{**values, **changes})


def test_a_session_is_checked_and_tidied():
    """Are spaces trimmed, tags put in the list's order and a good session accepted?"""
    checked = check(fields(title="  Meet-up  ", tags=("religion_belief", "race")))
    assert checked.title == "Meet-up" and checked.tags == ("race", "religion_belief")


@pytest.mark.parametrize(("change", "field"), [
    ({"title": ""}, "title"), ({"facilitator": ""}, "facilitator"),
    ({"join_details": ""}, "join_details"), ({"day": None}, "day"),
    ({"starts": None}, "starts"), ({"ends": time(12)}, "ends"),
    ({"tags": ("not_a_tag",)}, "tags"), ({"title": "x" * 121}, "title"),
    ({"online": True, "join_details": "Room 2.14"}, "join_details"),
    ({"online": True, "join_details": "http://meet.example.ac.uk/x"}, "join_details"),
    ({"about": "Hidden \u202e text"}, "about"),
])
def test_broken_rules_are_named_by_field(change, field):
    """Is each broken rule reported against its own field?"""
    with pytest.raises(InvalidSession) as refused:
        check(fields(**change))
    assert field in refused.value.problems


def test_an_online_session_needs_an_https_link():
    """Is an https:// link accepted as how to join online?"""
    assert check(fields(online=True, join_details="https://meet.example.ac.uk/abc")).online


def test_times_are_on_the_schools_clock_and_kept_in_utc():
    """In winter London is UTC, in summer an hour ahead: are both turned into UTC and back?"""
    winter = instants(fields(), LONDON)
    summer = instants(fields(day=date(2026, 6, 10)), LONDON)
    assert winter == (datetime(2026, 12, 9, 12, 30, tzinfo=UTC),
                      datetime(2026, 12, 9, 14, tzinfo=UTC))
    assert summer[0] == datetime(2026, 6, 10, 11, 30, tzinfo=UTC)
    assert local_fields(summer, LONDON) == {"day": date(2026, 6, 10), "starts": time(12, 30),
                                            "ends": time(14)}
    assert describe_when(*summer, LONDON) == "Wednesday 10 June 2026, 12:30 to 14:00 (BST)"


def test_text_is_escaped_as_rfc_5545_says():
    """Are backslash, semicolon, comma and every kind of newline escaped?"""
    assert escape("a\\b;c,d\ne\r\nf") == "a\\\\b\\;c\\,d\\ne\\nf"


def test_long_lines_fold_at_75_octets_never_inside_a_character():
    """Is every physical line at most 75 octets, continuation lines starting with a space,
    multibyte characters kept whole, and does unfolding give the line back?"""
    line = "SUMMARY:" + "Café ☕ and a chat for first-generation students " * 4
    folded = fold(line)
    pieces = folded.split("\r\n")
    assert len(pieces) > 1 and all(len(p.encode()) <= 75 for p in pieces)
    assert all(p.startswith(" ") for p in pieces[1:])
    assert folded.replace("\r\n ", "") == line
    assert fold("SHORT:x") == "SHORT:x"


def test_the_calendar_file_is_one_event_in_utc_with_crlf_lines():
    """Does the file hold a UID, DTSTAMP, DTSTART and DTEND in UTC, escaped text, CRLF
    after every line and no bare LF?"""
    start = datetime(2026, 6, 10, 12, 30, tzinfo=LONDON)
    body = calendar(Event(uid="space-session-7@belong.example",
                          stamp=datetime(2026, 6, 1, 9, tzinfo=UTC), start=start,
                          end=datetime(2026, 6, 10, 14, tzinfo=LONDON),
                          summary="Meet-up; tea, cake", description="Line one\nLine two",
                          location="Room 2.14", sequence=2)).decode()
    lines = body.split("\r\n")
    assert body.endswith("\r\n") and "\n" not in body.replace("\r\n", "")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR"
    for expected in ["UID:space-session-7@belong.example", "DTSTAMP:20260601T090000Z",
                     "DTSTART:20260610T113000Z", "DTEND:20260610T130000Z", "SEQUENCE:2",
                     "STATUS:CONFIRMED", "SUMMARY:Meet-up\\; tea\\, cake",
                     "DESCRIPTION:Line one\\nLine two", "LOCATION:Room 2.14"]:
        assert expected in lines
    assert "STATUS:CANCELLED" in calendar(Event(
        uid="u", stamp=start, start=start, end=start, summary="s", cancelled=True)).decode()


def test_matching_puts_the_best_overlap_first():
    """With two identities chosen, does what shares both come before what shares one, then
    what is open to everyone, and is what shares none left out?"""
    items = {"both": ["race", "religion_belief"], "one": ["race"], "all": [],
             "other": ["disability"]}
    found = best_overlap_first(items, {"race", "religion_belief"}, items.get, lambda k: (k,))
    assert found == ["both", "one", "all"]
    assert best_overlap_first(items, set(), items.get, lambda k: (k,)) == sorted(items)
