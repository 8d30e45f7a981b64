""""I might come": one number per session, so organisers can plan a room.

Nothing about who said it is stored: no row, no time, no audit entry, only the count going
up. Organisers see it through the dashboard's disclosure control.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from reporting.domain.disclosure import count_text
from reporting.domain.errors import Conflict
from reporting.domain.words import N_
from reporting.models import SpaceSession
from reporting.models.base import utcnow

NOT_OPEN = N_("This session has ended or been cancelled, so it is not taking interest.")


def note_interest(session: Session, space: SpaceSession) -> None:
    """Add one to the count of an upcoming session, in one statement (two at once both
    count); raises Conflict once it has ended or is cancelled."""
    counted = session.execute(
        update(SpaceSession)
        .where(SpaceSession.id == space.id, SpaceSession.cancelled_at.is_(None),
               SpaceSession.ends_at > utcnow())
        .values(interest_count=SpaceSession.interest_count + 1)
        .execution_options(synchronize_session=False)).rowcount
    if not counted:
        raise Conflict(NOT_OPEN)


def interest_shown(space: SpaceSession) -> str:
    """The count as an organiser may see it: 1 to 4 show as "fewer than 5"."""
    return count_text(space.interest_count)
