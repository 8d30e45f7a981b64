"""Backups: a dated, owner-only copy of the database, and old copies removed.

PostgreSQL is dumped with `pg_dump --format=custom` (restored with `pg_restore`,
docs/operations.md); SQLite is copied with its online backup API. The copy holds
ciphertexts, wrapped keys and metadata, never a key that opens them: the escrow
passphrase, staff passwords and the environment file's secrets stay elsewhere.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import make_url

from config import private_dir

PREFIX = "belong-"
SUFFIXES = (".dump", ".sqlite")


class BackupError(RuntimeError):
    """The backup could not be made; the message says why, without any secret."""


@dataclass(frozen=True)
class Backup:
    """What a run made and removed."""

    path: Path
    size: int
    removed: tuple[Path, ...]


def _pg_dump(uri: str, target: Path) -> None:
    """Dump a PostgreSQL database; the password travels in the environment, not in argv."""
    url = make_url(uri)
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    binary = shutil.which("pg_dump")
    if binary is None:
        raise BackupError("pg_dump is not installed (Debian: apt-get install postgresql-client)")
    done = subprocess.run(  # noqa: S603 - our own argv, no shell
        [binary, "--format=custom", "--no-owner", "--file", str(target),
         plain.render_as_string(hide_password=False)],
        env=env, capture_output=True, text=True, timeout=3600, check=False)
    if done.returncode != 0:
        raise BackupError(f"pg_dump failed ({done.returncode}): "
                          f"{done.stderr.strip().splitlines()[-1] if done.stderr else ''}")


def _sqlite_copy(uri: str, target: Path) -> None:
    """Copy a SQLite database with its online backup API (consistent while in use)."""
    path = Path(make_url(uri).database or "")
    try:  # read-only: a missing file is an error, never a new empty database
        source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            copy = sqlite3.connect(target)
            with copy:
                source.backup(copy)
            copy.close()
        finally:
            source.close()
    except sqlite3.Error as exc:
        raise BackupError(f"could not copy the SQLite database ({exc})") from None


def make_backup(uri: str, folder: Path, keep: timedelta, now: datetime) -> Backup:
    """Write one backup into `folder` (created 0700), then delete backups older than `keep`."""
    private_dir(folder)
    sqlite = uri.startswith("sqlite")
    final = folder / f"{PREFIX}{now:%Y%m%dT%H%M%SZ}{'.sqlite' if sqlite else '.dump'}"
    partial = final.with_name(final.name + ".partial")
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    try:
        (_sqlite_copy if sqlite else _pg_dump)(uri, partial)
        partial.chmod(0o600)
        partial.rename(final)  # a half-written file never looks like a backup
    finally:
        partial.unlink(missing_ok=True)
    cutoff = (now - keep).timestamp()
    removed = tuple(old for old in sorted(folder.iterdir())
                    if old.name.startswith(PREFIX) and old.suffix in SUFFIXES
                    and old != final and old.stat().st_mtime < cutoff)
    for old in removed:
        old.unlink()
    return Backup(final, final.stat().st_size, removed)
