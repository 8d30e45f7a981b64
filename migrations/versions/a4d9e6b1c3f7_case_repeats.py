"""a case sent again because its first copy's receipt was never shown repeats that case

Revision ID: a4d9e6b1c3f7
Revises: 7b3c8e1f2a60
Create Date: 2026-12-02 01:00:00

Existing cases repeat nothing, so `repeats_case_id` starts empty.
"""
import sqlalchemy as sa
from alembic import op

revision = 'a4d9e6b1c3f7'
down_revision = '7b3c8e1f2a60'
branch_labels = None
depends_on = None

REPEATS = sa.text('repeats_case_id IS NOT NULL')


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('repeats_case_id', sa.String(length=36), nullable=True))
        batch_op.create_index('ix_cases_repeats', ['repeats_case_id'], unique=False,
                              sqlite_where=REPEATS, postgresql_where=REPEATS)
        batch_op.create_foreign_key(batch_op.f('fk_cases_repeats_case_id_cases'), 'cases',
                                    ['repeats_case_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_cases_repeats_case_id_cases'),
                                 type_='foreignkey')
        batch_op.drop_index('ix_cases_repeats')
        batch_op.drop_column('repeats_case_id')
