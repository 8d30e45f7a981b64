"""The queue's metadata as CSV: what the queue shows of each case, never its content."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from reporting.domain.words import N_
from reporting.models import StaffUser
from reporting.services.queries import QueueFilter, QueueRow, _cases, _conditions

EXPORT_MAX = 10_000


def queue_export(session: Session, user: StaffUser, wanted: QueueFilter) -> list[QueueRow]:
    """The first EXPORT_MAX cases the filter shows, in its order, for the metadata CSV."""
    return _cases(session, user, wanted, _conditions(session, user, wanted), EXPORT_MAX)


def queue_csv_rows(rows: list[QueueRow]) -> Iterator[list[object]]:
    """The export's header and rows: what the queue shows of each case, nothing more."""
    yield ["reference", "kind", "received_utc", "status", "urgency", "due_utc",
           "last_activity_utc", "new_from_student", "lead_team", "shared_with", "handler"]
    for row in rows:
        c = row.case
        yield [c.reference, N_("peer request") if c.kind == "peer_connection" else N_("report"),
               _utc(c.created_at), c.case_status.label,
               N_("urgent") if c.urgent else N_("routine"),
               _utc(c.due_at), _utc(c.last_activity_at), N_("yes") if row.news else N_("no"),
               c.channel.name, c.also_channel.name if c.also_channel else "",
               c.assignee.display_name if c.assignee else ""]


def _utc(at: datetime | None) -> str:
    return at.astimezone(UTC).isoformat(timespec="seconds") if at else ""
