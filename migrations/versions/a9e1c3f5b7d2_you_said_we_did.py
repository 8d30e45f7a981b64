"""you said, we did: what a school changed because of reports, one section a year

Revision ID: a9e1c3f5b7d2
Revises: e3c7a9d1f5b2
Create Date: 2026-12-02 13:00:00

One new table; nothing existing changes. Going down drops it, with every section written.
"""
import sqlalchemy as sa
from alembic import op

revision = 'a9e1c3f5b7d2'
down_revision = 'e3c7a9d1f5b2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'you_said_we_did',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('school_id', sa.Integer(), nullable=False),
        sa.Column('academic_year', sa.String(length=7), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['school_id'], ['schools.id'],
                                name=op.f('fk_you_said_we_did_school_id_schools'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['updated_by'], ['staff.id'],
                                name=op.f('fk_you_said_we_did_updated_by_staff'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_you_said_we_did')),
        sa.UniqueConstraint('school_id', 'academic_year',
                            name=op.f('uq_you_said_we_did_school_id')),
    )


def downgrade():
    op.drop_table('you_said_we_did')
