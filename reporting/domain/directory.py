"""The support directory's vocabulary and rules: kinds, tags, limits and field checks.

Plain functions that return a problem in plain words (or None), so forms and services
apply exactly the same rules.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from reporting.domain.errors import BelongError
from reporting.domain.peer import PEER_TAGS
from reporting.domain.roles import CHANNEL_LABELS
from reporting.domain.words import N_


class Kind(StrEnum):
    """What sort of support an entry is."""

    PEER_NETWORK = "peer_network"
    MENTORING = "mentoring"
    WELLBEING = "wellbeing"
    EDI_COMPLAINTS = "edi_complaints"
    OCCUPATIONAL_HEALTH = "occupational_health"
    CHAPLAINCY = "chaplaincy"
    HELPLINE = "helpline"
    PROFESSIONAL_BODY = "professional_body"


KIND_LABELS: dict[str, str] = {
    Kind.PEER_NETWORK: N_("Peer network or student society"),
    Kind.MENTORING: N_("Mentoring or role-model scheme"),
    Kind.WELLBEING: N_("Pastoral and wellbeing service"),
    Kind.EDI_COMPLAINTS: N_("EDI and complaints office"),
    Kind.OCCUPATIONAL_HEALTH: N_("Occupational health"),
    Kind.CHAPLAINCY: N_("Chaplaincy and faith support"),
    Kind.HELPLINE: N_("National helpline"),
    Kind.PROFESSIONAL_BODY: N_("Professional body or union"),
}
# For a student who is not safe: help they can reach at once, in confidence, comes first.
URGENT_KINDS = frozenset({Kind.HELPLINE.value, Kind.WELLBEING.value})
# Who an entry is for: the grounds of a report, then the experiences peers share.
TAG_LABELS = PEER_TAGS
CHANNEL_VALUES = {kind.value: label for kind, label in CHANNEL_LABELS.items()}

NAME_MAX = 120
OFFERS_MAX = 1000
URL_MAX = 300
PHONE_MAX = 40
EMAIL_MAX = 254
HOURS_MAX = 200

_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
# https only; an ASCII host name with a dot; no spaces, quotes, angle brackets or backslashes.
_URL = re.compile(rf"(?i:https)://{_LABEL}(?:\.{_LABEL})+(?::\d{{1,5}})?(?:[/?#][^\s\"'<>\\^`{{|}}]*)?")
_PHONE = re.compile(r"\+?[0-9 ()\-]+")
_EMAIL = re.compile(rf"[A-Za-z0-9._%+-]{{1,64}}@{_LABEL}(?:\.{_LABEL})+")
# Bidirectional overrides can make text display differently from what it says.
_BIDI = {"\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
         "\u2069"}


class InvalidEntry(BelongError):
    """An entry's fields break the directory's rules; `problems` maps field to message."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(map(str, problems.values())))
        self.problems = problems


class EntryNotFound(BelongError):
    """No such entry in this school's directory."""


@dataclass(frozen=True)
class EntryFields:
    """Everything an entry says: one revision's contents."""

    kind: str
    name: str
    offers: str
    tags: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    url: str = ""
    phone: str = ""
    email: str = ""
    hours: str = ""
    confidential: bool = True
    creates_record: bool = False
    # The same words in Welsh ("" when not written yet: students then see the English).
    name_cy: str = ""
    offers_cy: str = ""
    hours_cy: str = ""


WELSH_FIELDS = ("name", "offers", "hours")  # the words an admin may also give in Welsh
LABELS = {"kind": KIND_LABELS, "tag": TAG_LABELS, "channel": CHANNEL_VALUES}


T = TypeVar("T")


def overlap(wanted: Collection[str], tags: Collection[str]) -> int:
    """How many of the identities a student chose something is for (more comes first)."""
    return len(set(wanted) & set(tags))


def best_overlap_first(items: Iterable[T], wanted: Collection[str],
                       tags_of: Callable[[T], Collection[str]],
                       then: Callable[[T], tuple]) -> list[T]:
    """What a student browsing by identities sees: with none chosen, everything; else what
    is for any of them or open to everyone (no tags), the most shared first, then `then`."""
    found = [item for item in items
             if not wanted or not tags_of(item) or overlap(wanted, tags_of(item))]
    return sorted(found, key=lambda item: (-overlap(wanted, tags_of(item)), *then(item)))


def label_of(group: str, value: str) -> str:
    """The plain-language label of a kind, tag or channel (the raw value if unknown)."""
    return LABELS[group].get(value, value)


def zone(name: str) -> tzinfo:
    """A school's time zone (UTC if the name is unknown)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def end_of_day(day: date, where: tzinfo) -> datetime:
    """The instant a day ends in a time zone: what the directory said 'on' that day."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=where)


def text_problem(value: str, allow_newlines: bool = False) -> str | None:
    """Refuse control characters and bidirectional overrides."""
    allowed = {"\n", "\r", "\t"} if allow_newlines else set()
    if any((unicodedata.category(ch) == "Cc" and ch not in allowed) or ch in _BIDI
           for ch in value):
        return N_("Remove the hidden control characters from this answer.")
    return None


def url_problem(value: str) -> str | None:
    """An empty answer, or a full https:// web address."""
    if not value:
        return None
    if len(value) > URL_MAX:
        return N_("Keep the web address under %(limit)s characters.") % {"limit": URL_MAX}
    if value.lower().startswith("http://"):
        return N_("Use the secure address, starting with https:// (http:// links are refused).")
    if not _URL.fullmatch(value):
        return N_("Enter a full web address starting with https://, like https://www.nhs.uk/.")
    return None


def phone_problem(value: str) -> str | None:
    """An empty answer, or a UK-style phone number of 3 to 20 digits."""
    if not value:
        return None
    digits = sum(ch.isdigit() for ch in value)
    if len(value) > PHONE_MAX or not _PHONE.fullmatch(value) or not 3 <= digits <= 20:
        return N_("Enter a phone number like 0113 496 0000 or +44 113 496 0000: digits, "
                  "spaces, +, brackets and hyphens, with 3 to 20 digits.")
    return None


def email_problem(value: str) -> str | None:
    """An empty answer, or a plain email address."""
    if not value:
        return None
    if len(value) > EMAIL_MAX or not _EMAIL.fullmatch(value):
        return N_("Enter an email address like wellbeing@school.ac.uk.")
    return None


def normalise(fields: EntryFields) -> EntryFields:
    """Trim spaces, use one kind of line break, and keep tags and channels in a fixed order."""
    def lines(text: str) -> str:
        return text.replace("\r\n", "\n").replace("\r", "\n").strip()
    return replace(
        fields, kind=fields.kind.strip(), name=fields.name.strip(), offers=lines(fields.offers),
        name_cy=fields.name_cy.strip(), offers_cy=lines(fields.offers_cy),
        hours_cy=fields.hours_cy.strip(),
        tags=tuple(t for t in TAG_LABELS if t in fields.tags) + tuple(
            dict.fromkeys(t for t in fields.tags if t not in TAG_LABELS)),
        channels=tuple(c for c in CHANNEL_VALUES if c in fields.channels) + tuple(
            dict.fromkeys(c for c in fields.channels if c not in CHANNEL_VALUES)),
        url=fields.url.strip(), phone=fields.phone.strip(), email=fields.email.strip(),
        hours=fields.hours.strip())


def _length(value: str, limit: int, message: str) -> str | None:
    """`message` (which says %(limit)s) if the value is longer than `limit`."""
    return message % {"limit": f"{limit:,}"} if len(value) > limit else None


def problems(fields: EntryFields) -> dict[str, str]:
    """Every rule the entry breaks, by field; empty when it may be saved."""
    found: dict[str, str | None] = {
        "kind": None if fields.kind in KIND_LABELS else N_("Choose what kind of support it is."),
        "name": (N_("Enter the name of the service.") if not fields.name else
                 _length(fields.name, NAME_MAX, N_("Keep the name under %(limit)s characters."))
                 or text_problem(fields.name)),
        "offers": (N_("Say what it offers.") if not fields.offers else
                   _length(fields.offers, OFFERS_MAX,
                           N_("Keep what it offers under %(limit)s characters."))
                   or text_problem(fields.offers, allow_newlines=True)),
        "tags": (None if set(fields.tags) <= set(TAG_LABELS)
                 else N_("Choose who it is for from the list.")),
        "channels": (None if set(fields.channels) <= set(CHANNEL_VALUES)
                     else N_("Choose the kinds of report from the list.")),
        "url": text_problem(fields.url) or url_problem(fields.url),
        "phone": text_problem(fields.phone) or phone_problem(fields.phone),
        "email": text_problem(fields.email) or email_problem(fields.email),
        "hours": _length(fields.hours, HOURS_MAX,
                         N_("Keep the opening hours under %(limit)s characters."))
        or text_problem(fields.hours),
        "name_cy": _length(fields.name_cy, NAME_MAX,
                           N_("Keep the Welsh name under %(limit)s characters."))
        or text_problem(fields.name_cy),
        "offers_cy": _length(fields.offers_cy, OFFERS_MAX,
                             N_("Keep the Welsh for what it offers under %(limit)s characters."))
        or text_problem(fields.offers_cy, allow_newlines=True),
        "hours_cy": (N_("Give the opening hours in English too, or leave the Welsh empty.")
                     if fields.hours_cy and not fields.hours else
                     _length(fields.hours_cy, HOURS_MAX,
                             N_("Keep the Welsh opening hours under %(limit)s characters."))
                     or text_problem(fields.hours_cy)),
    }
    if not (fields.url or fields.phone or fields.email) and not found["url"]:
        found["url"] = N_("Give at least one way to reach it: a web address, a phone number "
                          "or an email address.")
    return {name: message for name, message in found.items() if message}


def check(fields: EntryFields) -> EntryFields:
    """The normalised fields, or InvalidEntry naming every problem."""
    fields = normalise(fields)
    if found := problems(fields):
        raise InvalidEntry(found)
    return fields
