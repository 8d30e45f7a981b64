"""File permissions: the environment file, a SQLite database and the instance folder."""

from __future__ import annotations

import stat
from pathlib import Path

from reporting.deployment_check.result import Result, fail, ok, warn

DEFAULT_ENV_FILE = Path("/etc/belong/env")
OTHERS = 0o077  # any permission for the group or for everyone else


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def check_env_file(path: Path) -> Result:
    """The environment file (every secret) is readable by its owner only."""
    name = "Environment file"
    try:
        mode = _mode(path)
    except FileNotFoundError:
        return warn(name, f"{path} does not exist: if the settings live elsewhere, run with "
                          "BELONG_ENV_FILE=<its path> so its permissions are checked too")
    except OSError as exc:
        return fail(name, f"cannot read the permissions of {path} ({type(exc).__name__})")
    if mode & OTHERS:
        return fail(name, f"{path} has mode {mode:04o}: other users can read SECRET_KEY, "
                          "BELONG_HMAC_KEY and the passwords in it. Run `chmod 600 "
                          f"{path}` (owner: the service user or root)")
    return ok(name, f"{path} is owner-only ({mode:04o})")


def sqlite_path(uri: str) -> Path | None:
    """The file of a sqlite:/// database URI (None for other databases and :memory:)."""
    if not uri.startswith("sqlite:///") or uri == "sqlite:///:memory:":
        return None
    return Path(uri.removeprefix("sqlite:///").split("?", 1)[0])


def check_database_engine(uri: str, production: bool) -> Result:
    """Production runs on PostgreSQL, the database the production harness tests."""
    name = "Database engine"
    if not uri.startswith("sqlite"):
        return ok(name, "not SQLite")
    detail = ("SQLite: fine on a laptop, but one server's file, no pg_dump backups and "
              "no row locks across app servers. Production is tested on PostgreSQL")
    return warn(name, detail) if production else ok(name, detail)


def check_sqlite_files(uri: str) -> Result | None:
    """A SQLite database file and its -wal and -shm files are owner-only (None if no SQLite)."""
    path = sqlite_path(uri)
    if path is None:
        return None
    name = "SQLite file"
    if not path.exists():
        return fail(name, f"{path} does not exist: is DATABASE_URL right?")
    loose = [f"{candidate.name} ({_mode(candidate):04o})"
             for candidate in (path, path.with_name(path.name + "-wal"),
                               path.with_name(path.name + "-shm"))
             if candidate.exists() and _mode(candidate) & OTHERS]
    if loose:
        return fail(name, f"readable by others: {', '.join(loose)}. It holds staff email "
                          f"addresses and TOTP secrets: run `chmod 600 {path}*`")
    return ok(name, f"{path.name} is owner-only")


def check_instance_folder(path: Path) -> Result:
    """The instance folder (generated secrets, local files) is owner-only, if it exists."""
    name = "Instance folder"
    if not path.exists():
        return ok(name, f"{path} does not exist (nothing is kept there)")
    mode = _mode(path)
    if mode & OTHERS:
        return fail(name, f"{path} has mode {mode:04o}: other users can look inside. Run "
                          f"`chmod 700 {path}`")
    return ok(name, f"{path} is owner-only ({mode:04o})")


def check_translations(directory: Path | None = None) -> Result:
    """Every language catalogue is compiled (else Welsh pages show English)."""
    from reporting.i18n import TRANSLATIONS, stale_catalogues

    name = "Translations"
    if stale := stale_catalogues(directory or TRANSLATIONS):
        return fail(name, f"not compiled, or older than their source: {', '.join(map(str, stale))}"
                          ". Run `belong-flask compile-translations` as the checkout's owner")
    return ok(name, "every catalogue is compiled")


def file_checks(env_file: Path, database_uri: str, instance_path: Path,
                production: bool) -> list[Result]:
    """The environment file, the database engine, a SQLite file, the instance folder, the
    compiled translations."""
    results = [check_env_file(env_file), check_database_engine(database_uri, production)]
    sqlite = check_sqlite_files(database_uri)
    if sqlite is not None:
        results.append(sqlite)
    results.append(check_instance_folder(instance_path))
    results.append(check_translations())
    return results
