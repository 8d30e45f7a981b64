"""One person's answer to a term's pulse, checked against the items they were shown."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from reporting.domain.directory import TAG_LABELS
from reporting.domain.errors import BelongError
from reporting.domain.pulse.items import SCALE
from reporting.domain.words import N_


class InvalidAnswer(BelongError):
    """The answer does not fit the pulse shown (tampered, or the items changed meanwhile)."""


class AlreadyAnswered(BelongError):
    """This browser, or this form, has already answered this term."""


CHANGED = N_("This pulse changed, or the page was altered. Nothing was saved: please answer "
             "again.")
SCALE_VALUES = frozenset(str(value) for value in SCALE)
UNANSWERED = N_("Answer every statement, or leave the pulse: nothing is saved until you send "
                "it.")


@dataclass(frozen=True)
class Answer:
    """What one person said: an agreement (1 to 5) per item id, and the identities ticked."""

    agreements: Mapping[int, int]
    tags: tuple[str, ...] = ()


def check_answer(raw: Mapping[int, str | None], tags: Iterable[str],
                 item_ids: Iterable[int]) -> Answer:
    """The answer for exactly the items shown, or InvalidAnswer: an item missing says
    UNANSWERED; an item not shown, a value off the scale or an unknown identity, CHANGED."""
    expected = set(item_ids)
    if set(raw) != expected:
        raise InvalidAnswer(CHANGED)
    if any(value in (None, "") for value in raw.values()):
        raise InvalidAnswer(UNANSWERED)
    agreements = {}
    for item_id, value in raw.items():
        if value not in SCALE_VALUES:
            raise InvalidAnswer(CHANGED)
        agreements[item_id] = int(value)
    tags = tuple(dict.fromkeys(tags))
    if set(tags) - set(TAG_LABELS):
        raise InvalidAnswer(CHANGED)
    return Answer(agreements, tuple(t for t in TAG_LABELS if t in tags))
