"""role models: volunteers' profiles, and the sealed threads students write to them in

Revision ID: d8b2f6a0c4e9
Revises: f4d8b0e2a6c3
Create Date: 2026-12-02 13:00:00

A staff role 'role_model', an outbox kind 'thread_message' (a content-free "a student wrote"
email) and three tables. Going down deletes every thread (its messages are ciphertext only
and nobody else holds their key), the profiles, the queued emails and the volunteers'
accounts, then restores the old checks.
"""
import sqlalchemy as sa
from alembic import op

revision = 'd8b2f6a0c4e9'
down_revision = 'f4d8b0e2a6c3'
branch_labels = None
depends_on = None

ROLES = "'peer_supporter', 'pastoral_officer', 'institutional_officer', 'admin'"
KINDS = ("'case_attention', 'reply_waiting', 'escalation', 'password_help', 'enrolment', "
         "'pattern_alert'")


def upgrade():
    op.create_table(
        'role_model_profiles',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('school_id', sa.Integer(), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=False),
        sa.Column('display_name', sa.String(length=60), nullable=False),
        sa.Column('role_title', sa.String(length=120), nullable=False),
        sa.Column('specialty', sa.String(length=120), nullable=False),
        sa.Column('tags', sa.String(length=500), nullable=False),
        sa.Column('helps', sa.String(length=200), nullable=False),
        sa.Column('why', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['school_id'], ['schools.id'],
                                name=op.f('fk_role_model_profiles_school_id_schools'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['staff_id'], ['staff.id'],
                                name=op.f('fk_role_model_profiles_staff_id_staff'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_role_model_profiles')),
        sa.UniqueConstraint('staff_id', name=op.f('uq_role_model_profiles_staff_id')),
    )
    op.create_index(op.f('ix_role_model_profiles_school_id'), 'role_model_profiles',
                    ['school_id'], unique=False)
    op.create_table(
        'role_model_threads',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('school_id', sa.Integer(), nullable=False),
        sa.Column('profile_id', sa.Integer(), nullable=False),
        sa.Column('receipt_verifier', sa.LargeBinary(length=32), nullable=False),
        sa.Column('key_for_volunteer', sa.LargeBinary(), nullable=False),
        sa.Column('key_for_student', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_message_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('message_count', sa.Integer(), nullable=False),
        sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('ended_by', sa.String(length=20), nullable=True),
        sa.Column('flagged_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('flagged_by', sa.String(length=20), nullable=True),
        sa.Column('flag_reason', sa.String(length=30), nullable=True),
        sa.Column('flag_excerpt', sa.LargeBinary(), nullable=True),
        sa.Column('flag_excerpt_key', sa.LargeBinary(), nullable=True),
        sa.Column('volunteer_unread', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['profile_id'], ['role_model_profiles.id'],
                                name=op.f('fk_role_model_threads_profile_id_role_model_profiles'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['school_id'], ['schools.id'],
                                name=op.f('fk_role_model_threads_school_id_schools'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_role_model_threads')),
        sa.UniqueConstraint('receipt_verifier', name=op.f('uq_role_model_threads_receipt_verifier')),
    )
    op.create_index(op.f('ix_role_model_threads_profile_id'), 'role_model_threads',
                    ['profile_id'], unique=False)
    op.create_index(op.f('ix_role_model_threads_school_id'), 'role_model_threads',
                    ['school_id'], unique=False)
    op.create_table(
        'role_model_messages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('thread_id', sa.String(length=32), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('from_student', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('ciphertext', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(['thread_id'], ['role_model_threads.id'],
                                name=op.f('fk_role_model_messages_thread_id_role_model_threads'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_role_model_messages')),
    )
    op.create_index(op.f('ix_role_model_messages_thread_id'), 'role_model_messages',
                    ['thread_id'], unique=False)
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_staff_role'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_staff_role'),
                                         f"role IN ({ROLES}, 'role_model')")
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_outbox_kind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_outbox_kind'),
                                         f"kind IN ({KINDS}, 'thread_message')")


def downgrade():
    op.execute("DELETE FROM outbox WHERE kind = 'thread_message'")
    op.drop_index(op.f('ix_role_model_messages_thread_id'), table_name='role_model_messages')
    op.drop_table('role_model_messages')
    op.drop_index(op.f('ix_role_model_threads_school_id'), table_name='role_model_threads')
    op.drop_index(op.f('ix_role_model_threads_profile_id'), table_name='role_model_threads')
    op.drop_table('role_model_threads')
    op.drop_index(op.f('ix_role_model_profiles_school_id'), table_name='role_model_profiles')
    op.drop_table('role_model_profiles')
    op.execute("DELETE FROM staff WHERE role = 'role_model'")
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_outbox_kind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_outbox_kind'), f"kind IN ({KINDS})")
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_staff_role'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_staff_role'), f"role IN ({ROLES})")
