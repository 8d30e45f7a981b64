"""Where the app's log lines go, as text or as JSON lines (BELONG_LOG_FORMAT=json).

No line may hold a client address, a user agent, a receipt or report content: the
app never logs them, and reporting/http.py strips addresses from the dev server's lines.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from flask import Flask

TEXT_FORMAT = "%(levelname)s %(name)s: %(message)s"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message (and a traceback if any)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure(app: Flask) -> None:
    """Send INFO and above to stderr, unless the host (tests, gunicorn's logconfig) already does."""
    root = logging.getLogger()
    if app.testing or root.handlers:
        return
    handler = logging.StreamHandler()
    json_lines = app.config["LOG_FORMAT"] == "json"
    handler.setFormatter(JsonFormatter() if json_lines else logging.Formatter(TEXT_FORMAT))
    root.addHandler(handler)
    root.setLevel(logging.INFO)
