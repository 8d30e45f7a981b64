"""the queue finds and sorts: last activity, new from the student, reads, saved views

Revision ID: f3c9e5a7b2d4
Revises: c6f1d8e3a9b2
Create Date: 2026-12-02 05:00:00

Existing cases get their last activity from what is recorded (events, messages either way,
notes) and the time the student last wrote from their messages. Nobody has a recorded read
yet, so an existing case whose student wrote shows "new from the student" until a handler
opens it. Going down drops the columns, the reads and the saved views.
"""
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = 'f3c9e5a7b2d4'
down_revision = 'c6f1d8e3a9b2'
branch_labels = None
depends_on = None


def _latest(connection, table: str, column: str, *where) -> dict:
    """The latest time in a case's rows of one table, by case id."""
    rows = sa.table(table, sa.column('case_id', sa.String),
                    sa.column(column, sa.DateTime(timezone=True)), sa.column('author', sa.String))
    return dict(connection.execute(
        sa.select(rows.c.case_id, sa.func.max(rows.c[column]))
        .where(*(condition(rows) for condition in where)).group_by(rows.c.case_id)).all())


def _utc(at: datetime) -> datetime:
    """SQLite gives the stored UTC times back without a zone, PostgreSQL with one."""
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def upgrade():
    op.create_table(
        'case_reads',
        sa.Column('case_id', sa.String(length=36), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=False),
        sa.Column('read_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'],
                                name=op.f('fk_case_reads_case_id_cases'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['staff_id'], ['staff.id'],
                                name=op.f('fk_case_reads_staff_id_staff'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('case_id', 'staff_id', name=op.f('pk_case_reads')),
    )
    with op.batch_alter_table('case_reads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_reads_staff_id'), ['staff_id'], unique=False)
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.add_column(sa.Column('queue_view', sa.String(length=500), nullable=True))
    with op.batch_alter_table('cases', schema=None) as batch_op:
        for name in ('last_activity_at', 'student_wrote_at'):
            batch_op.add_column(sa.Column(name, sa.DateTime(timezone=True), nullable=True))

    connection = op.get_bind()
    cases = sa.table('cases', sa.column('id', sa.String),
                     *(sa.column(name, sa.DateTime(timezone=True)) for name in (
                         'created_at', 'last_activity_at', 'student_wrote_at')))
    latest = [_latest(connection, 'case_events', 'at'),
              _latest(connection, 'messages', 'created_at'),
              _latest(connection, 'case_notes', 'created_at')]
    wrote = _latest(connection, 'messages', 'created_at',
                    lambda rows: rows.c.author == 'reporter')
    for case_id, created_at in connection.execute(
            sa.select(cases.c.id, cases.c.created_at)).all():
        times = [created_at] + [found[case_id] for found in latest if case_id in found]
        connection.execute(cases.update().where(cases.c.id == case_id).values(
            last_activity_at=max(times, key=_utc), student_wrote_at=wrote.get(case_id)))

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.alter_column('last_activity_at', existing_type=sa.DateTime(timezone=True),
                              nullable=False)
        batch_op.create_index('ix_cases_received', ['school_id', 'channel_id', 'created_at'],
                              unique=False)
        batch_op.create_index('ix_cases_activity',
                              ['school_id', 'channel_id', 'last_activity_at'], unique=False)


def downgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_activity')
        batch_op.drop_index('ix_cases_received')
        batch_op.drop_column('student_wrote_at')
        batch_op.drop_column('last_activity_at')
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_column('queue_view')
    with op.batch_alter_table('case_reads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_reads_staff_id'))
    op.drop_table('case_reads')
