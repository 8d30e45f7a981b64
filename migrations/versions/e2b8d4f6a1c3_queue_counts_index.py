"""the queue's counts by status and overdue read one index alone, no case row

Revision ID: e2b8d4f6a1c3
Revises: b8f4d0e2a6c9
Create Date: 2026-12-05 05:00:00

ix_cases_counts holds (school_id, channel_id, status, due_at): the queue page counts a
handler's cases by status and overdue from the index alone (the cases the handler is kept
off are counted apart and taken away). It replaces ix_cases_status, which was its first
three columns. Going down puts that one back.
"""
from alembic import op

revision = 'e2b8d4f6a1c3'
down_revision = 'b8f4d0e2a6c9'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index('ix_cases_counts',
                              ['school_id', 'channel_id', 'status', 'due_at'],
                              unique=False)
        batch_op.drop_index('ix_cases_status')


def downgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index('ix_cases_status', ['school_id', 'channel_id', 'status'],
                              unique=False)
        batch_op.drop_index('ix_cases_counts')
