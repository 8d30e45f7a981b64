"""initial schema: schools, channels, staff, sessions, reports, evidence, cases, messages, notes, consent, outbox, audit, routing rules, support directory, peer offers, statistics, escalations, holidays

Revision ID: c9a90271398f
Revises:
Create Date: 2026-11-25 03:12:39.250273

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c9a90271398f'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('audit_heads',
    sa.Column('chain', sa.String(length=40), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('entry_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('chain', name=op.f('pk_audit_heads'))
    )
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('chain', sa.String(length=40), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=60), nullable=False),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('target', sa.String(length=80), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('entry_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log')),
    sa.UniqueConstraint('chain', 'seq', name=op.f('uq_audit_log_chain'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index('ix_audit_log_actor', ['chain', 'actor'], unique=False)
        batch_op.create_index('ix_audit_log_target', ['chain', 'target'], unique=False)

    op.create_table('schools',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('urgent_contact', sa.String(length=500), nullable=False),
    sa.Column('receipt_salt', sa.LargeBinary(length=32), nullable=False),
    sa.Column('receipt_kdf_params', sa.String(length=64), nullable=False),
    sa.Column('escrow_public_key', sa.LargeBinary(length=32), nullable=False),
    sa.Column('escrow_kdf_salt', sa.LargeBinary(length=32), nullable=False),
    sa.Column('escrow_kdf_params', sa.String(length=64), nullable=False),
    sa.Column('escrow_private_sealed', sa.LargeBinary(length=128), nullable=False),
    sa.Column('urgent_ack_days', sa.Integer(), nullable=False),
    sa.Column('feedback_days', sa.Integer(), nullable=False),
    sa.Column('working_days', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_schools')),
    sa.UniqueConstraint('slug', name=op.f('uq_schools_slug'))
    )
    op.create_table('channels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('ack_days', sa.Integer(), nullable=False),
    sa.Column('retention_days', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('peer', 'pastoral', 'institutional')", name=op.f('ck_channels_kind')),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_channels_school_id_schools'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_channels')),
    sa.UniqueConstraint('school_id', 'kind', name=op.f('uq_channels_school_id'))
    )
    op.create_table('reports',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('receipt_verifier', sa.LargeBinary(length=32), nullable=False),
    sa.Column('submission_digest', sa.LargeBinary(length=32), nullable=True),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('occurred_kind', sa.String(length=10), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=True),
    sa.Column('setting', sa.String(length=30), nullable=False),
    sa.Column('responsible', sa.String(length=30), nullable=False),
    sa.Column('impact', sa.String(length=10), nullable=False),
    sa.Column('urgency', sa.String(length=10), nullable=False),
    sa.Column('not_safe', sa.Boolean(), nullable=False),
    sa.Column('notify_email_sealed', sa.LargeBinary(), nullable=True),
    sa.Column('recommended_channel', sa.String(length=20), nullable=False),
    sa.Column('chosen_channel', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_reports_school_id_schools'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reports')),
    sa.UniqueConstraint('receipt_verifier', name=op.f('uq_reports_receipt_verifier')),
    sa.UniqueConstraint('submission_digest', name=op.f('uq_reports_submission_digest'))
    )
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reports_school_id'), ['school_id'], unique=False)

    op.create_table('school_holidays',
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_school_holidays_school_id_schools'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('school_id', 'day', name=op.f('pk_school_holidays'))
    )
    op.create_table('staff',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('role', sa.String(length=30), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('kdf_salt', sa.LargeBinary(length=32), nullable=False),
    sa.Column('kdf_params', sa.String(length=64), nullable=False),
    sa.Column('password_verifier', sa.LargeBinary(length=32), nullable=False),
    sa.Column('public_key', sa.LargeBinary(length=32), nullable=False),
    sa.Column('private_key_sealed', sa.LargeBinary(length=128), nullable=False),
    sa.Column('key_created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('totp_secret', sa.String(length=64), nullable=False),
    sa.Column('totp_enrolled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('totp_last_counter', sa.BigInteger(), nullable=True),
    sa.Column('enrolment_digest', sa.LargeBinary(length=32), nullable=True),
    sa.Column('enrolment_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('notify_mode', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("role IN ('peer_supporter', 'pastoral_officer', 'institutional_officer', 'admin')", name=op.f('ck_staff_role')),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_staff_school_id_schools'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff')),
    sa.UniqueConstraint('email', name=op.f('uq_staff_email')),
    sa.UniqueConstraint('enrolment_digest', name=op.f('uq_staff_enrolment_digest'))
    )
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_school_id'), ['school_id'], unique=False)

    op.create_table('support_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_support_entries_school_id_schools'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_entries'))
    )
    with op.batch_alter_table('support_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_entries_school_id'), ['school_id'], unique=False)

    op.create_table('cases',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.String(length=36), nullable=False),
    sa.Column('channel_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('legal_hold', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assignee_id'], ['staff.id'], name=op.f('fk_cases_assignee_id_staff'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['channel_id'], ['channels.id'], name=op.f('fk_cases_channel_id_channels')),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_cases_report_id_reports'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_cases_school_id_schools'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cases')),
    sa.UniqueConstraint('report_id', name=op.f('uq_cases_report_id'))
    )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cases_assignee_id'), ['assignee_id'], unique=False)
        batch_op.create_index('ix_cases_queue', ['school_id', 'channel_id', 'urgent', 'due_at'], unique=False)
        batch_op.create_index('ix_cases_status', ['school_id', 'channel_id', 'status'], unique=False)

    op.create_table('channel_memberships',
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('channel_id', sa.Integer(), nullable=False),
    sa.Column('is_lead', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['channel_id'], ['channels.id'], name=op.f('fk_channel_memberships_channel_id_channels'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_channel_memberships_staff_id_staff'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('staff_id', 'channel_id', name=op.f('pk_channel_memberships'))
    )
    with op.batch_alter_table('channel_memberships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_channel_memberships_channel_id'), ['channel_id'], unique=False)

    op.create_table('evidence',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('report_id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('name_sealed', sa.LargeBinary(), nullable=False),
    sa.Column('content_sealed', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_evidence_report_id_reports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence'))
    )
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_report_id'), ['report_id'], unique=False)

    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('address_sealed', sa.LargeBinary(), nullable=True),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deliver_after', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind IN ('case_attention', 'reply_waiting', 'escalation')", name=op.f('ck_outbox_kind')),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_outbox_school_id_schools'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_outbox_staff_id_staff'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox'))
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_pending', ['sent_at', 'deliver_after'], unique=False)

    op.create_table('peer_offers',
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('tag', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_peer_offers_staff_id_staff'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('staff_id', 'tag', name=op.f('pk_peer_offers'))
    )
    with op.batch_alter_table('peer_offers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_peer_offers_tag'), ['tag'], unique=False)

    op.create_table('report_choices',
    sa.Column('report_id', sa.String(length=36), nullable=False),
    sa.Column('question', sa.String(length=20), nullable=False),
    sa.Column('value', sa.String(length=40), nullable=False),
    sa.CheckConstraint("question IN ('ground', 'want', 'share_identity', 'peer_tag')", name=op.f('ck_report_choices_question')),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_report_choices_report_id_reports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('report_id', 'question', 'value', name=op.f('pk_report_choices'))
    )
    with op.batch_alter_table('report_choices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_choices_value'), ['value'], unique=False)

    op.create_table('report_fields',
    sa.Column('report_id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('ciphertext', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_report_fields_report_id_reports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('report_id', 'name', name=op.f('pk_report_fields'))
    )
    op.create_table('rule_sets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['staff.id'], name=op.f('fk_rule_sets_created_by_staff'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_rule_sets_school_id_schools'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rule_sets')),
    sa.UniqueConstraint('school_id', 'version', name=op.f('uq_rule_sets_school_id'))
    )
    op.create_table('staff_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_digest', sa.LargeBinary(length=32), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('sealed_private_key', sa.LargeBinary(length=128), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('second_factor_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_staff_sessions_staff_id_staff'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_sessions')),
    sa.UniqueConstraint('token_digest', name=op.f('uq_staff_sessions_token_digest'))
    )
    with op.batch_alter_table('staff_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_sessions_staff_id'), ['staff_id'], unique=False)

    op.create_table('support_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('valid_from', sa.DateTime(timezone=True), nullable=False),
    sa.Column('valid_to', sa.DateTime(timezone=True), nullable=True),
    sa.Column('edited_by', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('offers', sa.Text(), nullable=False),
    sa.Column('tags', sa.String(length=500), nullable=False),
    sa.Column('channels', sa.String(length=60), nullable=False),
    sa.Column('url', sa.String(length=300), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('hours', sa.String(length=200), nullable=False),
    sa.Column('confidential', sa.Boolean(), nullable=False),
    sa.Column('creates_record', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['edited_by'], ['staff.id'], name=op.f('fk_support_revisions_edited_by_staff'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['entry_id'], ['support_entries.id'], name=op.f('fk_support_revisions_entry_id_support_entries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_revisions'))
    )
    with op.batch_alter_table('support_revisions', schema=None) as batch_op:
        batch_op.create_index('ix_support_revisions_when', ['entry_id', 'valid_from', 'valid_to'], unique=False)

    op.create_table('wrapped_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.String(length=36), nullable=False),
    sa.Column('scope', sa.String(length=10), nullable=False),
    sa.Column('holder', sa.String(length=10), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('wrapped', sa.LargeBinary(length=128), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(holder = 'staff') = (staff_id IS NOT NULL)", name=op.f('ck_wrapped_keys_staff_holder')),
    sa.CheckConstraint("holder IN ('staff', 'escrow', 'reporter')", name=op.f('ck_wrapped_keys_holder')),
    sa.CheckConstraint("scope IN ('content', 'identity')", name=op.f('ck_wrapped_keys_scope')),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_wrapped_keys_report_id_reports'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_wrapped_keys_staff_id_staff'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wrapped_keys')),
    sa.UniqueConstraint('report_id', 'scope', 'holder', 'staff_id', name=op.f('uq_wrapped_keys_report_id'))
    )
    with op.batch_alter_table('wrapped_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wrapped_keys_staff_id'), ['staff_id'], unique=False)

    op.create_table('case_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_kind', sa.String(length=10), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('from_status', sa.String(length=30), nullable=True),
    sa.Column('to_status', sa.String(length=30), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['staff.id'], name=op.f('fk_case_events_actor_id_staff'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_events_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_events'))
    )
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_events_case_id'), ['case_id'], unique=False)

    op.create_table('case_notes',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('body_sealed', sa.LargeBinary(), nullable=False),
    sa.CheckConstraint("kind IN ('note', 'outcome')", name=op.f('ck_case_notes_kind')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_notes_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_case_notes_staff_id_staff'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_notes'))
    )
    with op.batch_alter_table('case_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_notes_case_id'), ['case_id'], unique=False)

    op.create_table('case_stats',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=True),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('academic_year', sa.String(length=7), nullable=False),
    sa.Column('setting', sa.String(length=30), nullable=False),
    sa.Column('identity', sa.String(length=10), nullable=False),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('overrode', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('ack_hours', sa.Float(), nullable=True),
    sa.Column('first_response_hours', sa.Float(), nullable=True),
    sa.Column('resolution_hours', sa.Float(), nullable=True),
    sa.Column('ack_within_target', sa.Boolean(), nullable=True),
    sa.Column('feedback_within_target', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_stats_case_id_cases'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_case_stats_school_id_schools'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_stats')),
    sa.UniqueConstraint('case_id', name=op.f('uq_case_stats_case_id'))
    )
    with op.batch_alter_table('case_stats', schema=None) as batch_op:
        batch_op.create_index('ix_case_stats_dashboard', ['school_id', 'academic_year', 'channel'], unique=False)

    op.create_table('consent_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('requested_by', sa.Integer(), nullable=True),
    sa.Column('to_channel_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision', sa.String(length=10), nullable=True),
    sa.CheckConstraint("decision IN ('approved', 'declined')", name=op.f('ck_consent_requests_decision')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_consent_requests_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requested_by'], ['staff.id'], name=op.f('fk_consent_requests_requested_by_staff'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['to_channel_id'], ['channels.id'], name=op.f('fk_consent_requests_to_channel_id_channels'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent_requests'))
    )
    with op.batch_alter_table('consent_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_requests_case_id'), ['case_id'], unique=False)

    op.create_table('escalations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('deadline', sa.String(length=12), nullable=False),
    sa.Column('stage', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("deadline IN ('acknowledge', 'feedback')", name=op.f('ck_escalations_deadline')),
    sa.CheckConstraint("stage IN ('approaching', 'overdue', 'admin')", name=op.f('ck_escalations_stage')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_escalations_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_escalations')),
    sa.UniqueConstraint('case_id', 'deadline', 'stage', name=op.f('uq_escalations_case_id'))
    )
    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_escalations_case_id'), ['case_id'], unique=False)

    op.create_table('messages',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('case_id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('author', sa.String(length=10), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('signed', sa.Boolean(), nullable=False),
    sa.Column('body_sealed', sa.LargeBinary(), nullable=False),
    sa.CheckConstraint("author IN ('reporter', 'staff')", name=op.f('ck_messages_author')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_messages_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_messages_staff_id_staff'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_messages'))
    )
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_messages_case_id'), ['case_id'], unique=False)

    op.create_table('case_stat_grounds',
    sa.Column('stat_id', sa.Integer(), nullable=False),
    sa.Column('ground', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['stat_id'], ['case_stats.id'], name=op.f('fk_case_stat_grounds_stat_id_case_stats'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('stat_id', 'ground', name=op.f('pk_case_stat_grounds'))
    )
    with op.batch_alter_table('case_stat_grounds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_stat_grounds_ground'), ['ground'], unique=False)



def downgrade():
    with op.batch_alter_table('case_stat_grounds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_stat_grounds_ground'))

    op.drop_table('case_stat_grounds')
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_messages_case_id'))

    op.drop_table('messages')
    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_escalations_case_id'))

    op.drop_table('escalations')
    with op.batch_alter_table('consent_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_requests_case_id'))

    op.drop_table('consent_requests')
    with op.batch_alter_table('case_stats', schema=None) as batch_op:
        batch_op.drop_index('ix_case_stats_dashboard')

    op.drop_table('case_stats')
    with op.batch_alter_table('case_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_notes_case_id'))

    op.drop_table('case_notes')
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_events_case_id'))

    op.drop_table('case_events')
    with op.batch_alter_table('wrapped_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wrapped_keys_staff_id'))

    op.drop_table('wrapped_keys')
    with op.batch_alter_table('support_revisions', schema=None) as batch_op:
        batch_op.drop_index('ix_support_revisions_when')

    op.drop_table('support_revisions')
    with op.batch_alter_table('staff_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_sessions_staff_id'))

    op.drop_table('staff_sessions')
    op.drop_table('rule_sets')
    op.drop_table('report_fields')
    with op.batch_alter_table('report_choices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_choices_value'))

    op.drop_table('report_choices')
    with op.batch_alter_table('peer_offers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_peer_offers_tag'))

    op.drop_table('peer_offers')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_pending')

    op.drop_table('outbox')
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_report_id'))

    op.drop_table('evidence')
    with op.batch_alter_table('channel_memberships', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_channel_memberships_channel_id'))

    op.drop_table('channel_memberships')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_status')
        batch_op.drop_index('ix_cases_queue')
        batch_op.drop_index(batch_op.f('ix_cases_assignee_id'))

    op.drop_table('cases')
    with op.batch_alter_table('support_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_support_entries_school_id'))

    op.drop_table('support_entries')
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_school_id'))

    op.drop_table('staff')
    op.drop_table('school_holidays')
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reports_school_id'))

    op.drop_table('reports')
    op.drop_table('channels')
    op.drop_table('schools')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_target')
        batch_op.drop_index('ix_audit_log_actor')

    op.drop_table('audit_log')
    op.drop_table('audit_heads')
