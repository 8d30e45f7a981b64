"""belonging pulse: a school's items and anonymous answers kept by term

Revision ID: e3c7a9d1f5b2
Revises: b5d9f3a7c1e8
Create Date: 2026-12-02 13:00:00

Five new tables; nothing existing changes. Going down drops them, with every answer.
"""
import sqlalchemy as sa
from alembic import op

revision = 'e3c7a9d1f5b2'
down_revision = 'b5d9f3a7c1e8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'pulse_items',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('school_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('text', sa.String(length=200), nullable=False),
        sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['school_id'], ['schools.id'],
                                name=op.f('fk_pulse_items_school_id_schools'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_pulse_items')),
    )
    op.create_index('ix_pulse_items_school', 'pulse_items', ['school_id', 'position'])
    op.create_table(
        'pulse_sources',
        sa.Column('school_id', sa.Integer(), nullable=False),
        sa.Column('published', sa.Boolean(), nullable=False),
        sa.Column('citation', sa.Text(), nullable=False),
        sa.Column('licence', sa.Text(), nullable=False),
        sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['school_id'], ['schools.id'],
                                name=op.f('fk_pulse_sources_school_id_schools'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('school_id', name=op.f('pk_pulse_sources')),
    )
    op.create_table(
        'pulse_responses',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('school_id', sa.Integer(), nullable=False),
        sa.Column('term', sa.String(length=16), nullable=False),
        sa.Column('tags', sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(['school_id'], ['schools.id'],
                                name=op.f('fk_pulse_responses_school_id_schools'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_pulse_responses')),
    )
    op.create_index('ix_pulse_responses_term', 'pulse_responses', ['school_id', 'term'])
    op.create_table(
        'pulse_agreements',
        sa.Column('response_id', sa.String(length=32), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.Column('agreement', sa.SmallInteger(), nullable=False),
        sa.ForeignKeyConstraint(['item_id'], ['pulse_items.id'],
                                name=op.f('fk_pulse_agreements_item_id_pulse_items'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['response_id'], ['pulse_responses.id'],
                                name=op.f('fk_pulse_agreements_response_id_pulse_responses'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('response_id', 'item_id', name=op.f('pk_pulse_agreements')),
    )
    op.create_table(
        'pulse_tokens',
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.Column('school_id', sa.Integer(), nullable=False),
        sa.Column('term', sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(['school_id'], ['schools.id'],
                                name=op.f('fk_pulse_tokens_school_id_schools'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('digest', name=op.f('pk_pulse_tokens')),
    )
    op.create_index(op.f('ix_pulse_tokens_school_id'), 'pulse_tokens', ['school_id'])


def downgrade():
    op.drop_index(op.f('ix_pulse_tokens_school_id'), table_name='pulse_tokens')
    op.drop_table('pulse_tokens')
    op.drop_table('pulse_agreements')
    op.drop_index('ix_pulse_responses_term', table_name='pulse_responses')
    op.drop_table('pulse_responses')
    op.drop_table('pulse_sources')
    op.drop_index('ix_pulse_items_school', table_name='pulse_items')
    op.drop_table('pulse_items')
