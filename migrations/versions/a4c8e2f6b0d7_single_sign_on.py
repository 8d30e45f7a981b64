"""single sign-on: a school's OpenID Connect provider, staff who sign in with it

Revision ID: a4c8e2f6b0d7
Revises: c2e9a4f7b1d3
Create Date: 2026-12-02 07:30:00

Existing accounts keep their passwords (`key_sealing` 'password'). An account that signs in
with the provider has no password: its password columns become optional. Going down, such
an account cannot sign in (its key opened by no password): it is deactivated, its sealed key
erased and its password columns filled with a random verifier no password matches.
"""
import secrets

import sqlalchemy as sa
from alembic import op

revision = 'a4c8e2f6b0d7'
down_revision = 'c2e9a4f7b1d3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'sso_providers',
        sa.Column('school_id', sa.Integer(), nullable=False),
        sa.Column('enabled', sa.Boolean(), nullable=False),
        sa.Column('issuer', sa.String(length=300), nullable=False),
        sa.Column('client_id', sa.String(length=300), nullable=False),
        sa.Column('client_secret_sealed', sa.LargeBinary(length=600), nullable=False),
        sa.Column('trust_idp_mfa', sa.Boolean(), nullable=False),
        sa.Column('mfa_acr_values', sa.String(length=500), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['school_id'], ['schools.id'],
                                name=op.f('fk_sso_providers_school_id_schools'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('school_id', name=op.f('pk_sso_providers')),
    )
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.add_column(sa.Column('key_sealing', sa.String(length=10), nullable=False,
                                      server_default='password'))
        batch_op.add_column(sa.Column('oidc_subject', sa.String(length=255), nullable=True))
        batch_op.alter_column('kdf_salt', existing_type=sa.LargeBinary(length=32),
                              nullable=True)
        batch_op.alter_column('kdf_params', existing_type=sa.String(length=64), nullable=True)
        batch_op.alter_column('password_verifier', existing_type=sa.LargeBinary(length=32),
                              nullable=True)
        batch_op.create_check_constraint(batch_op.f('ck_staff_key_sealing'),
                                         "key_sealing IN ('password', 'sso')")
        batch_op.create_unique_constraint(batch_op.f('uq_staff_school_id'),
                                          ['school_id', 'oidc_subject'])
    with op.batch_alter_table('staff_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('idp_sid', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('idp_refresh_sealed', sa.LargeBinary(length=4096),
                                      nullable=True))
        batch_op.add_column(sa.Column('idp_checked_at', sa.DateTime(timezone=True),
                                      nullable=True))
        batch_op.create_index(batch_op.f('ix_staff_sessions_idp_sid'), ['idp_sid'])


def downgrade():
    connection = op.get_bind()
    staff = sa.table('staff', sa.column('id', sa.Integer), sa.column('key_sealing', sa.String),
                     sa.column('active', sa.Boolean), sa.column('kdf_salt', sa.LargeBinary),
                     sa.column('kdf_params', sa.String),
                     sa.column('password_verifier', sa.LargeBinary),
                     sa.column('private_key_sealed', sa.LargeBinary))
    for (staff_id,) in connection.execute(
            sa.select(staff.c.id).where(staff.c.key_sealing == 'sso')).all():
        connection.execute(staff.update().where(staff.c.id == staff_id).values(
            active=False, private_key_sealed=b'', kdf_salt=secrets.token_bytes(16),
            kdf_params='argon2id$m=65536,t=3,p=1', password_verifier=secrets.token_bytes(32)))
    op.execute("UPDATE staff_sessions SET ended_at = CURRENT_TIMESTAMP, sealed_private_key = ''"
               " WHERE idp_checked_at IS NOT NULL AND ended_at IS NULL")
    with op.batch_alter_table('staff_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_sessions_idp_sid'))
        batch_op.drop_column('idp_checked_at')
        batch_op.drop_column('idp_refresh_sealed')
        batch_op.drop_column('idp_sid')
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_staff_school_id'), type_='unique')
        batch_op.drop_constraint(batch_op.f('ck_staff_key_sealing'), type_='check')
        batch_op.alter_column('password_verifier', existing_type=sa.LargeBinary(length=32),
                              nullable=False)
        batch_op.alter_column('kdf_params', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('kdf_salt', existing_type=sa.LargeBinary(length=32),
                              nullable=False)
        batch_op.drop_column('oidc_subject')
        batch_op.drop_column('key_sealing')
    op.drop_table('sso_providers')
