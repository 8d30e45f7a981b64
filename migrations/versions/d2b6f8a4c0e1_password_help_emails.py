"""password help emails: outbox rows of kind password_help, naming who asked

Revision ID: d2b6f8a4c0e1
Revises: a7e3c9d1f5b8
Create Date: 2026-12-02 06:10:00

"Forgot your password?" queues an email to each other admin of the school naming the person
who asked (outbox.about_staff_id). Going down deletes such rows, sent or not (the older code
could not send them), then the column.
"""
import sqlalchemy as sa
from alembic import op

revision = 'd2b6f8a4c0e1'
down_revision = 'a7e3c9d1f5b8'
branch_labels = None
depends_on = None

KINDS = "'case_attention', 'reply_waiting', 'escalation'"


def upgrade():
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('about_staff_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_about_staff_id'), ['about_staff_id'],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_outbox_about_staff_id_staff'), 'staff',
                                    ['about_staff_id'], ['id'], ondelete='CASCADE')
        batch_op.drop_constraint(batch_op.f('ck_outbox_kind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_outbox_kind'), f"kind IN ({KINDS}, 'password_help')")


def downgrade():
    op.execute("DELETE FROM outbox WHERE kind = 'password_help'")
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_outbox_kind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_outbox_kind'), f"kind IN ({KINDS})")
        batch_op.drop_constraint(batch_op.f('fk_outbox_about_staff_id_staff'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_outbox_about_staff_id'))
        batch_op.drop_column('about_staff_id')
