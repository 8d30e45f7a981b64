"""cases shared by two teams (a rule's `also`), and the team each staff message is from

Revision ID: 7b3c8e1f2a60
Revises: 5d1e2a7c9b04
Create Date: 2026-12-02 09:00:00

Existing cases have one team, so `also_channel_id` starts empty. Existing messages keep
`channel_id` empty: which team wrote them is not recorded anywhere, and the student goes on
seeing the case's current team for them, as before.
"""
import sqlalchemy as sa
from alembic import op

revision = '7b3c8e1f2a60'
down_revision = '5d1e2a7c9b04'
branch_labels = None
depends_on = None

# Partial: the index holds only the few shared cases, so planners see how selective it is.
SHARED = sa.text('also_channel_id IS NOT NULL')
# Before the column goes, the second team's handlers lose their keys: the older code knows
# only the lead team, and must not leave readers it cannot see or show to the student.
UNSHARE = """
DELETE FROM wrapped_keys
WHERE holder = 'staff'
  AND report_id IN (SELECT report_id FROM cases WHERE also_channel_id IS NOT NULL)
  AND staff_id NOT IN (
    SELECT m.staff_id FROM channel_memberships m JOIN cases c ON c.channel_id = m.channel_id
    WHERE c.report_id = wrapped_keys.report_id)
"""


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('also_channel_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_cases_also', ['school_id', 'also_channel_id'], unique=False,
                              sqlite_where=SHARED, postgresql_where=SHARED)
        batch_op.create_foreign_key(batch_op.f('fk_cases_also_channel_id_channels'),
                                    'channels', ['also_channel_id'], ['id'])
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_messages_channel_id_channels'), 'channels',
                                    ['channel_id'], ['id'], ondelete='SET NULL')


def downgrade():
    op.execute(UNSHARE)
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_messages_channel_id_channels'),
                                 type_='foreignkey')
        batch_op.drop_column('channel_id')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_cases_also_channel_id_channels'),
                                 type_='foreignkey')
        batch_op.drop_index('ix_cases_also')
        batch_op.drop_column('also_channel_id')
