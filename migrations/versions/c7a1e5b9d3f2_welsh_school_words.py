"""welsh school words: the school's own words in Welsh beside the English

Revision ID: c7a1e5b9d3f2
Revises: d8b2f6a0c4e9
Create Date: 2026-12-02 16:40:00

Each support directory revision gains a Welsh name, offer and opening hours, and a school
its Welsh urgent contact; all empty by default (the English shows, with a note, until an
admin writes the Welsh). Routing reasons need no column: the Welsh is part of the rule text.
Going down drops the Welsh and keeps every row.
"""
import sqlalchemy as sa
from alembic import op

revision = 'c7a1e5b9d3f2'
down_revision = 'd8b2f6a0c4e9'
branch_labels = None
depends_on = None

REVISION_COLUMNS = (('name_cy', sa.String(length=120)), ('offers_cy', sa.Text()),
                    ('hours_cy', sa.String(length=200)))


def upgrade():
    with op.batch_alter_table('support_revisions', schema=None) as batch_op:
        for name, type_ in REVISION_COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=False, server_default=''))
    with op.batch_alter_table('schools', schema=None) as batch_op:
        batch_op.add_column(sa.Column('urgent_contact_cy', sa.String(length=500),
                                      nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('schools', schema=None) as batch_op:
        batch_op.drop_column('urgent_contact_cy')
    with op.batch_alter_table('support_revisions', schema=None) as batch_op:
        for name, _ in reversed(REVISION_COLUMNS):
            batch_op.drop_column(name)
