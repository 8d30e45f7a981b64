"""What every response carries: security headers, generic error pages, quiet logs, and
valid HTML `datetime` attributes."""

from __future__ import annotations

import csv
import io
import logging
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime

from flask import Flask, Response, current_app, g, render_template, request, send_file
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
ERROR_PAGES = {400, 403, 404, 405, 413, 429, 500, 503}
# The staff side's first path segments: every other address is a student's.
STAFF_PATHS = frozenset({"staff", "admin", "auth", "volunteer"})
RETRY_AFTER_SECONDS = 30
_CLIENT_PREFIX = re.compile(r"^\S+ - - ")


def attachment(name: str, data: bytes) -> Response:
    """A file to download (evidence, for a handler or its student): always an attachment
    of no particular type, never shown inline, and sandboxed should a browser try."""
    response = send_file(io.BytesIO(data), mimetype="application/octet-stream",
                         as_attachment=True, download_name=name)
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


def spreadsheet_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: a typed-in value (a name, a reason) that starts
    like a formula is never run as one."""
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_download(name: str, rows: Iterable[Iterable[object]]) -> Response:
    """A CSV file to download, every cell kept as text (spreadsheet_cell)."""
    out = io.StringIO()
    csv.writer(out).writerows([spreadsheet_cell(cell) for cell in row] for row in rows)
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def html_datetime(value: date) -> str:
    """A `datetime` attribute HTML accepts: a date as it is, a moment in UTC to the second
    (`isoformat()` gives microseconds, and HTML allows at most three digits)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()


def _security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)  # a view may set a stricter one
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "no-referrer"
    headers["X-Frame-Options"] = "DENY"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Cross-Origin-Resource-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), interest-cohort=()"
    if request.endpoint != "static":
        # Nothing a student or handler saw should come back from a cache or the back button.
        headers["Cache-Control"] = "no-store"
    if current_app.config["HSTS"]:
        headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
    return response


def _for_student() -> bool:
    """Is this a student's address? Their error pages keep the quick exit: a mistyped or
    unknown school's address (404, no route matched) and a limit (429) included."""
    return request.path.split("/")[1] not in STAFF_PATHS


def _error_page(error: HTTPException):
    """Our page for an HTTP error, unless the code that raised it built its own response
    (a rate limit hit mid-report shows the step again)."""
    if error.response is not None:
        return error.response
    code = error.code if error.code in ERROR_PAGES else 500
    return render_template("errors/error.html", code=code, csrf=isinstance(error, CSRFError),
                           cross_site=code == 403 and error.description == "cross-site",
                           for_student=_for_student()), code


def _unexpected(error: Exception) -> tuple[str, int]:
    """Log the failure (never the request's client) and show the generic page."""
    logging.getLogger("belong").exception("unhandled error on %s", request.endpoint)
    return _error_page(InternalServerError())


def _unavailable(error: Exception) -> tuple[str, int, dict[str, str]]:
    """The database cannot be reached: say "try again shortly" (503), never a bare 500."""
    # The class only: a database error's text can carry statement parameters.
    logging.getLogger("belong").error("database unavailable on %s (%s)", request.endpoint,
                                      type(error).__name__)
    from reporting.extensions import db

    db.session.remove()  # give the broken connection back; the next request gets a fresh one
    # Flask-Login's context processor loads the signed-in user for every template: with the
    # database gone that fails again inside this handler (a bare 500 from Gunicorn, after
    # another connect timeout). The page needs nobody: render it as the anonymous user.
    if (manager := getattr(current_app, "login_manager", None)) is not None:
        g._login_user = manager.anonymous_user()
    page, code = _error_page(ServiceUnavailable())  # (a page: it carries no response)
    return page, code, {"Retry-After": str(RETRY_AFTER_SECONDS)}


class _NoClientAddress(logging.Filter):
    """Strip the client address from the development server's request log lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = _CLIENT_PREFIX.sub("- - - ", record.msg)
        return True


def init_app(app: Flask) -> None:
    """Attach headers, error handlers and the `html_datetime` filter to the app."""
    app.after_request(_security_headers)
    app.add_template_filter(html_datetime)
    app.register_error_handler(HTTPException, _error_page)
    app.register_error_handler(Exception, _unexpected)
    for unreachable in (OperationalError, InterfaceError, PoolTimeout):
        app.register_error_handler(unreachable, _unavailable)
    logging.getLogger("werkzeug").addFilter(_NoClientAddress())
