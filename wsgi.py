"""The WSGI entry point: what gunicorn and `flask --app wsgi` load."""

from config import ConfigError
from reporting import create_app

try:
    app = create_app()
except ConfigError as exc:  # say what to set, without a traceback
    raise SystemExit(f"Belong will not start: {exc}") from None
