"""A page finds its language's catalogue once, however many strings and dates it shows, and
still follows `force_locale` (an email in the report's language) inside a request."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from flask_babel import force_locale, gettext, npgettext, pgettext

from reporting import i18n
from reporting.domain.roles import Role
from reporting.domain.words import N_
from tests import factories

CASE_QUEUE = "Case queue"


def test_a_full_queue_page_finds_its_catalogue_once(login_as, session, school, monkeypatch):
    """Fifty rows in Welsh, each with its own words and dates: one catalogue lookup."""
    officer = login_as(Role.PASTORAL_OFFICER)
    for _ in range(50):
        factories.make_report(session, school)
    session.commit()
    lookups = []
    real = i18n.get_translations
    monkeypatch.setattr(i18n, "get_translations", lambda: lookups.append(1) or real())
    page = officer.get("/staff/?lang=cy").text
    with officer.application.test_request_context("/?lang=cy"):
        welsh = gettext(CASE_QUEUE)
    assert welsh != CASE_QUEUE and f"<h1>{welsh}</h1>" in page
    assert page.count('class="case-reference"') == 50 and len(lookups) == 1


def test_force_locale_inside_a_welsh_page_gets_its_own_catalogue(app):
    """English inside `force_locale("en")` on a Welsh page, and Welsh again after it: for
    the page's strings, the domain's words and the dates alike."""
    word, moment = N_(CASE_QUEUE), datetime(2026, 12, 9, 14, 5, tzinfo=UTC)
    with app.test_request_context("/?lang=cy"):
        welsh = i18n.translate(CASE_QUEUE)
        assert welsh != CASE_QUEUE and str(word) == welsh
        assert i18n.datetimeformat(moment, "d MMMM y, HH:mm") == "9 Rhagfyr 2026, 14:05"
        with force_locale("en"):
            assert i18n.translate(CASE_QUEUE) == str(word) == CASE_QUEUE
            assert i18n.language() == "en"
            assert i18n.dateformat(moment, "d MMMM y") == "9 December 2026"
        assert i18n.translate(CASE_QUEUE) == str(word) == welsh and i18n.language() == "cy"
        assert i18n.translate_plural(
            "%(count)s case, %(order)s.", "%(count)s cases, %(order)s.", 2).startswith(
            "%(count)s achos")


def test_dates_are_shown_in_utc_unless_asked_to_keep_their_zone(app):
    """A moment from another zone is shown in UTC (its date too, across midnight); a naive
    one is taken as UTC; `rebase=False` keeps the zone the moment carries."""
    late = datetime(2026, 12, 9, 23, 30, tzinfo=timezone(timedelta(hours=-2)))
    with app.test_request_context("/?lang=en"):
        assert i18n.datetimeformat(late, "d MMM y, HH:mm") == "10 Dec 2026, 01:30"
        assert i18n.dateformat(late, "d MMMM y") == "10 December 2026"
        assert i18n.datetimeformat(late, "d MMM y, HH:mm", rebase=False) == "9 Dec 2026, 23:30"
        assert i18n.dateformat(late, "d MMMM y", rebase=False) == "9 December 2026"
        naive = datetime(2026, 12, 9, 14, 5)
        assert i18n.datetimeformat(naive, "HH:mm") == "14:05"
        assert i18n.dateformat(naive.date(), "d MMM y") == "9 Dec 2026"


def test_templates_keep_every_gettext_callable(app):
    """`pgettext` and `npgettext` (a message with a context) answer as Flask-Babel's do."""
    with app.test_request_context("/?lang=cy"):
        expected = f"{gettext(CASE_QUEUE)}|{pgettext('a', CASE_QUEUE)}|" + npgettext(
            "a", CASE_QUEUE, CASE_QUEUE, 2)
        shown = app.jinja_env.from_string(
            "{{ _(q) }}|{{ pgettext('a', q) }}|{{ npgettext('a', q, q, 2) }}").render(q=CASE_QUEUE)
    assert shown == expected
