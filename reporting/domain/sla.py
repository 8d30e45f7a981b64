"""Response-time targets and the next deadline of a case (DESIGN.md defaults).

Acknowledge: urgent 1 day; peer 2; pastoral 3; institutional 7 (the EU Whistleblower
Directive's ceiling). Feedback to the reporter: within 3 months of acknowledgement.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from reporting.domain.cases import CaseStatus
from reporting.domain.roles import ChannelKind

ACKNOWLEDGE_DAYS = {ChannelKind.PEER: 2, ChannelKind.PASTORAL: 3, ChannelKind.INSTITUTIONAL: 7}
URGENT_ACKNOWLEDGE_DAYS = 1
FEEDBACK_DAYS = 91  # three months
CLOCK_STOPPED = {CaseStatus.RESOLVED, CaseStatus.CLOSED, CaseStatus.WITHDRAWN,
                 CaseStatus.AWAITING_REPORTER}


def acknowledge_by(created_at: datetime, channel: ChannelKind, urgent: bool) -> datetime:
    """When a new case must be acknowledged."""
    days = URGENT_ACKNOWLEDGE_DAYS if urgent else ACKNOWLEDGE_DAYS[channel]
    return created_at + timedelta(days=days)


def next_deadline(status: CaseStatus, channel: ChannelKind, urgent: bool,
                  created_at: datetime, acknowledged_at: datetime | None) -> datetime | None:
    """The deadline the school is working to now; None while the clock is stopped."""
    if status in CLOCK_STOPPED:
        return None
    if status is CaseStatus.SUBMITTED or acknowledged_at is None:
        return acknowledge_by(created_at, channel, urgent)
    return acknowledged_at + timedelta(days=FEEDBACK_DAYS)
