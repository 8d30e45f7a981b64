"""When each periodic job last succeeded, for `flask check-deployment` to read."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from reporting.extensions import db
from reporting.models.base import UTCDateTime


class JobRun(db.Model):
    """One periodic job (send-notifications, sla-check, ...): its last success and failure."""

    __tablename__ = "job_runs"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The exception's class only: never its text, which can carry data.
    last_error: Mapped[str | None] = mapped_column(String(80))
