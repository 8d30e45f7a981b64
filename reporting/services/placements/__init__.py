"""The school's placement providers: add, rename, retire (never delete: reports count them),
each change audited by provider id; and the rising-pattern threshold."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reporting.domain.numbers import whole_number
from reporting.domain.placements import (
    NO_SUCH_PROVIDER,
    InvalidProvider,
    ProviderNotFound,
    check_threshold,
    clean_name,
)
from reporting.domain.roles import Role
from reporting.domain.words import N_
from reporting.models import PatternSettings, PlacementProvider, StaffUser
from reporting.models.base import utcnow
from reporting.services import audit

Actor = StaffUser | str  # a signed-in admin, or a command such as "demo"
TAKEN = N_("Your school's list already has a provider with this name.")


def _who(actor: Actor, school_id: int) -> str:
    """The audit name of an actor allowed to change this school's list."""
    if isinstance(actor, str):
        return actor
    if actor.school_id != school_id or actor.staff_role is not Role.ADMIN:
        raise ProviderNotFound(N_("There is no such provider in your school's list."))
    return f"staff:{actor.id}"


def _taken(session: Session, school_id: int, name: str, besides: int | None = None) -> bool:
    return session.scalar(select(func.count()).select_from(PlacementProvider).where(
        PlacementProvider.school_id == school_id,
        func.lower(PlacementProvider.name) == name.lower(),
        PlacementProvider.id != (besides or 0))) > 0


def _audit(session: Session, name: str, provider: PlacementProvider, action: str) -> None:
    audit.record(session, audit.school_chain(provider.school_id), name, action,
                 f"placement_provider:{provider.id}")


def add_provider(session: Session, actor: Actor, school_id: int,
                 name: str | None) -> PlacementProvider:
    """Add a provider to the school's list (raises InvalidProvider)."""
    who = _who(actor, school_id)
    name = clean_name(name)
    if _taken(session, school_id, name):
        raise InvalidProvider({"name": TAKEN})
    provider = PlacementProvider(school_id=school_id, name=name, created_at=utcnow())
    session.add(provider)
    session.flush()
    _audit(session, who, provider, "placement.add")
    return provider


def find_provider(session: Session, school_id: int, provider_id: int | str | None,
                  *, current: bool = False) -> PlacementProvider:
    """One provider of this school (with `current`, only one not retired), or
    ProviderNotFound."""
    wanted = whole_number(provider_id) or 0  # 0 is never an id: never an overflow
    provider = session.scalar(select(PlacementProvider).where(
        PlacementProvider.id == wanted, PlacementProvider.school_id == school_id))
    if provider is None or (current and provider.retired_at is not None):
        raise ProviderNotFound(NO_SUCH_PROVIDER)
    return provider


def rename_provider(session: Session, actor: Actor, provider: PlacementProvider,
                    name: str | None) -> PlacementProvider:
    """Give a provider a new name; the reports that named it follow (raises InvalidProvider)."""
    who = _who(actor, provider.school_id)
    name = clean_name(name)
    if _taken(session, provider.school_id, name, besides=provider.id):
        raise InvalidProvider({"name": TAKEN})
    provider.name = name
    session.flush()
    _audit(session, who, provider, "placement.rename")
    return provider


def retire_provider(session: Session, actor: Actor,
                    provider: PlacementProvider) -> PlacementProvider:
    """Take a provider off the report form from now on; its reports stay counted."""
    who = _who(actor, provider.school_id)
    if provider.retired_at is None:
        provider.retired_at = utcnow()
        session.flush()
        _audit(session, who, provider, "placement.retire")
    return provider


def school_providers(session: Session, school_id: int,
                     *, current: bool = False) -> list[PlacementProvider]:
    """The school's providers by name (current ones first, unless only current ones)."""
    query = select(PlacementProvider).where(PlacementProvider.school_id == school_id)
    if current:
        query = query.where(PlacementProvider.retired_at.is_(None))
    return sorted(session.scalars(query),
                  key=lambda p: (p.retired_at is not None, p.name.casefold(), p.id))


def provider_name(session: Session, school_id: int, provider_id: int | None) -> str:
    """The words a page shows for a report's provider."""
    if provider_id is None:
        return N_("Not said")
    provider = session.get(PlacementProvider, provider_id)
    return provider.name if provider and provider.school_id == school_id else N_("Not said")


def threshold_of(session: Session, school_id: int) -> int | None:
    """The school's rising-pattern threshold (None: alerts are off)."""
    settings = session.get(PatternSettings, school_id)
    return settings.threshold if settings else None


def set_threshold(session: Session, actor: Actor, school_id: int,
                  threshold: int | None) -> None:
    """Set (or, with None, switch off) the school's per-term alert threshold; audited."""
    who = _who(actor, school_id)
    threshold = check_threshold(threshold)
    settings = session.get(PatternSettings, school_id) or PatternSettings(school_id=school_id)
    settings.threshold = threshold
    session.add(settings)
    session.flush()
    audit.record(session, audit.school_chain(school_id), who, "placement.threshold",
                 f"school:{school_id}", threshold=threshold if threshold is not None else "off")
