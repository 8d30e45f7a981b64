"""Demo answers to the pulse: four terms, belonging rising after the school acts, and
every identity group shown large enough that no chart is suppressed."""

from __future__ import annotations

import random

from sqlalchemy.orm import Session

from reporting.domain.directory import zone
from reporting.domain.pulse.answers import Answer
from reporting.domain.terms import recent, term_at
from reporting.models import School
from reporting.models.base import utcnow
from reporting.services.pulse.answers import take_answer
from reporting.services.pulse.items import current_items

# Who ticks what: each group gets at least 8 people a term (see figures.py), or none.
GROUPS = [("race",), ("race", "international"), ("sex",), ("disability",),
          ("first_generation", "socio_economic"), ("sexual_orientation",), ()]
PER_GROUP = 9
TERMS = 4


def demo_answers(session: Session, school: School, seed: str = "belong-demo") -> int:
    """Answers for the last four terms, the share agreeing rising term by term."""
    rng = random.Random(seed)  # noqa: S311 (demo data, not security)
    ids = [item.id for item in current_items(session, school.id)]
    terms = recent(term_at(utcnow(), zone(school.timezone)), TERMS)
    count = 0
    for step, term in enumerate(terms):
        agree_chance = 0.45 + 0.1 * step
        for tags in GROUPS:
            for _ in range(PER_GROUP):
                agreements = {i: rng.choice((4, 5)) if rng.random() < agree_chance
                              else rng.choice((1, 2, 3)) for i in ids}
                take_answer(session, school.id, term, f"demo-{rng.getrandbits(64):x}",
                            Answer(agreements, tags))
                count += 1
    return count
