"""Welsh beside the English: role-model profiles' and sessions' own words

Revision ID: e9b3d7f1a5c8
Revises: c7a1e5b9d3f2
Create Date: 2026-12-02 16:40:00

A volunteer may give their role, specialty and why they volunteer in Welsh too, and an
organiser a session's title, description, place, how to join, facilitator and access notes.
Each Welsh column sits beside its English one and defaults to "" (English only). Going down
drops the Welsh columns; the English is untouched.
"""
import sqlalchemy as sa
from alembic import op

revision = 'e9b3d7f1a5c8'
down_revision = 'c7a1e5b9d3f2'
branch_labels = None
depends_on = None

PROFILE = (('role_title_cy', sa.String(length=120)), ('specialty_cy', sa.String(length=120)),
           ('why_cy', sa.Text()))
SESSION = (('title_cy', sa.String(length=120)), ('about_cy', sa.Text()),
           ('area_cy', sa.String(length=200)), ('join_details_cy', sa.String(length=500)),
           ('facilitator_cy', sa.String(length=120)),
           ('access_notes_cy', sa.String(length=500)))
TABLES = (('role_model_profiles', PROFILE), ('space_sessions', SESSION))


def upgrade():
    for table, columns in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, kind in columns:
                batch_op.add_column(sa.Column(name, kind, nullable=False, server_default=''))


def downgrade():
    for table, columns in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, _ in reversed(columns):
                batch_op.drop_column(name)
