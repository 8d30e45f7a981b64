"""Configuration classes, chosen by BELONG_CONFIG and filled from the environment.

No secret has a default here: development generates its own into the instance
folder, tests generate throwaway ones, production refuses to start without them.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit


class ConfigError(RuntimeError):
    """Raised when the configuration cannot run the app safely."""


def database_url(raw: str) -> str:
    """Normalise a DATABASE_URL so plain postgresql:// URLs use psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix):]
    return raw


def redis_url_problem(url: str) -> str | None:
    """Why production must refuse this REDIS_URL, or None: a TCP Redis needs a password.

    Jobs run whatever the queue says and rate limits live there, so a Redis that anyone
    on the network can write to is a way into the worker. A unix socket is local.
    """
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return None
    if parts.scheme not in ("redis", "rediss"):
        return "REDIS_URL must start with redis://, rediss:// or unix://"
    if not parts.password:
        return ("REDIS_URL has no password: production needs an authenticated Redis of its own, "
                "e.g. redis://:PASSWORD@127.0.0.1:6379/0 (requirepass, or an ACL user)")
    return None


def private_dir(path: Path) -> Path:
    """Create a folder only its owner can enter (and tighten one that exists)."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)
    return path


def private_sqlite_file(uri: str) -> None:
    """Create a SQLite database file (and its folder) owner-only before SQLite opens it.

    SQLite gives its -wal and -shm files the database file's mode, so they follow.
    Files left world-readable by an older version are tightened too.
    """
    if not uri.startswith("sqlite:///") or uri == "sqlite:///:memory:":
        return
    path = Path(uri.removeprefix("sqlite:///").split("?", 1)[0])
    if not path.parent.exists():
        private_dir(path.parent)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    for name in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if name.exists():
            name.chmod(0o600)


def _instance_secret(instance_path: Path, name: str) -> str:
    """Read a secret kept in the instance folder, creating it once if absent."""
    private_dir(instance_path)
    path = instance_path / name
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


class Config:
    """Settings shared by every environment."""

    ENV_NAME = "base"
    # hide_parameters: a logged database error never shows the values (verifiers, emails).
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}
    # Staff sessions: idle timeout and absolute lifetime.
    STAFF_IDLE_TIMEOUT = timedelta(minutes=30)
    STAFF_MAX_SESSION = timedelta(hours=12)
    STAFF_PENDING_2FA_TIMEOUT = timedelta(minutes=5)
    # Single sign-on: how often a session asks the school's provider whether the account is
    # still live (signed out or disabled there ends it), and for how long a provider that
    # cannot be reached is given the benefit of the doubt.
    SSO_RECHECK = timedelta(minutes=5)
    SSO_UNREACHABLE_GRACE = timedelta(minutes=30)
    REPORTER_SESSION_SECONDS = 15 * 60
    ENROLMENT_LINK_LIFETIME = timedelta(hours=72)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    SESSION_COOKIE_NAME = "belong_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    WTF_CSRF_TIME_LIMIT = 3600 * 4
    # The Referer check needs a Referer, which our no-referrer policy never lets browsers send:
    # reporting/origin.py checks Sec-Fetch-Site and Origin instead (docs/threat-model.md).
    WTF_CSRF_SSL_STRICT = False
    EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
    EVIDENCE_MAX_FILES = 5
    # Five files of 10 MB and the form around them.
    MAX_CONTENT_LENGTH = 60 * 1024 * 1024
    LOGIN_RATE_LIMIT = "10 per minute;30 per hour"
    # Single sign-on costs no derivation and a whole hospital may sign in from one address:
    # a flood limit only (the provider does the guessing defence).
    SSO_RATE_LIMIT = "60 per minute;600 per hour"
    # "Forgot your password?" emails admins: per address, and one email per account an hour.
    HELP_REQUEST_RATE_LIMIT = "3 per minute;10 per hour"
    # Students (reporting/student/limits.py): a campus behind one address must never be
    # locked out, so steps count per form, and per address only what costs an Argon2id run.
    RECEIPT_RATE_LIMIT = "60 per minute;600 per hour"  # per address: one derivation each
    REPORT_STEP_LIMIT = "60 per minute"  # per form: a person never clicks this fast
    REPORT_SEND_LIMIT = "5 per minute;20 per hour"  # per form: the same report sent again
    CLIENT_SEND_LIMIT = "1200 per hour"  # per address: every form's Sends together
    CLIENT_FLOOD_LIMIT = "3000 per minute;20000 per hour"  # per address: every student POST
    FOLLOWUP_LIMIT = "30 per minute;120 per hour"  # per report: replies, files, sharing
    # Argon2id for passwords and receipts: OWASP / DESIGN.md minimum.
    KDF_TIME_COST = 3
    KDF_MEMORY_KIB = 64 * 1024
    KDF_PARALLELISM = 1
    HSTS = False
    PROXY_HOPS = 0
    # Redis must never hold a request up: a short timeout, then each process's own memory.
    REDIS_TIMEOUT_SECONDS = 0.5
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_STORAGE_OPTIONS = {"socket_timeout": 0.5, "socket_connect_timeout": 0.5}

    def __init__(self, instance_path: Path) -> None:
        self.instance_path = Path(instance_path)

    def load(self) -> dict[str, object]:
        """Return the settings as a dict for app.config, validating what is required."""
        values = {k: getattr(self, k) for k in dir(self) if k.isupper()}
        values["REDIS_URL"] = os.environ.get("REDIS_URL") or None
        # Backups (`flask backup`, docs/operations.md): where, and for how many days.
        values["BACKUP_DIR"] = os.environ.get("BELONG_BACKUP_DIR") or "/var/backups/belong"
        keep = os.environ.get("BELONG_BACKUP_KEEP_DAYS", "35")
        if not (keep.isascii() and keep.isdigit() and int(keep) >= 1):
            raise ConfigError("BELONG_BACKUP_KEEP_DAYS must be a whole number of days (1 or more)")
        values["BACKUP_KEEP_DAYS"] = int(keep)
        values["LOG_FORMAT"] = os.environ.get("BELONG_LOG_FORMAT", "text").strip().lower()
        if values["LOG_FORMAT"] not in ("text", "json"):
            raise ConfigError("BELONG_LOG_FORMAT must be 'text' or 'json' (JSON lines)")
        values["RATELIMIT_STORAGE_URI"] = values["REDIS_URL"] or "memory://"
        # How many reverse proxies sit in front of the app (their X-Forwarded-* are trusted).
        hops = os.environ.get("BELONG_PROXY_HOPS", str(self.PROXY_HOPS))
        if not (hops.isascii() and hops.isdigit()):
            raise ConfigError("BELONG_PROXY_HOPS must be a whole number (proxies in front)")
        values["PROXY_HOPS"] = int(hops)
        # The public address, for links printed by commands (enrolment links).
        values["BASE_URL"] = os.environ.get("BELONG_BASE_URL", "http://127.0.0.1:5000")
        # The CA file for a school's identity provider with a private CA (else the system's).
        values["OIDC_CA_BUNDLE"] = os.environ.get("BELONG_OIDC_CA_BUNDLE") or None
        # Where "Leave this site quickly" takes the student.
        values["QUICK_EXIT_URL"] = os.environ.get(
            "BELONG_QUICK_EXIT_URL", "https://www.bbc.co.uk/weather"
        )
        # ... and a student reading in Welsh (the link carries ?lang=cy): a Welsh-language page.
        values["QUICK_EXIT_URL_CY"] = os.environ.get(
            "BELONG_QUICK_EXIT_URL_CY", "https://www.bbc.co.uk/tywydd"
        )
        # Notification email (reporting/mail.py): SMTP when MAIL_SERVER is set, otherwise the
        # "console" backend, which only writes each message (recipient included) to the
        # "belong.mail" log. Defaults: submission port 587 with STARTTLS; for a local relay
        # without TLS set MAIL_PORT=25 MAIL_USE_TLS=0.
        mail_server = os.environ.get("MAIL_SERVER") or None
        values["MAIL_BACKEND"] = os.environ.get("MAIL_BACKEND") or (
            "smtp" if mail_server else "console"
        )
        if values["MAIL_BACKEND"] not in ("console", "smtp"):
            raise ConfigError("MAIL_BACKEND must be 'console' or 'smtp'")
        values["MAIL_SERVER"] = mail_server or "localhost"
        port = os.environ.get("MAIL_PORT") or "587"
        if not (port.isascii() and port.isdigit()):
            raise ConfigError("MAIL_PORT must be a port number, such as 587")
        values["MAIL_PORT"] = int(port)
        values["MAIL_USE_TLS"] = os.environ.get("MAIL_USE_TLS", "1").strip().lower() in {
            "1", "true", "yes", "on"
        }
        values["MAIL_USERNAME"] = os.environ.get("MAIL_USERNAME") or None
        values["MAIL_PASSWORD"] = os.environ.get("MAIL_PASSWORD") or None
        values["MAIL_FROM"] = os.environ.get("MAIL_FROM") or "belong@localhost"
        return values


class DevelopmentConfig(Config):
    """A laptop: SQLite in the instance folder, secrets generated on first run."""

    ENV_NAME = "development"

    def load(self) -> dict[str, object]:
        values = super().load()
        values["SECRET_KEY"] = os.environ.get("SECRET_KEY") or _instance_secret(
            self.instance_path, "secret_key"
        )
        values["BELONG_HMAC_KEY"] = os.environ.get("BELONG_HMAC_KEY") or _instance_secret(
            self.instance_path, "hmac_key"
        )
        values["SQLALCHEMY_DATABASE_URI"] = database_url(
            os.environ.get("DATABASE_URL") or f"sqlite:///{self.instance_path / 'belong.sqlite'}"
        )
        return values


class TestConfig(Config):
    """The test suite: throwaway secrets and deliberately fast (insecure) KDF parameters."""

    ENV_NAME = "test"
    TESTING = True
    KDF_TIME_COST = 1
    KDF_MEMORY_KIB = 64
    KDF_PARALLELISM = 1

    def load(self) -> dict[str, object]:
        values = super().load()
        values["SECRET_KEY"] = secrets.token_urlsafe(32)
        values["BELONG_HMAC_KEY"] = secrets.token_urlsafe(32)
        values["SQLALCHEMY_DATABASE_URI"] = database_url(
            os.environ.get("DATABASE_URL") or f"sqlite:///{self.instance_path / 'test.sqlite'}"
        )
        return values


class ProductionConfig(Config):
    """A real deployment: every secret comes from the environment or the app refuses to start."""

    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    HSTS = True
    PROXY_HOPS = 1  # behind a TLS-terminating reverse proxy (docs/deployment.md)
    REQUIRED = {
        "SECRET_KEY": "signs session cookies (generate: python -c 'import secrets; "
        "print(secrets.token_urlsafe(48))')",
        "BELONG_HMAC_KEY": "keys the short-lived rate-limit counters so no IP address is stored",
        "DATABASE_URL": "the PostgreSQL database, e.g. postgresql://belong@db/belong",
    }

    def load(self) -> dict[str, object]:
        values = super().load()
        missing = [f"  {name}: {why}" for name, why in self.REQUIRED.items()
                   if not os.environ.get(name)]
        if missing:
            raise ConfigError(
                "Belong will not start in production without:\n" + "\n".join(missing)
            )
        for short in ("SECRET_KEY", "BELONG_HMAC_KEY"):
            if len(os.environ[short]) < 32:
                raise ConfigError(f"{short} must be at least 32 characters of random data")
        backend = os.environ.get("MAIL_BACKEND")
        if not os.environ.get("MAIL_SERVER") and backend != "console":
            raise ConfigError("Belong will not start in production without MAIL_SERVER (the "
                              "SMTP relay), or MAIL_BACKEND=console to log emails instead")
        if values["REDIS_URL"] and (problem := redis_url_problem(str(values["REDIS_URL"]))):
            raise ConfigError(problem)
        values["SECRET_KEY"] = os.environ["SECRET_KEY"]
        values["BELONG_HMAC_KEY"] = os.environ["BELONG_HMAC_KEY"]
        values["SQLALCHEMY_DATABASE_URI"] = database_url(os.environ["DATABASE_URL"])
        if values["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
            # A database that does not answer fails the request in seconds, not minutes.
            values["SQLALCHEMY_ENGINE_OPTIONS"] = {**self.SQLALCHEMY_ENGINE_OPTIONS,
                                                   "connect_args": {"connect_timeout": 5}}
        return values


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


NO_CONFIG = ("BELONG_CONFIG is not set. On a server set BELONG_CONFIG=production (with its "
             "secrets: docs/deployment.md); development runs only through the `flask` command "
             "(flask run, flask demo), or with BELONG_CONFIG=development.")


def config_class(name: str | None = None) -> type[Config]:
    """Pick the config class named by BELONG_CONFIG.

    Without one, only the `flask` command (run, demo and the other CLI commands on a
    laptop) gets development; a WSGI server or worker refuses to guess.
    """
    name = name or os.environ.get("BELONG_CONFIG")
    if not name:
        if os.environ.get("FLASK_RUN_FROM_CLI") != "true":
            raise ConfigError(NO_CONFIG)
        name = "development"
    try:
        return CONFIGS[name]
    except KeyError:
        raise ConfigError(
            f"BELONG_CONFIG={name!r} is not one of {', '.join(CONFIGS)}"
        ) from None
