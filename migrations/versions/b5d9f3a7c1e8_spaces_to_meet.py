"""spaces to meet: sessions students can come to, and the staff named to publish them

Revision ID: b5d9f3a7c1e8
Revises: a4c8e2f6b0d7
Create Date: 2026-12-02 07:00:00

Two new tables; nothing existing changes. Going down drops both, with every session and
its anonymous count.
"""
import sqlalchemy as sa
from alembic import op

revision = 'b5d9f3a7c1e8'
down_revision = 'a4c8e2f6b0d7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'space_sessions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('school_id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=120), nullable=False),
        sa.Column('about', sa.Text(), nullable=False),
        sa.Column('tags', sa.String(length=500), nullable=False),
        sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('online', sa.Boolean(), nullable=False),
        sa.Column('area', sa.String(length=200), nullable=False),
        sa.Column('join_details', sa.String(length=500), nullable=False),
        sa.Column('facilitator', sa.String(length=120), nullable=False),
        sa.Column('step_free', sa.Boolean(), nullable=False),
        sa.Column('captions', sa.Boolean(), nullable=False),
        sa.Column('quiet_room', sa.Boolean(), nullable=False),
        sa.Column('access_notes', sa.String(length=500), nullable=False),
        sa.Column('created_by', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('sequence', sa.Integer(), server_default='0', nullable=False),
        sa.Column('interest_count', sa.Integer(), server_default='0', nullable=False),
        sa.ForeignKeyConstraint(['created_by'], ['staff.id'],
                                name=op.f('fk_space_sessions_created_by_staff'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['school_id'], ['schools.id'],
                                name=op.f('fk_space_sessions_school_id_schools'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_space_sessions')),
    )
    with op.batch_alter_table('space_sessions', schema=None) as batch_op:
        batch_op.create_index('ix_space_sessions_when', ['school_id', 'ends_at'], unique=False)
    op.create_table(
        'space_leads',
        sa.Column('staff_id', sa.Integer(), nullable=False),
        sa.Column('school_id', sa.Integer(), nullable=False),
        sa.Column('named_by', sa.Integer(), nullable=True),
        sa.Column('named_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['named_by'], ['staff.id'],
                                name=op.f('fk_space_leads_named_by_staff'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['school_id'], ['schools.id'],
                                name=op.f('fk_space_leads_school_id_schools'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['staff_id'], ['staff.id'],
                                name=op.f('fk_space_leads_staff_id_staff'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('staff_id', name=op.f('pk_space_leads')),
    )
    with op.batch_alter_table('space_leads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_space_leads_school_id'), ['school_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('space_leads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_space_leads_school_id'))
    op.drop_table('space_leads')
    with op.batch_alter_table('space_sessions', schema=None) as batch_op:
        batch_op.drop_index('ix_space_sessions_when')
    op.drop_table('space_sessions')
