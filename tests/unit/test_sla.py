"""The next deadline of a case."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from reporting.domain.cases import CaseStatus
from reporting.domain.roles import ChannelKind
from reporting.domain.sla import FEEDBACK_DAYS, next_deadline

T0 = datetime(2026, 3, 28, 23, 30, tzinfo=UTC)  # the eve of a UK clock change


@pytest.mark.parametrize("channel,urgent,days", [
    (ChannelKind.PEER, False, 2), (ChannelKind.PASTORAL, False, 3),
    (ChannelKind.INSTITUTIONAL, False, 7), (ChannelKind.PEER, True, 1),
    (ChannelKind.INSTITUTIONAL, True, 1),
])
def test_acknowledge_targets(channel, urgent, days):
    """Is a new case due for acknowledgement after the channel's target (urgent: 1 day)?"""
    assert next_deadline(CaseStatus.SUBMITTED, channel, urgent, T0, None) == T0 + timedelta(
        days=days)


def test_feedback_is_due_three_months_after_acknowledgement():
    """Once acknowledged, is feedback due three months later?"""
    acknowledged = T0 + timedelta(hours=5)
    assert next_deadline(CaseStatus.IN_PROGRESS, ChannelKind.PASTORAL, False, T0,
                         acknowledged) == acknowledged + timedelta(days=FEEDBACK_DAYS)


@pytest.mark.parametrize("status", [CaseStatus.RESOLVED, CaseStatus.CLOSED,
                                    CaseStatus.WITHDRAWN, CaseStatus.AWAITING_REPORTER])
def test_clock_stops(status):
    """Is there no deadline while resolved, closed, withdrawn or waiting on the student?"""
    assert next_deadline(status, ChannelKind.PASTORAL, False, T0, T0) is None
