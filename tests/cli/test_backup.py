"""`flask backup`: a dated, owner-only copy of the database that restores; old ones go."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import time
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.engine import make_url

from reporting.backup import make_backup
from reporting.models import JobRun, School
from reporting.models.base import utcnow


def _restored_school_slugs(app, path) -> list[str]:
    """Restore a backup into a fresh database of the same kind and read the schools back."""
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite"):
        with sqlite3.connect(path) as copy:
            return [row[0] for row in copy.execute("SELECT slug FROM schools")]
    url = make_url(uri)
    server = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.exec_driver_sql("DROP DATABASE IF EXISTS belong_restore_test")
        connection.exec_driver_sql("CREATE DATABASE belong_restore_test")
    target = url.set(database="belong_restore_test")
    try:
        subprocess.run([shutil.which("pg_restore"), "--no-owner", "--dbname",  # noqa: S603
                        target.set(drivername="postgresql").render_as_string(
                            hide_password=False), str(path)], check=True, capture_output=True)
        restored = create_engine(target)
        with restored.connect() as connection:
            slugs = list(connection.scalars(select(School.slug)))
        restored.dispose()
        return slugs
    finally:
        with server.connect() as connection:
            connection.exec_driver_sql("DROP DATABASE IF EXISTS belong_restore_test")
        server.dispose()


def test_backup_writes_an_owner_only_copy_that_restores(app, session, school, tmp_path):
    """Does `flask backup` write a 0600 file in a 0700 folder, record its run, and restore?"""
    folder = tmp_path / "backups"
    result = app.test_cli_runner().invoke(args=["backup", "--dir", str(folder)])
    assert result.exit_code == 0, result.output
    [made] = list(folder.iterdir())
    assert made.name.startswith("belong-") and "Backup written" in result.output
    assert made.stat().st_mode & 0o777 == 0o600 and folder.stat().st_mode & 0o777 == 0o700
    assert session.get(JobRun, "backup").last_success_at is not None
    assert _restored_school_slugs(app, made) == [school.slug]


def test_old_backups_are_removed_and_a_failure_is_recorded(app, session, school, tmp_path):
    """Are backups past the keeping period deleted (others kept), and does a failed backup
    fail loudly and leave no half-written file?"""
    folder = tmp_path / "backups"
    folder.mkdir(mode=0o700)
    old, recent, other = (folder / name for name in ("belong-20200101T000000Z.dump",
                                                     "belong-recent.dump", "notes.txt"))
    for path in (old, recent, other):
        path.write_text("x")
    aged = time.time() - 40 * 86400
    os.utime(old, (aged, aged))
    os.utime(other, (aged, aged))
    made = make_backup(app.config["SQLALCHEMY_DATABASE_URI"], folder, timedelta(days=35),
                       utcnow())
    assert made.removed == (old,) and recent.exists() and other.exists()

    broken = ("sqlite:///" + str(tmp_path / "missing" / "nothing.sqlite")
              if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
              else "postgresql+psycopg://postgres@127.0.0.1:1/none")
    app.config["SQLALCHEMY_DATABASE_URI"], saved = broken, app.config["SQLALCHEMY_DATABASE_URI"]
    try:
        result = app.test_cli_runner().invoke(args=["backup", "--dir", str(folder)])
    finally:
        app.config["SQLALCHEMY_DATABASE_URI"] = saved
    assert result.exit_code != 0 and "no backup made" in result.output
    assert not [path for path in folder.iterdir() if path.name.endswith(".partial")]


@pytest.mark.parametrize("days", ["0", "week"])
def test_keep_days_must_be_a_whole_number(monkeypatch, tmp_path, days):
    """Is a nonsensical BELONG_BACKUP_KEEP_DAYS refused at start-up?"""
    from config import ConfigError, DevelopmentConfig

    monkeypatch.setenv("BELONG_BACKUP_KEEP_DAYS", days)
    with pytest.raises(ConfigError, match="BELONG_BACKUP_KEEP_DAYS"):
        DevelopmentConfig(tmp_path).load()
