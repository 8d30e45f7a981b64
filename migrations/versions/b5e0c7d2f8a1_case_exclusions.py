"""handlers kept off a case for a conflict of interest (declared, or excluded by a lead)

Revision ID: b5e0c7d2f8a1
Revises: a4d9e6b1c3f7
Create Date: 2026-12-03 09:00:00

Existing cases have no exclusions, so the table starts empty. Going down forgets them: the
keys they removed stay removed, but the older code would show the case to those handlers
again and an escrow grant could give their keys back, so re-exclude them after going up.
"""
import sqlalchemy as sa
from alembic import op

revision = 'b5e0c7d2f8a1'
down_revision = 'a4d9e6b1c3f7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('case_exclusions',
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('by_staff_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('declared', 'excluded')", name=op.f('ck_case_exclusions_kind')),
    sa.ForeignKeyConstraint(['by_staff_id'], ['staff.id'], name=op.f('fk_case_exclusions_by_staff_id_staff'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_exclusions_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_case_exclusions_staff_id_staff'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('case_id', 'staff_id', name=op.f('pk_case_exclusions'))
    )
    with op.batch_alter_table('case_exclusions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_exclusions_staff_id'), ['staff_id'], unique=False)


def downgrade():
    with op.batch_alter_table('case_exclusions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_exclusions_staff_id'))
    op.drop_table('case_exclusions')
