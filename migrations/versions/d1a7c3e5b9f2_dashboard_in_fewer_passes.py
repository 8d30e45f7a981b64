"""statistics rows hold their grounds as bits and whether they repeat a case; dashboard indexes

Revision ID: d1a7c3e5b9f2
Revises: e2b8d4f6a1c3
Create Date: 2026-12-02 04:25:00

Existing rows get their bits from their rows in case_stat_grounds (kept: they stay the
record), by the table below, a copy of reporting/domain/report.py's GROUND_BITS (not
imported, so this revision keeps working when the app's code moves on). A row is marked as
a repeat where its case still exists and repeats another; a repeat whose case or first copy
was purged before this revision can no longer be told, and stays counted as before. Going
down drops the columns and indexes: nothing else was changed.
"""
import sqlalchemy as sa
from alembic import op

revision = 'd1a7c3e5b9f2'
down_revision = 'e2b8d4f6a1c3'
branch_labels = None
depends_on = None

GROUND_BITS = {
    "age": 1 << 0, "disability": 1 << 1, "gender_reassignment": 1 << 2,
    "marriage_civil_partnership": 1 << 3, "pregnancy_maternity": 1 << 4, "race": 1 << 5,
    "religion_belief": 1 << 6, "sex": 1 << 7, "sexual_orientation": 1 << 8,
    "socio_economic": 1 << 9, "accent_language": 1 << 10, "caring": 1 << 11,
    "other": 1 << 12,
}
MEASURES = ("ack_hours", "first_response_hours", "resolution_hours")
BREAKDOWNS = ["school_id", "academic_year", "kind", "repeat", "channel", "setting", "identity",
              "month", "overrode", "ack_within_target", "feedback_within_target", "ground_bits"]


def _backfill() -> None:
    stats = sa.table('case_stats', sa.column('id', sa.Integer),
                     sa.column('case_id', sa.String), sa.column('ground_bits', sa.Integer),
                     sa.column('repeat', sa.Boolean))
    grounds = sa.table('case_stat_grounds', sa.column('stat_id', sa.Integer),
                       sa.column('ground', sa.String))
    cases = sa.table('cases', sa.column('id', sa.String),
                     sa.column('repeats_case_id', sa.String))
    bits = sa.case(*((grounds.c.ground == name, bit) for name, bit in GROUND_BITS.items()),
                   else_=0)
    repeats = sa.select(cases.c.id).where(cases.c.repeats_case_id.is_not(None))
    op.get_bind().execute(stats.update().values(
        ground_bits=sa.select(sa.func.coalesce(sa.func.sum(bits), 0))
        .where(grounds.c.stat_id == stats.c.id).scalar_subquery(),
        repeat=sa.case((stats.c.case_id.in_(repeats), sa.true()), else_=sa.false())))


def upgrade():
    # Defaults and indexes only, so SQLite adds the columns in place: copying case_stats
    # into a new table would drop the old one, and with foreign keys on that deletes every
    # row of case_stat_grounds (ON DELETE CASCADE).
    with op.batch_alter_table('case_stats', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ground_bits', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('repeat', sa.Boolean(), nullable=False,
                                      server_default='0'))
    _backfill()
    with op.batch_alter_table('case_stats', schema=None) as batch_op:
        batch_op.create_index('ix_case_stats_breakdowns', BREAKDOWNS, unique=False)
        for measure in MEASURES:
            having = sa.text(f'{measure} IS NOT NULL')
            batch_op.create_index(f'ix_case_stats_{measure}',
                                  ['school_id', 'academic_year', 'kind', 'repeat', 'channel',
                                   measure], unique=False,
                                  sqlite_where=having, postgresql_where=having)


def downgrade():
    with op.batch_alter_table('case_stats', schema=None) as batch_op:
        for measure in MEASURES:
            batch_op.drop_index(f'ix_case_stats_{measure}')
        batch_op.drop_index('ix_case_stats_breakdowns')
    # Not in a batch, for the same reason: SQLite (3.35 and later) drops a column in place.
    op.drop_column('case_stats', 'repeat')
    op.drop_column('case_stats', 'ground_bits')
