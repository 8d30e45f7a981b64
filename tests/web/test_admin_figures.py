"""Every count an admin sees passes disclosure control, on every admin page.

Templates mark each figure drawn from cases or reports with `data-figure`. This walk reads
every admin page as an admin, over a school whose true counts include small ones, and fails
on any marked figure that is a count from 1 to 4, or that is not a figure at all (a count
inside words would slip past the check); and on any table cell that is a bare number
without the mark, so a new count column cannot go unchecked.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from reporting.domain.directory import zone
from reporting.domain.disclosure import FEWER, HIDDEN_SHARE, PROTECTED, withheld
from reporting.domain.pulse.answers import Answer
from reporting.domain.report import Setting
from reporting.domain.roles import ChannelKind, Role
from reporting.domain.terms import term_at
from reporting.models.base import utcnow
from reporting.services import queries, routing_rules
from reporting.services.pack import figures as pack
from reporting.services.pulse.answers import take_answer
from reporting.services.pulse.items import current_items
from tests import factories

FIGURE = re.compile(r"(?P<count>\d+)|\d+%|\d+\.\d( hours)?")
WORDS = {FEWER, PROTECTED, HIDDEN_SHARE, pack.NO_HANDLERS, pack.FEW_HANDLERS,
         *(withheld(basis) for basis in ("cases", "cases acknowledged", "cases answered",
                                         "cases resolved", "responses"))}


class Figures(HTMLParser):
    """The text of every element marked `data-figure`, and of every unmarked table cell."""

    def __init__(self) -> None:
        super().__init__()
        self.figures: list[str] = []
        self.unmarked_cells: list[str] = []
        self._open: list[tuple[str, bool, list[str]]] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("td", "dd", "text") or any(name == "data-figure" for name, _ in attrs):
            self._open.append((tag, any(name == "data-figure" for name, _ in attrs), []))

    def handle_data(self, data):
        for _, _, text in self._open:
            text.append(data)

    def handle_endtag(self, tag):
        if self._open and self._open[-1][0] == tag:
            _, marked, text = self._open.pop()
            (self.figures if marked else self.unmarked_cells).append(" ".join(
                "".join(text).split()))


def _school_with_small_counts(session, school):
    """Twenty pastoral reports, four peer, two urgent, one student choosing another team."""
    for n in range(20):
        factories.make_report(session, school, setting=Setting.TEACHING if n % 2 else
                              Setting.CLINICAL_PLACEMENT)
    for _ in range(4):
        factories.make_report(session, school, chosen_channel=ChannelKind.PEER)
    for _ in range(2):
        factories.make_report(session, school, not_safe=True)
    _pulse_answers(session, school)
    session.commit()


def _pulse_answers(session, school):
    """Ten answers to this term's pulse, two of them ticking race: a small identity group."""
    term = term_at(utcnow(), zone(school.timezone))
    ids = [item.id for item in current_items(session, school.id)]
    for n in range(10):
        take_answer(session, school.id, term, f"walk-{n}",
                    Answer(dict.fromkeys(ids, 4), ("race",) if n < 2 else ("sex",)))


def _admin_pages(app) -> list[str]:
    """Every admin page reached by a plain GET, and the dashboard under every filter."""
    pages = [rule.rule for rule in app.url_map.iter_rules()
             if rule.endpoint.startswith("admin.") and "GET" in rule.methods
             and not rule.arguments and not rule.rule.endswith(".csv")]
    return pages + [f"/admin/dashboard?channel={kind.value}" for kind in ChannelKind]


def test_no_admin_page_shows_a_count_under_five(app, login_as, session, school):
    """Walking every admin page, is each marked figure a count of 0 or 5 and more, a share,
    a time or a suppression's words, and is every bare number in a table cell marked?"""
    _school_with_small_counts(session, school)
    # The true figures do hold small counts, so the walk has something to catch.
    true_counts = {n for _, total, urgent in queries.channel_overview(session, school.id)
                   for n in (total, urgent)}
    assert true_counts & {1, 2, 3, 4}
    admin = login_as(Role.ADMIN)
    seen = {}
    for url in _admin_pages(app):
        response = admin.get(url)
        if response.status_code != 200:  # a page that needs a choice first (e.g. which entry)
            continue
        parser = Figures()
        parser.feed(response.get_data(as_text=True))
        seen[url] = parser.figures
        for figure in parser.figures:
            match = FIGURE.fullmatch(figure)
            assert match or figure in WORDS, (url, figure)
            if match and match["count"]:
                assert not 0 < int(figure) < 5, (url, figure)
        assert not [c for c in parser.unmarked_cells if re.fullmatch(r"\d+", c)], url
    assert {"/admin/", "/admin/routing", "/admin/dashboard", "/admin/response-times",
            "/admin/audit", "/admin/directory", "/admin/pack", "/admin/pulse",
            "/admin/placements"} <= set(seen)
    assert len(seen["/admin/"]) == 6 and len(seen["/admin/routing"]) == 3
    assert FEWER in seen["/admin/"] and FEWER in seen["/admin/routing"]


def test_the_override_share_hides_with_a_small_count(session, school):
    """Does the routing page's 'chose another team' figure hide 1 of 21, share included?"""
    for _ in range(20):
        factories.make_report(session, school)
    factories.make_report(session, school, chosen_channel=ChannelKind.PEER)
    session.commit()
    assert routing_rules.override_rate(session, school) == (FEWER, "21", HIDDEN_SHARE)
