"""A school's terms: autumn (September to December), spring (January to March) and summer
(April to August), on the school's own clock. A term is the finest time the pulse keeps,
and the period the placement alerts count over."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, tzinfo

from reporting.domain.words import N_

# In calendar order within a year; each season starts on the 1st of its month.
SEASONS = ("spring", "summer", "autumn")
STARTS = {"spring": 1, "summer": 4, "autumn": 9}
_KEY = re.compile(r"(?P<year>20\d\d)-(?P<season>spring|summer|autumn)")
LABELS = {"spring": N_("Spring %(year)s"), "summer": N_("Summer %(year)s"),
          "autumn": N_("Autumn %(year)s")}


@dataclass(frozen=True, order=True)
class Term:
    """One term: the calendar year it starts in and its season (ordered in time)."""

    year: int
    index: int  # position in SEASONS

    @property
    def season(self) -> str:
        """spring, summer or autumn."""
        return SEASONS[self.index]

    @property
    def key(self) -> str:
        """How it is stored, for example 2026-autumn."""
        return f"{self.year}-{self.season}"

    @property
    def label(self) -> str:
        """How it is shown, for example Autumn 2026."""
        return LABELS[self.season] % {"year": self.year}

    @property
    def starts(self) -> date:
        """Its first day."""
        return date(self.year, STARTS[self.season], 1)

    def bounds(self, where: tzinfo) -> tuple[datetime, datetime]:
        """When it starts and when the next one starts (exclusive), in UTC, for a school in
        this time zone."""
        def instant(day: date) -> datetime:
            return datetime.combine(day, time.min, tzinfo=where).astimezone(UTC)
        return instant(self.starts), instant(self.next().starts)

    def next(self) -> Term:
        """The term after this one."""
        return Term(self.year + 1, 0) if self.index == 2 else Term(self.year, self.index + 1)

    def previous(self) -> Term:
        """The term before this one."""
        return Term(self.year - 1, 2) if self.index == 0 else Term(self.year, self.index - 1)


def term_on(day: date) -> Term:
    """The term a day falls in."""
    season = "autumn" if day.month >= 9 else "summer" if day.month >= 4 else "spring"
    return Term(day.year, SEASONS.index(season))


def term_at(moment: datetime, zone: tzinfo) -> Term:
    """The term an instant falls in, on the school's clock (a timezone-aware instant)."""
    return term_on(moment.astimezone(zone).date())


def parse(key: str | None) -> Term | None:
    """A stored or posted term key, or None if it is not one."""
    match = _KEY.fullmatch(key or "")
    if match is None:
        return None
    return Term(int(match["year"]), SEASONS.index(match["season"]))


def recent(last: Term, count: int) -> list[Term]:
    """The `count` terms up to and including `last`, oldest first."""
    terms = [last]
    while len(terms) < count:
        terms.append(terms[-1].previous())
    return terms[::-1]
