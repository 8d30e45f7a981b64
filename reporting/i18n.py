"""Languages: English and Welsh, chosen by a link that sets no cookie.

The language lives in the URL (`?lang=cy`) once a person picks it, and every link and form
the page builds carries it on. With no choice in the URL, the browser's Accept-Language picks
the first page's language. Nothing is stored: no cookie, no session key.

Catalogues are kept as source (`translations/<lang>/LC_MESSAGES/messages.po`) and compiled to
`.mo` by `pybabel compile` (CI, deployment) or, on a fresh checkout, when the app starts.
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import quote, urlencode

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, has_app_context, has_request_context, request, url_for
from flask_babel import Babel, get_locale, gettext

from reporting.domain import words

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
    return str(get_locale() or DEFAULT) if has_app_context() else DEFAULT


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
    words.install(gettext, language)
    app.jinja_env.policies["ext.i18n.trimmed"] = True  # msgids without layout whitespace
    app.jinja_env.globals.update(
        languages=LANGUAGES, html_lang=lambda: HTML_LANG[language()],
        page_language=language, chosen_language=chosen_language,
        switch_url=switch_url)
