"""staff administration: who invited an account, when it was deactivated, enrolment emails

Revision ID: b8f4d0e2a6c9
Revises: d2b6f8a4c0e1
Create Date: 2026-12-02 05:30:00

Existing accounts were made on the command line (no inviter); an inactive one (none exist:
nothing could deactivate) gets no date. The outbox gains the enrolment email and its
sealed link. Going down drops the columns and any enrolment email still queued.
"""
import sqlalchemy as sa
from alembic import op

revision = 'b8f4d0e2a6c9'
down_revision = 'd2b6f8a4c0e1'
branch_labels = None
depends_on = None

KINDS = "'case_attention', 'reply_waiting', 'escalation', 'password_help'"


def upgrade():
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invited_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('deactivated_at', sa.DateTime(timezone=True),
                                      nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_staff_invited_by_id_staff'), 'staff',
                                    ['invited_by_id'], ['id'], ondelete='SET NULL')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('link_sealed', sa.LargeBinary(), nullable=True))
        batch_op.drop_constraint(batch_op.f('ck_outbox_kind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_outbox_kind'),
                                         f"kind IN ({KINDS}, 'enrolment')")


def downgrade():
    op.execute("DELETE FROM outbox WHERE kind = 'enrolment'")
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_outbox_kind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_outbox_kind'), f"kind IN ({KINDS})")
        batch_op.drop_column('link_sealed')
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_staff_invited_by_id_staff'), type_='foreignkey')
        batch_op.drop_column('deactivated_at')
        batch_op.drop_column('invited_by_id')
