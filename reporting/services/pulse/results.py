"""The pulse's results by term, by statement and by identity, already suppressed: for the
admin's page, and for anything else that shows them (the evidence pack)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from reporting.domain.directory import TAG_LABELS
from reporting.domain.pulse.figures import Figure, Tally, figure, groups
from reporting.domain.pulse.items import AGREES, shown
from reporting.domain.terms import Term
from reporting.models import PulseAgreement, PulseItem, PulseResponse


@dataclass(frozen=True)
class TermResults:
    """One term: everyone, each statement, each identity ticked."""

    term: Term
    overall: Figure
    by_item: list[Figure]
    by_identity: list[Figure]


@dataclass(frozen=True)
class Results:
    """Several terms, oldest first, every figure through disclosure control."""

    terms: list[TermResults]

    @property
    def trend(self) -> list[Figure]:
        """Everyone's share agreeing, term by term: the line to watch after the school acts."""
        return [t.overall for t in self.terms]


def _add(a: Tally, b: Tally) -> Tally:
    return Tally(a.people + b.people, a.agreed + b.agreed, a.answered + b.answered)


def results(session: Session, school_id: int, terms: Iterable[Term]) -> Results:
    """The school's results for these terms (any order given; shown oldest first)."""
    terms = sorted(set(terms))
    keys = [t.key for t in terms]
    agreed = func.sum(case((PulseAgreement.agreement.in_(sorted(AGREES)), 1), else_=0))
    per_response = session.execute(
        select(PulseResponse.term, PulseResponse.tags, agreed, func.count())
        .join(PulseAgreement, PulseAgreement.response_id == PulseResponse.id)
        .where(PulseResponse.school_id == school_id, PulseResponse.term.in_(keys))
        .group_by(PulseResponse.id, PulseResponse.term, PulseResponse.tags)).all()
    per_item = session.execute(
        select(PulseResponse.term, PulseItem.id, PulseItem.text, PulseItem.position,
               agreed, func.count())
        .join(PulseAgreement, PulseAgreement.response_id == PulseResponse.id)
        .join(PulseItem, PulseItem.id == PulseAgreement.item_id)
        .where(PulseResponse.school_id == school_id, PulseResponse.term.in_(keys))
        .group_by(PulseResponse.term, PulseItem.id, PulseItem.text, PulseItem.position)
        .order_by(PulseItem.position, PulseItem.id)).all()
    overall: dict[str, Tally] = defaultdict(lambda: Tally(0, 0, 0))
    identity: dict[str, dict[str, Tally]] = defaultdict(dict)
    for term, tags, yes, count in per_response:
        one = Tally(1, int(yes or 0), int(count))
        overall[term] = _add(overall[term], one)
        for tag in set(tags.split()) & set(TAG_LABELS):
            identity[term][tag] = _add(identity[term].get(tag, Tally(0, 0, 0)), one)
    items: dict[str, list[Figure]] = defaultdict(list)
    for term, item_id, text, _, yes, count in per_item:
        items[term].append(figure(f"item-{item_id}", shown(text),
                                  Tally(count, int(yes or 0), count)))
    return Results([TermResults(t, figure(t.key, t.label, overall[t.key]), items[t.key],
                                groups(identity[t.key], TAG_LABELS)) for t in terms])
