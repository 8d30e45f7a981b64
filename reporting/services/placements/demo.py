"""The demo's placement providers, and enough placement reports that a newcomer sees
reports by provider unsuppressed (every count 5 or more, shares on 8 or more)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from itertools import cycle

from sqlalchemy.orm import Session

from reporting.domain.cases import Action
from reporting.domain.report import Ground, Impact, Responsible, Setting, Urgency, Want, When
from reporting.models import Case, School
from reporting.services import placements
from reporting.services.reports import Draft, submit_report

ACTOR = "demo"
# (name, how many reports name it); None is "I'd rather not say".
PROVIDERS = [("Northfield Teaching Hospitals NHS Trust", 9), ("St Aidan's General Hospital", 8),
             ("Moorside Community Health Trust", 5), ("Beckford Lane GP Practice", 0),
             (None, 5)]
GROUNDS = cycle([{Ground.RACE}, {Ground.RACE, Ground.ACCENT_LANGUAGE}, {Ground.SEX},
                 {Ground.RACE, Ground.RELIGION_BELIEF}, {Ground.DISABILITY}])
NARRATIVE = "Demo report about a placement (no real events)."

Backdate = Callable[[Case, int, list[Action]], None]


def add_placement_demo(session: Session, school: School, backdate: Backdate) -> int:
    """Add the providers and their reports, each acknowledged; how many reports."""
    made = 0
    for name, count in PROVIDERS:
        provider = placements.add_provider(session, ACTOR, school.id, name) if name else None
        for n in range(count):
            days_ago = 3 + (made * 5) % 70
            submitted = submit_report(session, school, Draft(
                narrative=NARRATIVE, setting=Setting.CLINICAL_PLACEMENT,
                responsible=Responsible.CLINICIAN, impact=Impact.SOME, urgency=Urgency.LOW,
                grounds=frozenset(next(GROUNDS)), wants=frozenset({Want.SUPPORT}),
                occurred_kind=When.DATE, occurred_on=date.today() - timedelta(days=days_ago + 1),
                provider_id=provider.id if provider else None))
            backdate(submitted.case, days_ago, [Action.ACKNOWLEDGE] if n % 4 != 3 or
                     count < 8 else [Action.ACKNOWLEDGE, Action.START])
            made += 1
    placements.set_threshold(session, ACTOR, school.id, 12)  # after the reports: no alert yet
    return made
