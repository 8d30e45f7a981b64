"""Reading the audit log: an admin's filtered view and export, and who has read a case.

Read-only except for `record_export`: looking at the log decrypts nothing, but taking a
copy of it out of the system is itself an act worth auditing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import false, func, select
from sqlalchemy.orm import Session

from reporting.domain import references
from reporting.domain.words import N_
from reporting.models import AuditEntry, Case, School, StaffUser
from reporting.services import audit

PAGE_SIZE = 50
READS = ("case.read", "case.evidence_read")
ACTION_WORDS = {
    "case.read": N_("Opened the case (decrypted)"),
    "case.evidence_read": N_("Downloaded an evidence file (decrypted)"),
    "case.acknowledge": N_("Acknowledged the case"), "case.start": N_("Started work on the case"),
    "case.ask_reporter": N_("Asked the student a question"),
    "case.reporter_replied": N_("The student answered"), "case.resolve": N_("Resolved the case"),
    "case.close": N_("Closed the case"), "case.reopen": N_("Reopened the case"),
    "case.withdraw": N_("Withdrew the report"), "case.claim": N_("Claimed the case"),
    "case.assign": N_("Assigned the case"), "case.note": N_("Wrote a private note"),
    "case.outcome": N_("Recorded the outcome"), "case.message": N_("Sent a message to the student"),
    "case.reporter_message": N_("Sent a message to the handlers"),
    "case.reporter_files": N_("Added evidence files"),
    "case.sharing_changed": N_("Changed who may see their name"),
    "case.reroute_requested": N_("Asked to move the case to another team"),
    "case.reroute": N_("Moved the case to another team"),
    "case.reroute_approved": N_("Agreed to a move to another team"),
    "case.reroute_declined": N_("Declined a move to another team"),
    "case.legal_hold": N_("Recorded a legal hold"),
    "case.legal_hold_lifted": N_("Lifted a legal hold"),
    "case.conflict_declared": N_("Declared a conflict of interest and stepped away"),
    "case.conflict_excluded": N_("Kept a colleague off the case (a conflict of interest)"),
    "case.purged": N_("Deleted the case and its keys for good"),
    "retention.purge": N_("Purged cases past their retention period"),
    "report.submit": N_("Sent a report"),
    "peer.accepted": N_("Accepted a request to talk to a peer"),
    "peer.offers_changed": N_("Changed what they offer as a peer supporter"),
    "escrow.grant": N_("Gave a handler access to earlier cases (escrow)"),
    "escrow.unlock_failed": N_("Tried to open the escrow key with a wrong passphrase"),
    "staff.create": N_("Created a staff account"),
    "staff.enrolled": N_("Set up their authenticator"),
    "staff.notify_mode": N_("Changed their notification setting"),
    "staff.enrolment_reissued": N_("Issued a new enrolment link"),
    "staff.channel_removed": N_("Removed someone from a team"),
    "staff.password_reset": N_("Reset a password"), "school.create": N_("Created the school"),
    "staff.password_changed": N_("Changed their own password"),
    "staff.password_change_refused": N_("Tried to change their password with a wrong one"),
    "staff.authenticator_replaced": N_("Replaced their authenticator app"),
    "staff.authenticator_refused": N_("Gave a wrong code for a new authenticator app"),
    "staff.session_ended": N_("Ended one of their sessions"),
    "staff.password_help_asked": N_("Someone asked the admins for password help for them"),
    "routing.save": N_("Saved new routing rules"), "directory.create": N_("Added a support entry"),
    "directory.edit": N_("Edited a support entry"),
    "directory.retire": N_("Retired a support entry"),
    "login.password_ok": N_("Entered the right password"), "login.success": N_("Signed in"),
    "login.failed": N_("Failed to sign in"), "logout": N_("Signed out"),
    "audit.export": N_("Exported the audit log"),
    "queue.export": N_("Exported the case queue's metadata (no content)"),
}


@dataclass(frozen=True)
class AuditFilter:
    """What the admin asked to see: whose acts, on which case, over which days."""

    actor: str = ""  # '' for anyone, 'reporter', or 'staff:<id>'
    case_id: str = ""  # a case's id, or its reference (e.g. NF-7K3Q)
    since: date | None = None
    until: date | None = None
    page: int = 1

    def as_detail(self) -> dict[str, str]:
        """The filter as audit detail (for the export's own entry)."""
        return {"done_by": self.actor, "case": self.case_id,
                "since": self.since.isoformat() if self.since else "",
                "until": self.until.isoformat() if self.until else ""}


@dataclass(frozen=True)
class ShownEntry:
    """One entry in the words an admin reads."""

    entry: AuditEntry
    who: str
    what: str
    at: datetime  # in the school's time zone
    case_id: str | None
    target: str  # "Case NF-7K3Q"; a deleted case has no reference left, so its id
    detail: str


@dataclass(frozen=True)
class Reader:
    """A staff member who read a case, and when they last did."""

    staff_id: int
    name: str
    last_read: datetime


def _start_of(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), tzinfo=zone).astimezone(UTC)


def _case_target(session: Session, school: School, wanted: str):
    """The condition for one case's entries: by id, or by a reference of this school."""
    reference = references.normalise(wanted)
    if reference is None:
        return AuditEntry.target == f"case:{wanted}"
    case_id = session.scalar(select(Case.id).where(Case.school_id == school.id,
                                                   Case.reference == reference))
    return AuditEntry.target == f"case:{case_id}" if case_id else false()


def _conditions(session: Session, school: School, wanted: AuditFilter) -> list:
    zone = ZoneInfo(school.timezone)
    conditions = [AuditEntry.chain == audit.school_chain(school.id)]
    if wanted.actor:
        conditions.append(AuditEntry.actor == wanted.actor)
    if wanted.case_id:
        conditions.append(_case_target(session, school, wanted.case_id))
    if wanted.since:
        conditions.append(AuditEntry.at >= _start_of(wanted.since, zone))
    if wanted.until:
        conditions.append(AuditEntry.at < _start_of(wanted.until + timedelta(days=1), zone))
    return conditions


def audit_page(session: Session, school: School, wanted: AuditFilter,
               page_size: int = PAGE_SIZE) -> tuple[list[ShownEntry], int]:
    """One page of the school's log, newest first, and how many entries match in all."""
    conditions = _conditions(session, school, wanted)
    total = session.scalar(select(func.count()).select_from(AuditEntry).where(*conditions))
    entries = list(session.scalars(
        select(AuditEntry).where(*conditions).order_by(AuditEntry.seq.desc())
        .limit(page_size).offset((wanted.page - 1) * page_size)))
    return describe(session, school, entries), total


def all_entries(session: Session, school: School, wanted: AuditFilter) -> list[ShownEntry]:
    """Every entry matching the filter (no paging), newest first, for an export."""
    entries = list(session.scalars(
        select(AuditEntry).where(*_conditions(session, school, wanted))
        .order_by(AuditEntry.seq.desc())))
    return describe(session, school, entries)


def record_export(session: Session, admin: StaffUser, wanted: AuditFilter, count: int) -> None:
    """Audit that an admin took a copy of (part of) the log."""
    audit.record(session, audit.school_chain(admin.school_id), f"staff:{admin.id}",
                 "audit.export", f"school:{admin.school_id}", entries=count,
                 **wanted.as_detail())


def record_queue_export(session: Session, handler: StaffUser, filters: dict[str, str],
                        count: int) -> None:
    """Audit that a handler took the queue's metadata out of the system."""
    audit.record(session, audit.school_chain(handler.school_id), f"staff:{handler.id}",
                 "queue.export", f"staff:{handler.id}", cases=count, **filters)


def staff_names(session: Session, school_id: int) -> dict[int, str]:
    """Display names of a school's staff, by id."""
    return dict(session.execute(
        select(StaffUser.id, StaffUser.display_name).where(StaffUser.school_id == school_id)
    ).all())


def actor_name(actor: str, names: dict[int, str]) -> str:
    """Who did it, in words: a staff name, 'student', 'command line' or 'system'."""
    kind, _, number = actor.partition(":")
    if kind == "staff":
        staff_id = int(number) if number.isdigit() else 0
        if staff_id in names:
            return names[staff_id]
        return N_("Former staff account %(number)s") % {"number": number}
    return {"reporter": N_("student"), "cli": N_("command line")}.get(actor, N_("system"))


def case_references(session: Session, school_id: int, targets: list[str]) -> dict[str, str]:
    """The references of the cases these targets name, by case id (deleted cases: none)."""
    ids = {value for kind, _, value in (t.partition(":") for t in targets) if kind == "case"}
    return dict(session.execute(select(Case.id, Case.reference).where(
        Case.school_id == school_id, Case.id.in_(ids))).all()) if ids else {}


def action_words(action: str) -> str:
    """What was done, in plain words (unknown actions read as their name)."""
    return ACTION_WORDS.get(action) or action.replace(".", ": ").replace("_", " ").capitalize()


def _target(target: str, names: dict[int, str],
            refs: dict[str, str]) -> tuple[str | None, str]:
    kind, _, value = target.partition(":")
    if kind == "case":
        return value, N_("Case %(reference)s") % {"reference": refs.get(value, value)}
    if kind == "staff":
        return None, actor_name(target, names)
    if kind == "support_entry":
        return None, N_("Support directory entry %(number)s") % {"number": value}
    if kind == "school":
        return None, N_("The school")
    return None, target


def _detail(detail: str) -> str:
    try:
        values = json.loads(detail or "{}")
    except ValueError:
        return detail
    if not isinstance(values, dict):
        return str(values)
    return "; ".join(f"{key.replace('_', ' ')}: {value}" for key, value in values.items()
                     if value not in ("", None))


def describe(session: Session, school: School, entries: list[AuditEntry]) -> list[ShownEntry]:
    """Entries with names, plain words and local times."""
    names, zone = staff_names(session, school.id), ZoneInfo(school.timezone)
    refs = case_references(session, school.id, [e.target for e in entries])
    shown = []
    for entry in entries:
        case_id, target = _target(entry.target, names, refs)
        shown.append(ShownEntry(entry, actor_name(entry.actor, names),
                                action_words(entry.action), entry.at.astimezone(zone),
                                case_id, target, _detail(entry.detail)))
    return shown


def csv_rows(entries: list[ShownEntry]) -> Iterator[list[object]]:
    """The export's header and rows: raw fields for machines, words for people."""
    yield ["seq", "at_utc", "actor", "who", "action", "what", "target", "about", "detail"]
    for shown in entries:
        e = shown.entry
        yield [e.seq, e.at.astimezone(UTC).isoformat(), e.actor, shown.who, e.action,
               shown.what, e.target, shown.target, e.detail]


def readers(session: Session, case: Case) -> list[Reader]:
    """The staff who have decrypted this case, most recent reader first."""
    last = func.max(AuditEntry.at)
    rows = session.execute(
        select(AuditEntry.actor, last)
        .where(AuditEntry.chain == audit.school_chain(case.school_id),
               AuditEntry.target == f"case:{case.id}", AuditEntry.action.in_(READS),
               AuditEntry.actor.like("staff:%"))
        .group_by(AuditEntry.actor).order_by(last.desc())).all()
    names = staff_names(session, case.school_id)
    return [Reader(int(actor.partition(":")[2]), actor_name(actor, names), at)
            for actor, at in rows if actor.partition(":")[2].isdigit()]
