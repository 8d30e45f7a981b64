"""Anonymous statistics, one row per case, kept when the case itself is purged.

Nothing here identifies a reporter on its own; dashboards still apply disclosure control.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reporting.extensions import db
from reporting.models.base import UTCDateTime


class CaseStat(db.Model):
    """What the dashboards count for one case: when, where, which team, how fast."""

    __tablename__ = "case_stats"
    __table_args__ = (
        Index("ix_case_stats_dashboard", "school_id", "academic_year", "channel"),
        # The dashboard's grouped passes read this index alone, never the table: every
        # column they filter on, group by or count is in it. The hours are left out on
        # purpose (the percentile indexes below hold them).
        Index("ix_case_stats_breakdowns", "school_id", "academic_year", "kind", "repeat",
              "channel", "setting", "identity", "month", "overrode", "ack_within_target",
              "feedback_within_target", "ground_bits"),
        # Each measure in order, so a median or 90th percentile is a short walk along an
        # index. Partial (only rows with the measure), as the percentiles read no others.
        *(Index(f"ix_case_stats_{measure}", "school_id", "academic_year", "kind", "repeat",
                "channel", measure, sqlite_where=text(f"{measure} IS NOT NULL"),
                postgresql_where=text(f"{measure} IS NOT NULL"))
          for measure in ("ack_hours", "first_response_hours", "resolution_hours")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[str | None] = mapped_column(
        ForeignKey("cases.id", ondelete="SET NULL"), unique=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM, school time
    academic_year: Mapped[str] = mapped_column(String(7))  # e.g. 2026/27 (August to July)
    setting: Mapped[str] = mapped_column(String(30))
    identity: Mapped[str] = mapped_column(String(10))  # anonymous | named
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    overrode: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(30))
    ack_hours: Mapped[float | None] = mapped_column(Float)
    first_response_hours: Mapped[float | None] = mapped_column(Float)
    resolution_hours: Mapped[float | None] = mapped_column(Float)
    ack_within_target: Mapped[bool | None] = mapped_column(Boolean)
    feedback_within_target: Mapped[bool | None] = mapped_column(Boolean)
    # The grounds as bits (domain.report.GROUND_BITS), a copy of `grounds` below that the
    # dashboard reads without a join.
    ground_bits: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # A later copy of a case counted already (cases.repeats_case_id, set when it is filed and
    # kept after either case is purged): the dashboards count the report once, by its first
    # copy, the one whose clock started when it reached the team.
    repeat: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # The placement provider the student named, kept when the case is purged.
    provider_id: Mapped[int | None] = mapped_column(
        ForeignKey("placement_providers.id", ondelete="SET NULL"), index=True)

    grounds: Mapped[list[CaseStatGround]] = relationship(cascade="all, delete-orphan")


class CaseStatGround(db.Model):
    """One ground of a case's statistics (several may apply)."""

    __tablename__ = "case_stat_grounds"

    stat_id: Mapped[int] = mapped_column(ForeignKey("case_stats.id", ondelete="CASCADE"),
                                         primary_key=True)
    ground: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)
