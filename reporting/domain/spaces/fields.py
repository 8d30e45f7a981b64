"""What a session holds and the rules it must meet, as plain functions forms and services
share. Times are entered in the school's time zone and kept in UTC."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, tzinfo

from reporting.domain import words
from reporting.domain.directory import TAG_LABELS, text_problem, url_problem
from reporting.domain.errors import BelongError
from reporting.domain.words import N_

TITLE_MAX = 120
ABOUT_MAX = 1000
AREA_MAX = 200
JOIN_MAX = 500
FACILITATOR_MAX = 120
NOTES_MAX = 500
ACCESS_LABELS = {
    "step_free": N_("Step-free access"),
    "captions": N_("Captions or a live transcript"),
    "quiet_room": N_("A quiet room to step out to"),
}
# The words an organiser may also give in Welsh, each kept as `<name>_cy` beside it.
WELSH = ("title", "about", "area", "join_details", "facilitator", "access_notes")


class InvalidSession(BelongError):
    """A session's fields break the rules; `problems` maps field to message."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(map(str, problems.values())))
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
    # The same words in Welsh (optional; "" shows the English on Welsh pages).
    title_cy: str = ""
    about_cy: str = ""
    area_cy: str = ""
    join_details_cy: str = ""
    facilitator_cy: str = ""
    access_notes_cy: str = ""


def normalise(fields: SessionFields) -> SessionFields:
    """Trim spaces, one kind of line break, tags in the list's order."""
    about = fields.about.replace("\r\n", "\n").replace("\r", "\n").strip()
    about_cy = fields.about_cy.replace("\r\n", "\n").replace("\r", "\n").strip()
    return replace(fields, title=fields.title.strip(), about=about, area=fields.area.strip(),
                   join_details=fields.join_details.strip(),
                   facilitator=fields.facilitator.strip(),
                   access_notes=fields.access_notes.strip(),
                   title_cy=fields.title_cy.strip(), about_cy=about_cy,
                   area_cy=fields.area_cy.strip(), join_details_cy=fields.join_details_cy.strip(),
                   facilitator_cy=fields.facilitator_cy.strip(),
                   access_notes_cy=fields.access_notes_cy.strip(),
                   tags=tuple(t for t in TAG_LABELS if t in fields.tags)
                   + tuple(dict.fromkeys(t for t in fields.tags if t not in TAG_LABELS)))


def _text(value: str, limit: int, too_long, required=None,
          newlines: bool = False) -> str | None:
    """`too_long` names the field and holds %(limit)s: the whole sentence is translated."""
    if not value:
        return required
    if len(value) > limit:
        return too_long % {"limit": f"{limit:,}"}
    return text_problem(value, allow_newlines=newlines)


def _join_problem(fields: SessionFields) -> str | None:
    """The room, or for an online session its https:// link."""
    missing = (N_("Give the link to join, starting with https://.") if fields.online
               else N_("Say which room it is in."))
    found = _text(fields.join_details, JOIN_MAX, TOO_LONG["join_details"], missing)
    return found or (url_problem(fields.join_details) if fields.online else None)


TOO_LONG = {
    "title": N_("Keep the title under %(limit)s characters."),
    "about": N_("Keep what it is about under %(limit)s characters."),
    "area": N_("Keep where it is under %(limit)s characters."),
    "join_details": N_("Keep how to join under %(limit)s characters."),
    "facilitator": N_("Keep the facilitator's name under %(limit)s characters."),
    "access_notes": N_("Keep the accessibility notes under %(limit)s characters."),
}
LIMITS = {"title": TITLE_MAX, "about": ABOUT_MAX, "area": AREA_MAX, "join_details": JOIN_MAX,
          "facilitator": FACILITATOR_MAX, "access_notes": NOTES_MAX}


def _welsh_problems(fields: SessionFields) -> dict[str, str | None]:
    """The Welsh words keep the English rules, but none is required."""
    found = {f"{name}_cy": _text(getattr(fields, f"{name}_cy"), LIMITS[name], TOO_LONG[name],
                                 newlines=name == "about") for name in WELSH}
    if fields.online and fields.join_details_cy and not found["join_details_cy"]:
        found["join_details_cy"] = url_problem(fields.join_details_cy)
    return found


def problems(fields: SessionFields) -> dict[str, str]:
    """Every rule the session breaks, by field; empty when it may be saved."""
    found = {
        "title": _text(fields.title, TITLE_MAX, TOO_LONG["title"],
                       N_("Give the session a title.")),
        "about": _text(fields.about, ABOUT_MAX, TOO_LONG["about"], newlines=True),
        "tags": (None if set(fields.tags) <= set(TAG_LABELS)
                 else N_("Choose who it is for from the list.")),
        "day": None if fields.day else N_("Enter the day, for example 2026-03-01."),
        "starts": None if fields.starts else N_("Enter when it starts, for example 12:30."),
        "ends": None if fields.ends else N_("Enter when it ends, for example 14:00."),
        "area": _text(fields.area, AREA_MAX, TOO_LONG["area"]),
        "join_details": _join_problem(fields),
        "facilitator": _text(fields.facilitator, FACILITATOR_MAX, TOO_LONG["facilitator"],
                             N_("Say who will run it.")),
        "access_notes": _text(fields.access_notes, NOTES_MAX, TOO_LONG["access_notes"]),
        **_welsh_problems(fields),
    }
    if fields.starts and fields.ends and fields.ends <= fields.starts:
        found["ends"] = N_("It must end after it starts (on the same day).")
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
    day = words.weekday_day_month_year(local_start.date())
    return N_("%(day)s, %(start)s to %(end)s (%(zone)s)") % {
        "day": day, "start": f"{local_start:%H:%M}", "end": f"{local_end:%H:%M}",
        "zone": f"{local_start:%Z}"}
