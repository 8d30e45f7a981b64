"""Run every deployment check against a live app and turn the results into report lines.

A check that raises is reported as a FAIL naming the exception's class: the report always
finishes, never shows a traceback, and never shows an exception's text (it can hold data).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from reporting.deployment_check import database, files, keys, services, web
from reporting.deployment_check.result import Result, Status, fail, not_checked, ok
from reporting.models.base import utcnow
from reporting.services import job_runs

WEB_TIMEOUT = 3.0  # seconds per request through the proxy
REDIS_TIMEOUT = 2.0
SMTP_TIMEOUT = 5.0
EXAMPLE_ENV = Path(__file__).resolve().parents[2] / "deploy" / "belong.env.example"


@dataclass(frozen=True)
class Settings:
    """What the checks look at, read once from the app's configuration and the environment."""

    env_name: str
    base_url: str
    hops: int
    secret_key: str
    hmac_key: str
    database_uri: str
    redis_url: str | None
    mail: dict[str, object]
    env_file: Path
    instance_path: Path

    @property
    def production(self) -> bool:
        """Whether the app runs the production configuration."""
        return self.env_name == "production"

    @classmethod
    def from_app(cls, app: Flask) -> Settings:
        """The settings of `app`; the environment file's path from BELONG_ENV_FILE."""
        config = app.config
        return cls(env_name=str(config.get("ENV_NAME")),
                   base_url=str(config.get("BASE_URL") or ""),
                   hops=int(config.get("PROXY_HOPS") or 0),
                   secret_key=str(config.get("SECRET_KEY") or ""),
                   hmac_key=str(config.get("BELONG_HMAC_KEY") or ""),
                   database_uri=str(config.get("SQLALCHEMY_DATABASE_URI") or ""),
                   redis_url=config.get("REDIS_URL") or None,
                   mail={key: value for key, value in config.items()
                         if key.startswith("MAIL_")},
                   env_file=Path(os.environ.get("BELONG_ENV_FILE")
                                 or files.DEFAULT_ENV_FILE),
                   instance_path=Path(app.instance_path))


def check_config(env_name: str) -> Result:
    """The app runs the production configuration."""
    name = "Configuration"
    if env_name == "production":
        return ok(name, "BELONG_CONFIG is production")
    return fail(name, f"this is not a production config (the app runs {env_name!r}): no "
                      "Secure cookies, no HSTS, secrets and mail as on a laptop. Set "
                      "BELONG_CONFIG=production in the environment file")


def guarded(name: str, check: Callable[[], Result | list[Result]]) -> list[Result]:
    """Run one check (or a group); if it raises, one FAIL line instead of a traceback."""
    try:
        found = check()
    except Exception as exc:  # a bug or an unforeseen failure: report it, keep checking
        return [fail(name, f"could not run ({type(exc).__name__}); the other checks "
                           "still ran")]
    return found if isinstance(found, list) else [found]


def _job_results(engine: Engine) -> list[Result]:
    """One line per periodic job, or one "not checked" line each if the runs cannot be read."""
    with Session(engine) as session:
        try:
            runs = job_runs.last_runs(session)
        except Exception as exc:  # no job_runs table (not migrated) or a lost connection
            return [not_checked(f"Job {job}", f"job runs cannot be read ({type(exc).__name__})")
                    for job in job_runs.PERIODIC]
    return database.job_checks(runs, utcnow())


def _escrow_result(engine: Engine) -> Result:
    """The escrow check, or "not checked" if the schools cannot be read."""
    with Session(engine) as session:
        try:
            return database.check_escrow(session)
        except Exception as exc:  # no schools table (not migrated) or a lost connection
            return not_checked("Escrow keys", f"schools cannot be read ({type(exc).__name__})")


def _database_checks(app: Flask) -> list[Result]:
    """Reachable first; only then migrations, job runs and escrow keys, each on its own."""
    from reporting.extensions import db

    engine = db.engine
    reached = database.check_database(engine)
    if reached.status is Status.FAIL:
        later = ["Migrations", *(f"Job {job}" for job in job_runs.PERIODIC), "Escrow keys"]
        return [reached, *(not_checked(name, "the database is unreachable") for name in later)]
    script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
    return [reached, *guarded("Migrations", lambda: database.check_migrations(script, engine)),
            *_job_results(engine), _escrow_result(engine)]


def _quietly(check: Callable[[Flask], list[Result]], app: Flask) -> list[Result]:
    with database.quiet("alembic"):  # its INFO lines would cut through the report
        return check(app)


def run_checks(app: Flask, http_url: str | None = None) -> list[Result]:
    """Every check, in the order an operator would fix things. Call inside an app context."""
    settings = Settings.from_app(app)
    mail = settings.mail
    return [
        check_config(settings.env_name),
        *guarded("HTTPS", lambda: web.web_checks(settings.base_url, settings.hops,
                                                 WEB_TIMEOUT, http_url)),
        *guarded("Secrets", lambda: keys.secret_checks(settings.secret_key, settings.hmac_key,
                                                       EXAMPLE_ENV)),
        *guarded("Redis", lambda: services.check_redis(settings.redis_url, settings.production,
                                                       REDIS_TIMEOUT)),
        *guarded("Redis authentication",
                 lambda: services.check_redis_auth(settings.redis_url, REDIS_TIMEOUT)),
        *guarded("Database", lambda: _quietly(_database_checks, app)),
        *guarded("Files", lambda: files.file_checks(settings.env_file, settings.database_uri,
                                                    settings.instance_path,
                                                    settings.production)),
        *guarded("Mail relay", lambda: services.check_mail(mail, settings.production,
                                                           SMTP_TIMEOUT)),
    ]


def report(results: Iterable[Result]) -> list[str]:
    """One line per result (status, name, what to do), then the summary line."""
    results = list(results)
    width = max((len(result.name) for result in results), default=0)
    lines = [f"{result.status.value:<4}  {result.name:<{width}}  {result.detail}"
             for result in results]
    counts = {status: sum(result.status is status for result in results) for status in Status}
    verdict = ("fix every FAIL line, then run check-deployment again" if counts[Status.FAIL]
               else "nothing to fix; read the WARN lines" if counts[Status.WARN]
               else "this install looks right")
    lines.append(f"{counts[Status.OK]} OK, {counts[Status.WARN]} WARN, "
                 f"{counts[Status.FAIL]} FAIL: {verdict}.")
    return lines


def failed(results: Iterable[Result]) -> bool:
    """Whether any check failed (the command then exits with status 1)."""
    return any(result.status is Status.FAIL for result in results)
