"""Reports by placement provider, from the anonymous statistics, already suppressed: for
the dashboard, each provider's Freedom to Speak Up Guardian, and the evidence pack."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from reporting.domain import disclosure
from reporting.domain.disclosure import Cell
from reporting.domain.placements import protect
from reporting.domain.report import LABELS, Ground, Setting, grounds_of
from reporting.domain.words import N_
from reporting.models import CaseStat, PlacementProvider

NOT_SAID = "not_said"
TOTAL = "total"
PLACEMENT = Setting.CLINICAL_PLACEMENT.value


@dataclass(frozen=True)
class ProviderFigures:
    """One provider's figures for a year, as its guardian may see them."""

    provider: str
    academic_year: str
    reports: str
    ack_within: str
    by_ground: list[tuple[str, str]]


def _year(school_id: int, academic_year: str) -> list:
    return [CaseStat.school_id == school_id, CaseStat.kind == "report",
            CaseStat.academic_year == academic_year, CaseStat.repeat.is_(False)]


def _placement_hidden(session: Session, school_id: int, academic_year: str) -> bool:
    """Does the dashboard's table of settings hide the clinical-placement total? Then this
    table treats its total as hidden too, so no subtraction gives it back."""
    counts = dict(session.execute(select(CaseStat.setting, func.count()).where(
        *_year(school_id, academic_year)).group_by(CaseStat.setting)).all())
    counts = {s.value: counts.get(s.value, 0) for s in Setting}
    return disclosure.suppress(counts, [list(counts)])[PLACEMENT] in (disclosure.FEWER,
                                                                       disclosure.PROTECTED)


def by_provider(session: Session, school_id: int, academic_year: str) -> list[Cell]:
    """Clinical-placement reports of a year by provider (every provider, retired ones too,
    and "not said"), counts under 5 hidden, with secondary suppression across the row and
    its total, and each share within target withheld on fewer than 8 cases. None for a
    school that keeps no list."""
    rows = {provider_id: (count, within or 0, base) for provider_id, count, within, base in
            session.execute(select(
                CaseStat.provider_id, func.count(),
                func.sum(case((CaseStat.ack_within_target.is_(True), 1), else_=0)),
                func.count(CaseStat.ack_within_target)).where(
                *_year(school_id, academic_year), CaseStat.setting == PLACEMENT)
                .group_by(CaseStat.provider_id)).all()}
    providers = session.scalars(select(PlacementProvider).where(
        PlacementProvider.school_id == school_id)).all()
    if not providers:
        return []
    labels = {str(p.id): N_("%(name)s (retired)") % {"name": p.name} if p.retired_at else p.name
              for p in sorted(providers, key=lambda p: p.name.casefold())
              if p.retired_at is None or p.id in rows}
    labels[NOT_SAID] = N_("Not said")
    figures = {key: rows.get(None if key == NOT_SAID else int(key), (0, 0, 0))
               for key in labels}
    counts = {key: f[0] for key, f in figures.items()}
    counts[TOTAL] = sum(counts.values())
    hidden = {TOTAL} if _placement_hidden(session, school_id, academic_year) else set()
    shown = protect(counts, [*labels, TOTAL], hidden)
    return disclosure.breakdown([(key, label, *figures[key]) for key, label in labels.items()],
                                shown)


def for_provider(session: Session, provider: PlacementProvider,
                 academic_year: str) -> ProviderFigures:
    """One provider's figures for its guardian: the count the dashboard shows, the share
    acknowledged within target, and reports by ground: hidden under 5, and a second one
    hidden wherever one could be worked back from the provider's shown total."""
    cell = next(c for c in by_provider(session, provider.school_id, academic_year)
                if c.key == str(provider.id))
    grounds: dict[str, int] = {}
    if not cell.hidden:
        for bits, count in session.execute(select(CaseStat.ground_bits, func.count()).where(
                *_year(provider.school_id, academic_year), CaseStat.setting == PLACEMENT,
                CaseStat.provider_id == provider.id).group_by(CaseStat.ground_bits)).all():
            for ground in grounds_of(bits):
                grounds[ground.value] = grounds.get(ground.value, 0) + count
    counts = {g.value: grounds.get(g.value, 0) for g in Ground}
    # Most reports name one ground: with the total shown, one hidden ground would be the
    # total less the others, so the line is protected as the dashboard's tables are.
    shown = protect({**counts, TOTAL: cell.count}, [*counts, TOTAL], set())
    by_ground = [(LABELS[g], shown[g.value] if not cell.hidden else disclosure.HIDDEN_SHARE)
                 for g in Ground]
    return ProviderFigures(provider.name, academic_year, cell.shown, cell.rate_shown,
                           by_ground)


def csv_rows(figures: ProviderFigures) -> list[list[str]]:
    """A guardian's export: aggregates only, already suppressed."""
    rows = [["section", "item", "reports"],
            ["summary", f"{figures.provider}, {figures.academic_year}", figures.reports],
            ["summary", N_("acknowledged within target"), figures.ack_within]]
    return rows + [["ground", label, shown] for label, shown in figures.by_ground]
