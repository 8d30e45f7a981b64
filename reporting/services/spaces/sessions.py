"""Sessions: published, edited and cancelled by organisers; listed for students by
identity, the best overlap first, with past ones in an archive."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from reporting.domain.directory import best_overlap_first, zone
from reporting.domain.errors import Conflict
from reporting.domain.numbers import whole_number
from reporting.domain.spaces.fields import (
    WELSH,
    InvalidSession,
    SessionFields,
    SessionNotFound,
    check,
    instants,
    local_fields,
)
from reporting.domain.words import N_
from reporting.models import School, SpaceSession
from reporting.models.base import utcnow
from reporting.services import audit
from reporting.services.spaces.leads import Actor, organiser_name

ENDED = N_("This session has already ended, so it can no longer be changed.")
CANCELLED = N_("This session is cancelled, so it can no longer be changed.")
PASSED = N_("That day and time have already passed: choose when it will happen.")


def _audit(session: Session, name: str, space: SpaceSession, action: str) -> None:
    audit.record(session, audit.school_chain(space.school_id), name, action,
                 f"space_session:{space.id}")


def _apply(space: SpaceSession, fields: SessionFields, school: School) -> None:
    """Copy checked fields onto the row, the times turned into UTC (InvalidSession if it
    would already be over: a session is published to come, not for the archive)."""
    starts, ends = instants(fields, zone(school.timezone))
    if ends <= utcnow():
        raise InvalidSession({"day": PASSED})
    space.starts_at, space.ends_at = starts, ends
    for name in ("title", "about", "online", "area", "join_details", "facilitator",
                 "step_free", "captions", "quiet_room", "access_notes",
                 *(f"{name}_cy" for name in WELSH)):
        setattr(space, name, getattr(fields, name))
    space.tags = " ".join(fields.tags)


def fields_of(space: SpaceSession, school: School) -> SessionFields:
    """What a session says, on the school's clock (to fill in the edit form)."""
    return SessionFields(
        title=space.title, about=space.about, tags=tuple(space.tag_list),
        online=space.online, area=space.area, join_details=space.join_details,
        facilitator=space.facilitator, step_free=space.step_free, captions=space.captions,
        quiet_room=space.quiet_room, access_notes=space.access_notes,
        **{f"{name}_cy": getattr(space, f"{name}_cy") for name in WELSH},
        **local_fields((space.starts_at, space.ends_at), zone(school.timezone)))


def create_session(session: Session, actor: Actor, school: School,
                   fields: SessionFields) -> SpaceSession:
    """Publish a session (raises InvalidSession, NotAnOrganiser or SessionNotFound)."""
    name = organiser_name(session, actor, school.id)
    fields = check(fields)
    space = SpaceSession(school_id=school.id,
                         created_by=None if isinstance(actor, str) else actor.id)
    _apply(space, fields, school)
    session.add(space)
    session.flush()
    _audit(session, name, space, "spaces.create")
    return space


def find_session(session: Session, school_id: int, space_id: int | str | None) -> SpaceSession:
    """One session of this school, or SessionNotFound."""
    space = session.scalar(select(SpaceSession).where(
        SpaceSession.id == (whole_number(space_id) or 0), SpaceSession.school_id == school_id))
    if space is None:
        raise SessionNotFound(N_("There is no such session at your school."))
    return space


def _still_open(space: SpaceSession) -> None:
    if space.cancelled_at is not None:
        raise Conflict(CANCELLED)
    if space.ends_at <= utcnow():
        raise Conflict(ENDED)


def edit_session(session: Session, actor: Actor, space: SpaceSession,
                 fields: SessionFields) -> SpaceSession:
    """Change an upcoming session; calendars that load the .ics again see the new version."""
    name = organiser_name(session, actor, space.school_id)
    fields = check(fields)
    session.refresh(space, with_for_update=True)
    _still_open(space)
    _apply(space, fields, session.get(School, space.school_id))
    space.sequence += 1
    session.flush()
    _audit(session, name, space, "spaces.edit")
    return space


def cancel_session(session: Session, actor: Actor, space: SpaceSession) -> SpaceSession:
    """Call off an upcoming session: students see it cancelled, its .ics says so."""
    name = organiser_name(session, actor, space.school_id)
    session.refresh(space, with_for_update=True)
    _still_open(space)
    space.cancelled_at = utcnow()
    space.sequence += 1
    session.flush()
    _audit(session, name, space, "spaces.cancel")
    return space


def upcoming(session: Session, school_id: int, tags: Iterable[str] = (),
             now: datetime | None = None) -> list[SpaceSession]:
    """Sessions not yet over (cancelled ones too, marked), for any of the chosen identities
    or open to everyone, the best overlap first, then the soonest."""
    rows = session.scalars(select(SpaceSession).where(
        SpaceSession.school_id == school_id, SpaceSession.ends_at > (now or utcnow())))
    return best_overlap_first(rows, set(tags), lambda s: s.tag_list,
                              lambda s: (s.starts_at, s.id))


def archive(session: Session, school_id: int, tags: Iterable[str] = (),
            now: datetime | None = None) -> list[SpaceSession]:
    """Sessions that have ended, filtered the same way, the most recent first."""
    rows = session.scalars(select(SpaceSession).where(
        SpaceSession.school_id == school_id, SpaceSession.ends_at <= (now or utcnow())))
    return best_overlap_first(rows, set(tags), lambda s: s.tag_list,
                              lambda s: (-s.starts_at.timestamp(), -s.id))
