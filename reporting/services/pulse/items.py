"""A school's pulse items: the default set until an admin changes it; every change audited."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from reporting.domain.errors import BelongError
from reporting.domain.pulse.items import DEFAULT_ITEMS, DEFAULT_SOURCE, ItemSet, check_items
from reporting.domain.roles import Role
from reporting.domain.words import N_
from reporting.models import PulseItem, PulseSource, StaffUser
from reporting.models.base import utcnow
from reporting.services import audit


class NotPermitted(BelongError):
    """Only an admin of the school changes its pulse."""


def current_items(session: Session, school_id: int) -> list[PulseItem]:
    """The school's items in order, the default set written in on first use."""
    items = list(session.scalars(select(PulseItem).where(
        PulseItem.school_id == school_id, PulseItem.retired_at.is_(None)
    ).order_by(PulseItem.position, PulseItem.id)))
    if items or session.scalar(select(PulseItem.id).where(PulseItem.school_id == school_id)):
        return items
    items = [PulseItem(school_id=school_id, position=n, text=text)
             for n, text in enumerate(DEFAULT_ITEMS)]
    session.add_all(items)
    session.flush()
    return items


def source_of(session: Session, school_id: int) -> PulseSource:
    """Where the school's items come from (its own words until it says otherwise)."""
    return session.get(PulseSource, school_id) or PulseSource(
        school_id=school_id, published=False, citation="", licence="")


def set_items(session: Session, actor: StaffUser, school_id: int, lines: str,
              published: bool, citation: str, licence: str) -> ItemSet:
    """Replace the school's items (InvalidItems, or NotPermitted for anyone but its admin).
    An unchanged item keeps its id, so its results carry on across terms."""
    if actor.staff_role is not Role.ADMIN or actor.school_id != school_id or not actor.active:
        raise NotPermitted(N_("Only an admin of this school changes its pulse."))
    wanted = check_items(lines, published, citation, licence)
    old = {item.text: item for item in current_items(session, school_id)}
    kept = []
    for position, text in enumerate(wanted.items):
        item = old.pop(text, None) or PulseItem(school_id=school_id, text=text)
        item.position = position
        kept.append(item)
    session.add_all(kept)
    for item in old.values():
        item.retired_at = utcnow()
    source = session.get(PulseSource, school_id) or PulseSource(school_id=school_id)
    source.published, source.citation, source.licence = (
        wanted.published, wanted.citation, wanted.licence)
    source.changed_at = utcnow()
    session.add(source)
    session.flush()
    audit.record(session, audit.school_chain(school_id), f"staff:{actor.id}", "pulse.items",
                 f"school:{school_id}", items=len(kept), retired=len(old),
                 published=wanted.published)
    return wanted


def source_note(session: Session, school) -> str:
    """Where the school's items come from, in the words shown under the pulse."""
    source = source_of(session, school.id)
    if source.published:
        return N_("These statements come from %(citation)s Used under: %(licence)s") % {
            "citation": source.citation, "licence": source.licence}
    texts = tuple(item.text for item in current_items(session, school.id))
    return DEFAULT_SOURCE if texts == DEFAULT_ITEMS else N_("Written by %(school)s.") % {
        "school": school.name}
