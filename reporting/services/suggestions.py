"""What the receipt, the report's own page and the support directory suggest beyond the
directory: role models and sessions to meet for the identities a student chose, matched as
directory entries are (for any of them or open to everyone, the most shared first)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, tzinfo

from sqlalchemy.orm import Session

from reporting.domain.directory import TAG_LABELS, zone
from reporting.models import RoleModelProfile, School, SpaceSession
from reporting.services.role_models.profiles import browse
from reporting.services.spaces.sessions import upcoming

SHOWN = 3  # a suggestion, not a second directory: the rest is one link away


@dataclass(frozen=True)
class Suggestions:
    """A few role models and sessions to meet, for these identities (sessions in the
    school's time zone)."""

    tags: tuple[str, ...]
    role_models: list[RoleModelProfile]
    more_role_models: bool
    sessions: list[SpaceSession]
    more_sessions: bool
    zone: tzinfo

    def __bool__(self) -> bool:
        return bool(self.role_models or self.sessions)


def for_identities(session: Session, school: School, chosen: Iterable[str] | None,
                   now: datetime | None = None) -> Suggestions:
    """Suggestions for what a student chose (a report's grounds, the directory's filter):
    role models who share any of it, then any; cancelled sessions are not suggested."""
    tags = tuple(tag for tag in TAG_LABELS if tag in {str(c) for c in chosen or ()})
    people = browse(session, school.id, tags, ())
    coming = [space for space in upcoming(session, school.id, tags, now)
              if space.cancelled_at is None]
    return Suggestions(tags, people[:SHOWN], len(people) > SHOWN, coming[:SHOWN],
                       len(coming) > SHOWN, zone(school.timezone))
