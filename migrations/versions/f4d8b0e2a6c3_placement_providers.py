"""placement providers: the school's list, the provider a report names, rising-pattern alerts

Revision ID: f4d8b0e2a6c3
Revises: a9e1c3f5b7d2
Create Date: 2026-12-02 13:00:00

Three new tables (placement_providers, pattern_settings, pattern_alerts); a nullable
provider_id on reports and on case_stats; outbox rows of kind pattern_alert, naming their
alert (outbox.pattern_alert_id). Going down
deletes such outbox rows and drops the columns and tables (what providers reports named).
"""
import sqlalchemy as sa
from alembic import op

revision = 'f4d8b0e2a6c3'
down_revision = 'a9e1c3f5b7d2'
branch_labels = None
depends_on = None

KINDS = "'case_attention', 'reply_waiting', 'escalation', 'password_help', 'enrolment'"


def upgrade():
    op.create_table(
        'placement_providers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('school_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['school_id'], ['schools.id'],
                                name=op.f('fk_placement_providers_school_id_schools'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_placement_providers')),
        sa.UniqueConstraint('school_id', 'name', name='uq_placement_providers_name'),
    )
    with op.batch_alter_table('placement_providers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_placement_providers_school_id'), ['school_id'],
                              unique=False)
    op.create_table(
        'pattern_settings',
        sa.Column('school_id', sa.Integer(), nullable=False),
        sa.Column('threshold', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['school_id'], ['schools.id'],
                                name=op.f('fk_pattern_settings_school_id_schools'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('school_id', name=op.f('pk_pattern_settings')),
    )
    op.create_table(
        'pattern_alerts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('school_id', sa.Integer(), nullable=False),
        sa.Column('pattern', sa.String(length=60), nullable=False),
        sa.Column('term', sa.String(length=20), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['school_id'], ['schools.id'],
                                name=op.f('fk_pattern_alerts_school_id_schools'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_pattern_alerts')),
        sa.UniqueConstraint('school_id', 'pattern', 'term', name='uq_pattern_alerts_once'),
    )
    for table in ('reports', 'case_stats'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('provider_id', sa.Integer(), nullable=True))
            batch_op.create_index(batch_op.f(f'ix_{table}_provider_id'), ['provider_id'],
                                  unique=False)
            batch_op.create_foreign_key(batch_op.f(f'fk_{table}_provider_id_placement_providers'),
                                        'placement_providers', ['provider_id'], ['id'],
                                        ondelete='SET NULL')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pattern_alert_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_pattern_alert_id'), ['pattern_alert_id'],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_outbox_pattern_alert_id_pattern_alerts'),
                                    'pattern_alerts', ['pattern_alert_id'], ['id'],
                                    ondelete='CASCADE')
        batch_op.drop_constraint(batch_op.f('ck_outbox_kind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_outbox_kind'),
                                         f"kind IN ({KINDS}, 'pattern_alert')")


def downgrade():
    op.execute("DELETE FROM outbox WHERE kind = 'pattern_alert'")
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_outbox_kind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_outbox_kind'), f"kind IN ({KINDS})")
        batch_op.drop_constraint(batch_op.f('fk_outbox_pattern_alert_id_pattern_alerts'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_outbox_pattern_alert_id'))
        batch_op.drop_column('pattern_alert_id')
    for table in ('case_stats', 'reports'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_provider_id_placement_providers'),
                                     type_='foreignkey')
            batch_op.drop_index(batch_op.f(f'ix_{table}_provider_id'))
            batch_op.drop_column('provider_id')
    op.drop_table('pattern_alerts')
    op.drop_table('pattern_settings')
    with op.batch_alter_table('placement_providers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_placement_providers_school_id'))
    op.drop_table('placement_providers')
