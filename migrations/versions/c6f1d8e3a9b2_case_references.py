"""a short reference for every case, unique within its school (e.g. NF-7K3Q); emails name it

Revision ID: c6f1d8e3a9b2
Revises: b5e0c7d2f8a1
Create Date: 2026-12-04 09:00:00

Existing cases get fresh random references, drawn here (not imported from the app, so this
revision keeps working when the app's code moves on). Going down drops the column: the
references are forgotten, and going up again gives every case a new one. Outbox rows now
name the case their email is about (to show its reference); rows queued before this
revision name none, and their emails say "A case" as before.
"""
import secrets

import sqlalchemy as sa
from alembic import op

revision = 'c6f1d8e3a9b2'
down_revision = 'b5e0c7d2f8a1'
branch_labels = None
depends_on = None

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # as reporting/domain/references.py


def _reference() -> str:
    compact = "".join(secrets.choice(ALPHABET) for _ in range(6))
    return f"{compact[:2]}-{compact[2:]}"


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reference', sa.String(length=7), nullable=True))
    connection = op.get_bind()
    cases = sa.table('cases', sa.column('id', sa.String), sa.column('school_id', sa.Integer),
                     sa.column('reference', sa.String))
    taken: set[tuple[int, str]] = set()
    for case_id, school_id in connection.execute(
            sa.select(cases.c.id, cases.c.school_id)).all():
        while (school_id, reference := _reference()) in taken:
            pass
        taken.add((school_id, reference))
        connection.execute(cases.update().where(cases.c.id == case_id)
                           .values(reference=reference))
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.alter_column('reference', existing_type=sa.String(length=7), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_cases_school_id'),
                                          ['school_id', 'reference'])
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('case_id', sa.String(length=36), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_case_id'), ['case_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_outbox_case_id_cases'), 'cases',
                                    ['case_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_outbox_case_id_cases'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_outbox_case_id'))
        batch_op.drop_column('case_id')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_cases_school_id'), type_='unique')
        batch_op.drop_column('reference')
