"""Response times measured from a case's events; time waiting on the student is not the
school's. Plain Python: the events in, the figures out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

HOUR = 3600.0


@dataclass(frozen=True)
class Event:
    """What the clock needs of a case event."""

    at: datetime
    action: str
    to_status: str


@dataclass(frozen=True)
class Measures:
    """When the school acknowledged, first answered and resolved, and the clock-time taken."""

    acknowledged_at: datetime | None
    first_response_at: datetime | None
    resolved_at: datetime | None
    ack_hours: float | None
    first_response_hours: float | None
    resolution_hours: float | None


def _waiting_before(events: list[Event], moment: datetime) -> float:
    """Seconds spent waiting on the student before `moment`."""
    waited, since = 0.0, None
    for event in events:
        if event.at > moment:
            break
        if since is not None:
            waited += (event.at - since).total_seconds()
            since = None
        if event.to_status == "awaiting_reporter":
            since = event.at
    if since is not None:
        waited += (moment - since).total_seconds()
    return waited


def measure(created_at: datetime, events: list[Event], status: str) -> Measures:
    """The figures for one case, from its events in time order."""
    events = sorted(events, key=lambda e: e.at)
    acknowledged = next((e.at for e in events if e.action == "acknowledge"), None)
    responded = next((e.at for e in events if e.action == "staff_message"), None)
    resolved = None
    if status in ("resolved", "closed"):
        resolved = next((e.at for e in reversed(events) if e.action == "resolve"), None)

    def hours(moment: datetime | None) -> float | None:
        if moment is None:
            return None
        elapsed = (moment - created_at).total_seconds() - _waiting_before(events, moment)
        return round(max(elapsed, 0.0) / HOUR, 3)

    return Measures(acknowledged, responded, resolved, hours(acknowledged), hours(responded),
                    hours(resolved))


def waiting_periods(events: list[Event], since: datetime,
                    until: datetime | None = None) -> list[tuple[datetime, datetime]]:
    """The spans spent waiting on the student between `since` and `until`, in time order.

    A span still open counts up to `until`, or is left out when there is no `until`
    (the deadline is then stopped anyway). Used to move deadlines later, never by `measure`.
    """
    spans: list[tuple[datetime, datetime]] = []
    began: datetime | None = None
    for event in sorted(events, key=lambda e: e.at):
        waiting = event.to_status == "awaiting_reporter"
        if waiting and began is None:
            began = event.at
        elif not waiting and began is not None:
            spans.append((began, event.at))
            began = None
    if began is not None and until is not None:
        spans.append((began, until))
    clipped = [(max(start, since), min(end, until) if until else end) for start, end in spans]
    return [(start, end) for start, end in clipped if end > start]
