"""A school's routing rules: the newest saved version applies; every save is audited."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reporting.domain import disclosure
from reporting.domain.routing import BASELINE, Answers, Decision, parse, route
from reporting.models import Report, RuleSet, School, StaffUser
from reporting.services import audit


def current_source(session: Session, school: School) -> str:
    """The text of the rules in force (the baseline until the school saves its own)."""
    latest = session.scalar(select(RuleSet.source).where(RuleSet.school_id == school.id)
                            .order_by(RuleSet.version.desc()).limit(1))
    return latest or BASELINE


def decide_for(session: Session, school: School, answers: Answers) -> Decision:
    """Route a report with the school's rules in force."""
    return route(answers, parse(current_source(session, school)))


def save_rules(session: Session, admin: StaffUser, school: School, source: str) -> RuleSet:
    """Save a new version, if it is valid (raises RuleErrors otherwise)."""
    parse(source)
    version = (session.scalar(select(func.max(RuleSet.version)).where(
        RuleSet.school_id == school.id)) or 0) + 1
    rule_set = RuleSet(school_id=school.id, version=version, source=source.strip() + "\n",
                       created_by=admin.id)
    session.add(rule_set)
    audit.record(session, audit.school_chain(school.id), f"staff:{admin.id}", "routing.save",
                 f"rules:{version}")
    return rule_set


def history(session: Session, school: School) -> list[RuleSet]:
    """Every saved version, newest first."""
    return list(session.scalars(select(RuleSet).where(RuleSet.school_id == school.id)
                                .order_by(RuleSet.version.desc())))


def override_rate(session: Session, school: School) -> tuple[str, str, str]:
    """How many reports chose another team than recommended, of how many, and the share:
    each as an admin may see it (disclosure control, as on the dashboard)."""
    total, overridden = session.execute(select(
        func.count(Report.id),
        func.count(Report.id).filter(Report.chosen_channel != Report.recommended_channel),
    ).where(Report.school_id == school.id)).one()
    return (disclosure.count_text(overridden), disclosure.count_text(total),
            disclosure.share_text(overridden, total))
