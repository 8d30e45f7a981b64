"""The support directory: entries kept as revisions, so nothing is overwritten and any date shows.

An edit closes the current revision (valid_to = now) and opens a new one from the same
instant; retiring closes the last one. Every change is audited by entry id only.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from reporting.domain.directory import (
    KIND_LABELS,
    TAG_LABELS,
    URGENT_KINDS,
    EntryFields,
    EntryNotFound,
    best_overlap_first,
    check,
    overlap,
)
from reporting.domain.errors import Conflict
from reporting.domain.numbers import whole_number
from reporting.domain.roles import Role
from reporting.domain.words import N_
from reporting.models import School, StaffUser, SupportEntry, SupportRevision
from reporting.models.base import utcnow
from reporting.services import audit

Actor = StaffUser | str  # a signed-in admin, or a command such as "demo"
RETIRED = N_("This entry has been retired, so it can no longer be changed.")
CHANGED = N_("Someone else changed this entry while you were editing it. Your changes are "
             "still here: check the entry's history, then save again to replace their version.")


def _who(actor: Actor, school_id: int) -> tuple[str, int | None]:
    """The audit name and staff id of an actor allowed to change this school's directory."""
    if isinstance(actor, str):
        return actor, None
    if actor.school_id != school_id or actor.staff_role is not Role.ADMIN:
        raise EntryNotFound(N_("There is no such entry in your school's directory."))
    return f"staff:{actor.id}", actor.id


def _audit(session: Session, name: str, entry: SupportEntry, action: str) -> None:
    audit.record(session, audit.school_chain(entry.school_id), name, action,
                 f"support_entry:{entry.id}")


def _revision(fields: EntryFields, editor: int | None, start: datetime) -> SupportRevision:
    return SupportRevision(
        valid_from=start, edited_by=editor, kind=fields.kind, name=fields.name,
        offers=fields.offers, tags=" ".join(fields.tags), channels=" ".join(fields.channels),
        url=fields.url, phone=fields.phone, email=fields.email, hours=fields.hours,
        confidential=fields.confidential, creates_record=fields.creates_record,
        name_cy=fields.name_cy, offers_cy=fields.offers_cy, hours_cy=fields.hours_cy)


def fields_of(revision: SupportRevision) -> EntryFields:
    """What a revision says, as fields (to fill in the edit form)."""
    return EntryFields(
        kind=revision.kind, name=revision.name, offers=revision.offers,
        tags=tuple(revision.tag_list), channels=tuple(revision.channels.split()),
        url=revision.url, phone=revision.phone, email=revision.email, hours=revision.hours,
        confidential=revision.confidential, creates_record=revision.creates_record,
        name_cy=revision.name_cy, offers_cy=revision.offers_cy, hours_cy=revision.hours_cy)


def create_entry(session: Session, actor: Actor, school: School,
                 fields: EntryFields) -> SupportEntry:
    """Add an entry to a school's directory (raises InvalidEntry)."""
    name, editor = _who(actor, school.id)
    fields = check(fields)
    now = utcnow()
    entry = SupportEntry(school_id=school.id, created_at=now,
                         revisions=[_revision(fields, editor, now)])
    session.add(entry)
    session.flush()
    _audit(session, name, entry, "directory.create")
    return entry


def find_entry(session: Session, school_id: int, entry_id: int | str | None) -> SupportEntry:
    """One entry of this school's directory, or EntryNotFound."""
    wanted = whole_number(entry_id) or 0  # 0 is never an id: not found, never an overflow
    entry = session.scalar(select(SupportEntry).where(
        SupportEntry.id == wanted, SupportEntry.school_id == school_id))
    if entry is None:
        raise EntryNotFound(N_("There is no such entry in your school's directory."))
    return entry


def _open_revision(session: Session, entry: SupportEntry) -> SupportRevision | None:
    """The current revision, read after locking the entry so two editors take turns."""
    session.get(SupportEntry, entry.id, with_for_update=True, populate_existing=True)
    return session.scalar(select(SupportRevision).where(
        SupportRevision.entry_id == entry.id, SupportRevision.valid_to.is_(None)))


def current_revision(session: Session, entry: SupportEntry) -> SupportRevision | None:
    """What the entry says now; None once it is retired."""
    return session.scalar(select(SupportRevision).where(
        SupportRevision.entry_id == entry.id, SupportRevision.valid_to.is_(None)))


def edit_entry(session: Session, actor: Actor, entry: SupportEntry, fields: EntryFields,
               seen_revision: int | None = None) -> SupportRevision:
    """Close the current revision and open a new one (raises InvalidEntry or Conflict)."""
    name, editor = _who(actor, entry.school_id)
    fields = check(fields)
    current = _open_revision(session, entry)
    if current is None:
        raise Conflict(RETIRED)
    # The editor started from `seen_revision`: if another edit came first, refuse rather
    # than silently replace theirs.
    if seen_revision is not None and current.id != seen_revision:
        raise Conflict(CHANGED)
    now = max(utcnow(), current.valid_from)
    current.valid_to = now
    revision = _revision(fields, editor, now)
    entry.revisions.append(revision)
    session.flush()
    _audit(session, name, entry, "directory.edit")
    return revision


def retire_entry(session: Session, actor: Actor, entry: SupportEntry) -> SupportRevision:
    """Take an entry out of the directory from now on; return its last revision, now closed."""
    name, _ = _who(actor, entry.school_id)
    current = _open_revision(session, entry)
    if current is None:
        raise Conflict(RETIRED)
    current.valid_to = max(utcnow(), current.valid_from)
    session.flush()
    _audit(session, name, entry, "directory.retire")
    return current


def _order(revision: SupportRevision) -> tuple[int, str, int]:
    """By kind in the order of the list of kinds, then by name."""
    kinds = list(KIND_LABELS)
    place = kinds.index(revision.kind) if revision.kind in kinds else len(kinds)
    return place, revision.name.casefold(), revision.entry_id


def directory_at(session: Session, school_id: int, at: datetime) -> list[SupportRevision]:
    """What the directory said at an instant: the revision of each entry valid then."""
    return sorted(session.scalars(
        select(SupportRevision).join(SupportEntry).where(
            SupportEntry.school_id == school_id, SupportRevision.valid_from <= at,
            or_(SupportRevision.valid_to.is_(None), SupportRevision.valid_to > at))), key=_order)


def current_entries(session: Session, school_id: int, tags: Iterable[str] = (),
                    kind: str | None = None) -> list[SupportRevision]:
    """The directory now; with tags, the entries for any of them and those open to everyone."""
    revisions = session.scalars(select(SupportRevision).join(SupportEntry).where(
        SupportEntry.school_id == school_id, SupportRevision.valid_to.is_(None)))
    return best_overlap_first((r for r in revisions if not kind or r.kind == kind), set(tags),
                              lambda r: r.tag_list, _order)


def last_changed(session: Session, school_id: int) -> datetime | None:
    """When the school's directory last changed: an entry added, edited or retired."""
    started, ended = session.execute(
        select(func.max(SupportRevision.valid_from), func.max(SupportRevision.valid_to))
        .join(SupportEntry).where(SupportEntry.school_id == school_id)).one()
    return max((t for t in (started, ended) if t is not None), default=None)


def school_entries(session: Session, school_id: int) -> list[tuple[SupportEntry,
                                                                   SupportRevision]]:
    """Every entry, retired ones last, each with its newest revision (for the admin list)."""
    entries = session.scalars(select(SupportEntry).where(SupportEntry.school_id == school_id)
                              .options(selectinload(SupportEntry.revisions)))
    latest = [(entry, max(entry.revisions, key=lambda r: (r.valid_from, r.id)))
              for entry in entries if entry.revisions]
    return sorted(latest, key=lambda pair: (pair[1].valid_to is not None, *_order(pair[1])))


def entry_history(session: Session, entry: SupportEntry) -> list[SupportRevision]:
    """Every revision of an entry, newest first."""
    return list(session.scalars(select(SupportRevision).where(
        SupportRevision.entry_id == entry.id).order_by(
        SupportRevision.valid_from.desc(), SupportRevision.id.desc())))


def editor_names(session: Session, revisions: Iterable[SupportRevision]) -> dict[int, str]:
    """The display names of the staff who made these revisions."""
    ids = {r.edited_by for r in revisions if r.edited_by is not None}
    if not ids:
        return {}
    rows = session.execute(select(StaffUser.id, StaffUser.display_name).where(
        StaffUser.id.in_(ids)))
    return {staff_id: name for staff_id, name in rows}


def matching_entries(session: Session, school: School, grounds: Iterable[str] | None,
                     channel: str | None, *, also: str | None = None,
                     not_safe: bool = False) -> list[SupportRevision]:
    """Current entries for a report's grounds and its teams (the chosen channel, and the one
    it is shared with), the closest matches first; for a student who is not safe, the
    confidential and urgent help first of all."""
    # An entry with no tags is open to everyone; one with no channels suits any report.
    wanted = {str(g) for g in grounds or ()} & set(TAG_LABELS)
    teams = {str(c) for c in (channel, also) if c}
    matches = []
    for revision in current_entries(session, school.id):
        tags, channels = set(revision.tag_list), set(revision.channels.split())
        if (not tags or tags & wanted) and (not channels or not teams or teams & channels):
            matches.append(revision)

    def closeness(r: SupportRevision) -> tuple:
        urgent = (not r.confidential, r.kind not in URGENT_KINDS) if not_safe else ()
        return (*urgent, -overlap(wanted, r.tag_list),
                not teams & set(r.channels.split()), *_order(r))
    return sorted(matches, key=closeness)


def set_urgent_contact(session: Session, actor: StaffUser, school: School, english: str,
                       welsh: str = "") -> None:
    """The school's own urgent contact, in English and Welsh ("" for none); audited."""
    name, _ = _who(actor, school.id)
    school.urgent_contact, school.urgent_contact_cy = english.strip(), welsh.strip()
    session.flush()
    audit.record(session, audit.school_chain(school.id), name, "school.urgent_contact",
                 f"school:{school.id}")
