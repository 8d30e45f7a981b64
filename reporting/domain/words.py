"""Words the domain gives people, translatable without Flask.

`N_("...")` marks a message for Babel's extraction and returns a lazy string: it is
translated each time it is shown, into the language of the page (or email) being built. The
app installs the translator (`reporting/i18n.py`); with none installed, the English is shown.
Dates are written with Babel's month names for the same language.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from babel.dates import format_date
from babel.support import LazyProxy

_gettext: Callable[[str], str] = lambda text: text  # noqa: E731 (replaced by install)
_locale: Callable[[], str] = lambda: "en"  # noqa: E731


def install(gettext: Callable[[str], str], locale: Callable[[], str]) -> None:
    """Translate the domain's words with `gettext`, in the language `locale()` names."""
    global _gettext, _locale
    _gettext, _locale = gettext, locale


class LazyText(LazyProxy):
    """A message translated each time it is read; usable as a dict key, like the str."""

    def __hash__(self) -> int:
        return hash(self.value)


def N_(text: str) -> LazyText:  # noqa: N802 (the gettext convention)
    """A message, translated when shown; `.msgid` is its English, as the code wrote it."""
    lazy = LazyText(lambda: _gettext(text), enable_cache=False)
    object.__setattr__(lazy, "msgid", text)
    return lazy


def month_year(day: date) -> str:
    """'March 2026', 'Mawrth 2026'."""
    return format_date(day, "MMMM y", locale=_locale())


def day_month_year(day: date) -> str:
    """'14 March 2026', '14 Mawrth 2026'."""
    return format_date(day, "d MMMM y", locale=_locale())


def weekday_day_month_year(day: date) -> str:
    """'Wednesday 9 December 2026', 'Dydd Mercher 9 Rhagfyr 2026'."""
    return format_date(day, "EEEE d MMMM y", locale=_locale())
