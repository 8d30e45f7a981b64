"""Unbound extensions; create_app() binds them to an app."""

from __future__ import annotations

from flask import current_app, request
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

from reporting.crypto import keyed_digest

# Named constraints so Alembic can alter them on SQLite and PostgreSQL alike.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base carrying the naming convention."""

    metadata = MetaData(naming_convention=NAMING)


def pseudonymous_client() -> str:
    """Rate-limit key: a keyed digest of the client address, so no IP is ever stored."""
    return keyed_digest(current_app.config["BELONG_HMAC_KEY"], request.remote_addr or "-")


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
login_manager = LoginManager()
limiter = Limiter(key_func=pseudonymous_client)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """SQLite ignores foreign keys (and ON DELETE CASCADE) unless asked on every connection."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        # Write-ahead logging: readers never wait for a writer, and a commit costs one
        # sync instead of several (still fully durable with the default synchronous=FULL).
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()
