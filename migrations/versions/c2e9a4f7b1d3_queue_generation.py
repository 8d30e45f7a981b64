"""schools.queue_generation: moves on with every change the queue's counts are made of

Revision ID: c2e9a4f7b1d3
Revises: d1a7c3e5b9f2
Create Date: 2026-12-02 05:40:00

Each app process keeps a handler's counts by status until the school's generation, a random
value drawn anew with every change the counts read, changes (or a deadline passes). Existing
schools get a random one each. Going down drops the column.
"""
import secrets

import sqlalchemy as sa
from alembic import op

revision = 'c2e9a4f7b1d3'
down_revision = 'd1a7c3e5b9f2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('schools', schema=None) as batch_op:
        batch_op.add_column(sa.Column('queue_generation', sa.BigInteger(), nullable=False,
                                      server_default='0'))
    connection = op.get_bind()
    schools = sa.table('schools', sa.column('id', sa.Integer),
                       sa.column('queue_generation', sa.BigInteger))
    for (school_id,) in connection.execute(sa.select(schools.c.id)).all():
        connection.execute(schools.update().where(schools.c.id == school_id)
                           .values(queue_generation=secrets.randbits(62)))


def downgrade():
    with op.batch_alter_table('schools', schema=None) as batch_op:
        batch_op.drop_column('queue_generation')
