"""The demo school's history: anonymous statistics rows, as retention leaves them once a
case is purged (no case, no content), for two earlier years and this one so far, so the
dashboard and the evidence pack have figures above the disclosure thresholds and a trend."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from reporting.domain.cases import CaseStatus
from reporting.domain.report import Ground, Setting, ground_bits
from reporting.domain.roles import ChannelKind
from reporting.models import CaseStat, CaseStatGround, School
from reporting.services.stats import academic_year

# Reports in each year (years back: count), the trend rising as trust grows; this year's so
# far, beside the demo's six real cases.
YEARS_BACK = {2: 64, 1: 88, 0: 36}
CHANNELS = [(ChannelKind.PASTORAL, 5), (ChannelKind.INSTITUTIONAL, 3), (ChannelKind.PEER, 2)]
SETTINGS = [(Setting.CLINICAL_PLACEMENT, 5), (Setting.TEACHING, 3), (Setting.CAMPUS, 2),
            (Setting.ONLINE, 2), (Setting.ACCOMMODATION, 1), (Setting.SOCIAL, 1)]
GROUNDS = [(Ground.RACE, 6), (Ground.ACCENT_LANGUAGE, 3), (Ground.RELIGION_BELIEF, 3),
           (Ground.SEX, 3), (Ground.DISABILITY, 2), (Ground.SOCIO_ECONOMIC, 2),
           (Ground.SEXUAL_ORIENTATION, 2)]
OUTCOMES = [(CaseStatus.CLOSED, 6), (CaseStatus.RESOLVED, 2), (CaseStatus.WITHDRAWN, 1)]


def _pick(chance: random.Random, weighted: list) -> object:
    return chance.choices([item for item, _ in weighted], [w for _, w in weighted])[0]


def add_history(session: Session, school: School, now: datetime) -> int:
    """Statistics rows for the school's academic years up to `now`; how many."""
    chance = random.Random(school.slug)  # noqa: S311 (made-up figures, the same every time)
    added = 0
    for back, count in YEARS_BACK.items():
        start = datetime(now.year - back - (now.month < 8), 8, 1, tzinfo=UTC)
        days = min(360, (now - start).days)  # this year: only the days gone by
        for _ in range(count if days > 0 else 0):
            created = start + timedelta(days=chance.randrange(0, days), hours=10)
            grounds = {_pick(chance, GROUNDS) for _ in range(chance.choice((1, 1, 2)))}
            ack = chance.uniform(4, 70)
            reply = ack + chance.uniform(2, 90)
            session.add(CaseStat(
                school_id=school.id, channel=_pick(chance, CHANNELS).value, kind="report",
                created_at=created, month=created.strftime("%Y-%m"),
                academic_year=academic_year(created), setting=_pick(chance, SETTINGS).value,
                identity=chance.choice(("anonymous", "anonymous", "named")),
                status=_pick(chance, OUTCOMES).value, ack_hours=ack,
                first_response_hours=reply, resolution_hours=reply + chance.uniform(48, 900),
                ack_within_target=ack <= 48, feedback_within_target=reply <= 120,
                ground_bits=ground_bits(grounds),
                grounds=[CaseStatGround(ground=g.value) for g in grounds]))
            added += 1
    return added
