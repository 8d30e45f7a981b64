"""What a session holds and the rules it must meet, as plain functions forms and services
share. Times are entered in the school's time zone and kept in UTC."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, tzinfo

from reporting.domain.directory import TAG_LABELS, text_problem, url_problem
from reporting.domain.errors import BelongError

TITLE_MAX = 120
ABOUT_MAX = 1000
AREA_MAX = 200
JOIN_MAX = 500
FACILITATOR_MAX = 120
NOTES_MAX = 500
ACCESS_LABELS = {
    "step_free": "Step-free access",
    "captions": "Captions or a live transcript",
    "quiet_room": "A quiet room to step out to",
}


class InvalidSession(BelongError):
    """A session's fields break the rules; `problems` maps field to message."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(problems.values()))
        self.problems = problems


class SessionNotFound(BelongError):
    """No such session at this school (another school's sessions are not there)."""


class NotAnOrganiser(BelongError):
    """Only the school's admins and the leads they name publish sessions."""


@dataclass(frozen=True)
class SessionFields:
    """Everything a session says, its day and times as the school's clock shows them."""

    title: str
    day: date | None
    starts: time | None
    ends: time | None
    facilitator: str
    join_details: str
    online: bool = False
    area: str = ""
    about: str = ""
    tags: tuple[str, ...] = ()
    step_free: bool = False
    captions: bool = False
    quiet_room: bool = False
    access_notes: str = ""


def normalise(fields: SessionFields) -> SessionFields:
    """Trim spaces, one kind of line break, tags in the list's order."""
    about = fields.about.replace("\r\n", "\n").replace("\r", "\n").strip()
    return replace(fields, title=fields.title.strip(), about=about, area=fields.area.strip(),
                   join_details=fields.join_details.strip(),
                   facilitator=fields.facilitator.strip(),
                   access_notes=fields.access_notes.strip(),
                   tags=tuple(t for t in TAG_LABELS if t in fields.tags)
                   + tuple(dict.fromkeys(t for t in fields.tags if t not in TAG_LABELS)))


def _text(value: str, limit: int, what: str, required: str | None = None,
          newlines: bool = False) -> str | None:
    if not value:
        return required
    if len(value) > limit:
        return f"Keep {what} under {limit:,} characters."
    return text_problem(value, allow_newlines=newlines)


def _join_problem(fields: SessionFields) -> str | None:
    """The room, or for an online session its https:// link."""
    missing = ("Give the link to join, starting with https://." if fields.online
               else "Say which room it is in.")
    found = _text(fields.join_details, JOIN_MAX, "how to join", missing)
    return found or (url_problem(fields.join_details) if fields.online else None)


def problems(fields: SessionFields) -> dict[str, str]:
    """Every rule the session breaks, by field; empty when it may be saved."""
    found = {
        "title": _text(fields.title, TITLE_MAX, "the title", "Give the session a title."),
        "about": _text(fields.about, ABOUT_MAX, "what it is about", newlines=True),
        "tags": (None if set(fields.tags) <= set(TAG_LABELS)
                 else "Choose who it is for from the list."),
        "day": None if fields.day else "Enter the day, for example 2026-03-01.",
        "starts": None if fields.starts else "Enter when it starts, for example 12:30.",
        "ends": None if fields.ends else "Enter when it ends, for example 14:00.",
        "area": _text(fields.area, AREA_MAX, "where it is"),
        "join_details": _join_problem(fields),
        "facilitator": _text(fields.facilitator, FACILITATOR_MAX, "the facilitator's name",
                             "Say who will run it."),
        "access_notes": _text(fields.access_notes, NOTES_MAX, "the accessibility notes"),
    }
    if fields.starts and fields.ends and fields.ends <= fields.starts:
        found["ends"] = "It must end after it starts (on the same day)."
    return {name: message for name, message in found.items() if message}


def check(fields: SessionFields) -> SessionFields:
    """The normalised fields, or InvalidSession naming every problem."""
    fields = normalise(fields)
    if found := problems(fields):
        raise InvalidSession(found)
    return fields


def instants(fields: SessionFields, where: tzinfo) -> tuple[datetime, datetime]:
    """When a checked session starts and ends, in UTC, from the school's local day and times."""
    return tuple(datetime.combine(fields.day, at, tzinfo=where).astimezone(UTC)
                 for at in (fields.starts, fields.ends))


def local_fields(when: tuple[datetime, datetime], where: tzinfo) -> dict[str, object]:
    """The day and times of a stored session on the school's clock (to fill in a form)."""
    start, end = (at.astimezone(where) for at in when)
    return {"day": start.date(), "starts": start.time().replace(tzinfo=None),
            "ends": end.time().replace(tzinfo=None)}


def describe_when(start: datetime, end: datetime, where: tzinfo) -> str:
    """A session's time in words on the school's clock: 'Wednesday 9 December 2026, 12:30
    to 14:00 (GMT)'."""
    local_start, local_end = start.astimezone(where), end.astimezone(where)
    return (f"{local_start:%A} {local_start.day} {local_start:%B %Y}, {local_start:%H:%M} to "
            f"{local_end:%H:%M} ({local_start:%Z})")
