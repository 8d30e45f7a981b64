"""Languages: English and Welsh, chosen by a link that sets no cookie.

The language lives in the URL (`?lang=cy`) once a person picks it, and every link and form
the page builds carries it on. With no choice in the URL, the browser's Accept-Language picks
the first page's language. Nothing is stored: no cookie, no session key.

Catalogues are kept as source (`translations/<lang>/LC_MESSAGES/messages.po`) and compiled to
`.mo` by `pybabel compile` (CI, deployment) or, on a fresh checkout, when the app starts.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote, urlencode

from babel import Locale, dates
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations
from flask import Flask, g, has_app_context, has_request_context, request, url_for
from flask_babel import Babel, get_locale, get_translations

from reporting.domain import words
from reporting.models.base import in_utc

LANGUAGES = {"en": "English", "cy": "Cymraeg"}
DEFAULT = "en"
# What <html lang> says for each: British English, and Welsh.
HTML_LANG = {"en": "en-GB", "cy": "cy"}
TRANSLATIONS = Path(__file__).resolve().parent / "translations"

babel = Babel()
log = logging.getLogger(__name__)


def chosen_language() -> str | None:
    """The language the URL carries, if it names one we have."""
    lang = request.args.get("lang") if has_request_context() else None
    return lang if lang in LANGUAGES else None


def select_locale() -> str:
    """The URL's choice, else the browser's first acceptable language, else English."""
    if not has_request_context():  # a CLI command or a worker job: English
        return DEFAULT
    return chosen_language() or request.accept_languages.best_match(
        LANGUAGES, default=DEFAULT)


def language() -> str:
    """The language of the page or email being built (`flask_babel.force_locale` chooses an
    email's); English outside the app."""
    return str(_page()[0] or DEFAULT) if has_app_context() else DEFAULT


def _page() -> tuple[Locale | None, NullTranslations]:
    """The locale and catalogue of the page (or email) being built, found once.

    Flask-Babel looks both up again for every string and every date, several context lookups
    each, and a queue page has hundreds. This keeps the pair beside Flask-Babel's own state
    and trusts it while Flask-Babel's locale is the same object: `force_locale` (an email in
    the report's language) sets a new one, and so gets its own catalogue."""
    state = g.get("_flask_babel") if has_app_context() else None
    kept = getattr(state, "belong_page", None)
    if kept is None or kept[0] is not getattr(state, "babel_locale", None):
        kept = (get_locale(), get_translations())  # (this sets Flask-Babel's state up)
        if has_app_context():
            g._flask_babel.belong_page = kept
    return kept


def translate(text: str) -> str:
    return _page()[1].ugettext(text)


def translate_plural(singular: str, plural: str, count: int) -> str:
    return _page()[1].ungettext(singular, plural, count)


def translate_in(context: str, text: str) -> str:
    return _page()[1].upgettext(context, text)


def translate_plural_in(context: str, singular: str, plural: str, count: int) -> str:
    return _page()[1].unpgettext(context, singular, plural, count)


def datetimeformat(moment: datetime, pattern: str, rebase: bool = True) -> str:
    """A date and time in the page's language ("9 Rhag 2026, 14:05"), in UTC as Belong shows
    every time (a naive moment is UTC already); `rebase=False` keeps the moment's own zone."""
    if rebase:
        return _utc_datetime(in_utc(moment), pattern, _page()[0])
    return dates.format_datetime(moment, pattern, tzinfo=None, locale=_page()[0])


def dateformat(day: date, pattern: str, rebase: bool = True) -> str:
    """A date in the page's language ("9 Rhagfyr 2026"); a moment's date in UTC unless
    `rebase=False`."""
    if isinstance(day, datetime):
        day = (in_utc(day) if rebase else day).date()
    return _date(day, pattern, _page()[0])


# Babel takes 8 to 15 microseconds a date, and a queue page shows 150 of them, the same ones
# each time it is opened: each process keeps the last few thousand it wrote. (The moments are
# all in UTC, so equal keys always mean the same words.)
@lru_cache(maxsize=4096)
def _utc_datetime(moment: datetime, pattern: str, locale: Locale | None) -> str:
    return dates.format_datetime(moment, pattern, tzinfo=UTC, locale=locale)


@lru_cache(maxsize=4096)
def _date(day: date, pattern: str, locale: Locale | None) -> str:
    return dates.format_date(day, pattern, locale=locale)


def _carry_language(endpoint: str, values: dict) -> None:
    """Every URL a page builds keeps the language the person chose (never a cookie)."""
    lang = chosen_language()
    if lang and endpoint != "static":
        values.setdefault("lang", lang)


def switch_url(lang: str) -> str:
    """This page in another language: the same endpoint, arguments and query (on a page no
    route matched, a 404, the same path)."""
    query = {**request.args.to_dict(), "lang": lang}
    if request.endpoint is None or request.view_args is None:
        path = "/" + quote(request.path.lstrip("/"))  # never "//host/": a link off the site
        return f"{path}?{urlencode(query)}"
    return url_for(request.endpoint, **{**request.view_args, **query})


def stale_catalogues(directory: Path = TRANSLATIONS) -> list[Path]:
    """Each `.po` whose `.mo` is missing or older than it."""
    return [po for po in sorted(directory.glob("*/LC_MESSAGES/*.po"))
            if not (mo := po.with_suffix(".mo")).exists()
            or mo.stat().st_mtime < po.stat().st_mtime]


def compile_catalogues(directory: Path = TRANSLATIONS) -> list[Path]:
    """Compile each stale `.po`; returns the `.mo` files written."""
    written = []
    for po in stale_catalogues(directory):
        mo = po.with_suffix(".mo")
        with po.open("rb") as source:
            catalog = read_po(source, locale=po.parent.parent.name)
        try:
            with mo.open("wb") as target:
                write_mo(target, catalog)
        except OSError as error:  # a read-only install: the deploy step compiles them
            log.warning("cannot compile %s (%s); run pybabel compile", po, error)
            continue
        written.append(mo)
    return written


def init_app(app: Flask) -> None:
    compile_catalogues()
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=str(TRANSLATIONS))
    app.url_defaults(_carry_language)
    # Pages translate through the page's catalogue, found once (Flask-Babel's own callables
    # look it up again for every string), and so does the domain's words.
    app.jinja_env.install_gettext_callables(translate, translate_plural, newstyle=True,
                                            pgettext=translate_in, npgettext=translate_plural_in)
    app.jinja_env.filters.update(datetimeformat=datetimeformat, dateformat=dateformat)
    words.install(translate, language)
    app.jinja_env.policies["ext.i18n.trimmed"] = True  # msgids without layout whitespace
    app.jinja_env.globals.update(
        languages=LANGUAGES, html_lang=lambda: HTML_LANG[language()],
        page_language=language, chosen_language=chosen_language,
        switch_url=switch_url)
