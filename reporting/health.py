"""GET /healthz: for the proxy or an orchestrator. It says whether the app can work, no data."""

from __future__ import annotations

import ipaddress
import logging

from flask import Blueprint, current_app, jsonify, request
from sqlalchemy import text

from reporting import job_queue
from reporting.extensions import db, limiter

bp = Blueprint("health", __name__)
log = logging.getLogger("belong.health")
# `flask check-deployment` sends this documentation-only address (RFC 5737) as a forged
# X-Forwarded-For: if the app takes it for the client, it trusts one proxy too many.
PROBE_NETWORK = ipaddress.ip_network("192.0.2.0/24")


def _database() -> str:
    try:
        db.session.execute(text("SELECT 1"))
        return "ok"
    except Exception as exc:  # any failure means "not reachable"; the class is enough
        log.warning("health: database unreachable (%s)", type(exc).__name__)
        return "unreachable"
    finally:
        db.session.remove()


def _redis() -> str:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return "not configured"
    try:
        with job_queue.connect(url, current_app.config["REDIS_TIMEOUT_SECONDS"]) as connection:
            connection.ping()
        return "ok"
    except Exception as exc:  # unreachable, frozen or refusing our password
        log.warning("health: Redis unreachable (%s)", type(exc).__name__)
        return "unreachable"


def _is_probe(address: str | None) -> bool:
    try:
        return ipaddress.ip_address(address or "") in PROBE_NETWORK
    except ValueError:
        return False


def _forwarded_for() -> int:
    """How many addresses the proxies put in X-Forwarded-For: a count, never an address.

    With BELONG_PROXY_HOPS right, it equals the hop count; `check-deployment` compares them
    (a wrong count gives every client the proxy's address: one shared rate limit)."""
    header = request.headers.get("X-Forwarded-For", "")
    return len([part for part in header.split(",") if part.strip()])


@bp.get("/healthz")
@limiter.exempt
def healthz():
    """200 when the database and Redis (if used) answer, else 503; how the request was seen."""
    checks = {"database": _database(), "redis": _redis()}
    healthy = all(state in ("ok", "not configured") for state in checks.values())
    body = {"status": "ok" if healthy else "unavailable", **checks,
            "scheme": request.scheme, "client_is_probe": _is_probe(request.remote_addr),
            "forwarded_for": _forwarded_for()}
    return jsonify(body), 200 if healthy else 503
