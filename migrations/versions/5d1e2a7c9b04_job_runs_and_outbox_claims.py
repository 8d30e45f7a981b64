"""job runs (last success of each periodic job) and outbox claims (each email sent once)

Revision ID: 5d1e2a7c9b04
Revises: c9a90271398f
Create Date: 2026-12-01 21:20:00

"""
import sqlalchemy as sa
from alembic import op

revision = '5d1e2a7c9b04'
down_revision = 'c9a90271398f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('job_runs',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('last_success_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_failure_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=80), nullable=True),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_job_runs'))
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('claim_token', sa.String(length=32), nullable=True))


def downgrade():
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('claim_token')
        batch_op.drop_column('claimed_at')
    op.drop_table('job_runs')
