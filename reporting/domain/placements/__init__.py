"""Placement providers and rising patterns: the plain rules (no Flask, no SQL)."""

from __future__ import annotations

import unicodedata

from reporting.domain.errors import BelongError
from reporting.domain.words import N_

NAME_MAX = 120
THRESHOLD_MIN, THRESHOLD_MAX = 5, 1000  # below 5 an alert could point at one student
NOT_SAID = ""  # the form's "I'd rather not say"
NO_SUCH_PROVIDER = N_("That placement provider is not on your school's list any more. Choose "
                      "another, or \u201cI'd rather not say\u201d.")
# The email says which kind of pattern rose, never which provider, setting or ground.
ALERT_SUBJECTS = {
    "provider": N_("Reports about one placement provider have risen this term"),
    "setting": N_("Reports about one setting have risen this term"),
    "ground": N_("Reports about one ground have risen this term"),
}


class InvalidProvider(BelongError):
    """A provider name or a threshold the school cannot keep; `problems` names the field."""

    def __init__(self, problems: dict[str, str]):
        super().__init__(" ".join(map(str, problems.values())))
        self.problems = problems


class ProviderNotFound(BelongError):
    """No such provider in this school (another school's, retired, or nonsense)."""


def clean_name(text: str | None) -> str:
    """A provider's name, trimmed and with its spaces folded (raises InvalidProvider)."""
    name = " ".join(unicodedata.normalize("NFC", text or "").split())
    if not name:
        raise InvalidProvider({"name": N_("Enter the provider's name.")})
    if len(name) > NAME_MAX:
        raise InvalidProvider({"name": N_("Keep the name under %(max)s characters.") % {
            "max": NAME_MAX}})
    if any(unicodedata.category(c).startswith("C") for c in name):
        raise InvalidProvider({"name": N_("Use letters, numbers and punctuation only.")})
    return name


def check_threshold(value: int | None) -> int | None:
    """A term's alert threshold, or None for no alerts (raises InvalidProvider)."""
    if value is not None and not THRESHOLD_MIN <= value <= THRESHOLD_MAX:
        raise InvalidProvider({"threshold": N_(
            "Choose a number from %(min)s to %(max)s, or leave it empty for no alerts.") % {
            "min": THRESHOLD_MIN, "max": THRESHOLD_MAX}})
    return value


def risen(counts: dict[str, int], threshold: int | None) -> list[str]:
    """The patterns (like "provider:12") whose count this term has reached the threshold."""
    if threshold is None:
        return []
    return sorted(pattern for pattern, count in counts.items() if count >= threshold)


def pattern_kind(pattern: str) -> str:
    """Which kind of pattern: provider, setting or ground."""
    return pattern.split(":", 1)[0]


def protect(counts: dict[str, int], line: list[str], hidden_already: set[str]) -> dict[str, str]:
    """What each count of one line may show (after domain.disclosure): counts 1–4 hidden,
    and `hidden_already` (a total another table hides); then, while the line has exactly one
    hidden figure, its smallest shown non-zero figure is hidden too."""
    from reporting.domain.disclosure import FEWER, MIN_COUNT, PROTECTED

    hidden = {key: FEWER for key, count in counts.items() if 0 < count < MIN_COUNT}
    hidden |= {key: PROTECTED for key in hidden_already if key not in hidden}
    while sum(key in hidden for key in line) == 1:
        candidates = sorted((counts[key], key) for key in line
                            if key not in hidden and counts[key] > 0)
        if not candidates:
            break
        hidden[candidates[0][1]] = PROTECTED
    return {key: hidden.get(key, str(count)) for key, count in counts.items()}
