"""report language: the language a report was made in, for the student's emails

Revision ID: b4f8c2e6a0d9
Revises: e9b3d7f1a5c8
Create Date: 2026-12-02 16:45:00

A report keeps the language of the page it was sent from (reports.language, 'en' or 'cy';
every earlier report is 'en'), and a "a reply is waiting" email queued for its student
carries it (outbox.language; NULL for staff emails, which are in English), so the student's
email is written in the language they wrote in. Going down drops both columns: unsent emails
then go out in English.
"""
import sqlalchemy as sa
from alembic import op

revision = 'b4f8c2e6a0d9'
down_revision = 'e9b3d7f1a5c8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=5), nullable=False,
                                      server_default='en'))
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=5), nullable=True))


def downgrade():
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('language')
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_column('language')
