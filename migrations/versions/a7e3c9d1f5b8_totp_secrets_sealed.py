"""TOTP secrets sealed at rest: staff.totp_secret becomes staff.totp_secret_sealed

Revision ID: a7e3c9d1f5b8
Revises: f3c9e5a7b2d4
Create Date: 2026-12-02 06:00:00

Each existing secret is sealed with AES-GCM under the server key derived from
BELONG_HMAC_KEY (purpose "totp-secret"), its associated data naming the staff row, exactly
as reporting/services/totp.py does; going down opens them again into the plain column.
The purpose and context are written out here so a later rename in the app cannot change
what this revision writes; the blob format itself is reporting/crypto.py's, which is
versioned so old blobs keep opening.
"""
import sqlalchemy as sa
from alembic import op
from flask import current_app

from reporting import crypto

revision = 'a7e3c9d1f5b8'
down_revision = 'f3c9e5a7b2d4'
branch_labels = None
depends_on = None

STAFF = sa.table('staff', sa.column('id', sa.Integer), sa.column('totp_secret', sa.String),
                 sa.column('totp_secret_sealed', sa.LargeBinary))


def _key() -> bytes:
    return crypto.server_key(current_app.config['BELONG_HMAC_KEY'], 'totp-secret')


def _context(staff_id: int) -> bytes:
    return f'belong/totp-secret/{staff_id}'.encode()


def upgrade():
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_secret_sealed', sa.LargeBinary(length=128),
                                      nullable=True))
    connection, key = op.get_bind(), _key()
    for staff_id, secret in connection.execute(
            sa.select(STAFF.c.id, STAFF.c.totp_secret)).all():
        connection.execute(STAFF.update().where(STAFF.c.id == staff_id).values(
            totp_secret_sealed=crypto.seal(key, secret.encode(), _context(staff_id))))
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.alter_column('totp_secret_sealed', existing_type=sa.LargeBinary(length=128),
                              nullable=False)
        batch_op.drop_column('totp_secret')


def downgrade():
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_secret', sa.String(length=64), nullable=True))
    connection, key = op.get_bind(), _key()
    for staff_id, sealed in connection.execute(
            sa.select(STAFF.c.id, STAFF.c.totp_secret_sealed)).all():
        connection.execute(STAFF.update().where(STAFF.c.id == staff_id).values(
            totp_secret=crypto.unseal(key, sealed, _context(staff_id)).decode()))
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.alter_column('totp_secret', existing_type=sa.String(length=64), nullable=False)
        batch_op.drop_column('totp_secret_sealed')
