"""The pulse's results as they may be shown: every count and share through the dashboard's
disclosure control (domain.disclosure). A share rests on the people who answered, never on
the number of statements they answered, so five statements do not make one person five."""

from __future__ import annotations

from dataclasses import dataclass

from reporting.domain import disclosure
from reporting.domain.disclosure import FEWER, MIN_BASE, PROTECTED

BASIS = "responses"


@dataclass(frozen=True)
class Tally:
    """True totals for one group in one term (never shown as such)."""

    people: int  # who answered
    agreed: int  # statements answered "agree" or "strongly agree"
    answered: int  # statements answered


@dataclass(frozen=True)
class Figure:
    """One group's figures as shown: how many answered, and the share agreeing."""

    key: str
    label: str
    people: int  # the true count, for drawing only; never displayed
    shown: str
    share: float | None
    share_shown: str

    @property
    def hidden(self) -> bool:
        """Is the share withheld (too few people, or its count hidden)?"""
        return self.share is None


def figure(key: str, label: str, tally: Tally, shown: str | None = None) -> Figure:
    """A group's figures: the count as `shown` says (or on its own), the share only when
    at least 8 people answered and their count is shown."""
    shown = disclosure.count_text(tally.people) if shown is None else shown
    if shown in (FEWER, PROTECTED):
        return Figure(key, label, tally.people, shown, None, disclosure.HIDDEN_SHARE)
    if tally.people < MIN_BASE or not tally.answered:
        return Figure(key, label, tally.people, shown, None, disclosure.withheld(BASIS))
    share = 100.0 * tally.agreed / tally.answered
    return Figure(key, label, tally.people, shown, share, f"{share:.0f}%")


def groups(tallies: dict[str, Tally], labels: dict[str, str]) -> list[Figure]:
    """Figures for groups of one term (identities, say), in the labels' order, with
    secondary suppression across them as the dashboard's breakdowns have."""
    present = [key for key in labels if key in tallies]
    shown = disclosure.suppress({key: tallies[key].people for key in present}, [present])
    return [figure(key, labels[key], tallies[key], shown[key]) for key in present]
