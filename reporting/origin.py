"""Refuse state-changing requests that another site started, without relying on the Referer.

Our Referrer-Policy is `no-referrer`, so browsers send no Referer and Flask-WTF's
strict HTTPS Referer check (WTF_CSRF_SSL_STRICT) would refuse every form. The
CSRF token stays the main defence; this check adds what the Referer check was
for, from the headers browsers do send on every POST: `Sec-Fetch-Site` (all
current browsers) and `Origin`. docs/threat-model.md records the decision.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, abort, current_app, request

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# "none": the person started it (a bookmark, the address bar, a reload), not a page.
ALLOWED_FETCH_SITES = frozenset({"same-origin", "none"})


def origin_of(url: str) -> str:
    """scheme://host[:port] of a URL, lower-cased, default ports dropped."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"  # an IPv6 literal
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    try:
        port = parts.port
    except ValueError:
        port = -1  # not a valid port: never matches a real origin
    suffix = f":{port}" if port is not None and port != default else ""
    return f"{parts.scheme.lower()}://{host}{suffix}"


def cross_site_reason(method: str, fetch_site: str | None, origin: str | None,
                      own_origins: frozenset[str]) -> str | None:
    """Why a request must be refused as started by another site, or None if it may go on.

    Sec-Fetch-Site decides when the browser sent it; otherwise Origin must be ours;
    a client that sends neither (not a current browser) is left to the CSRF token.
    """
    if method.upper() not in UNSAFE_METHODS:
        return None
    if fetch_site is not None:
        site = fetch_site.strip().lower()
        return None if site in ALLOWED_FETCH_SITES else f"Sec-Fetch-Site: {site}"
    if origin is None:
        return None
    if origin.strip().lower() == "null" or origin_of(origin) not in own_origins:
        return "Origin is not this site"
    return None


def _own_origins() -> frozenset[str]:
    """This site's origins: as the request reached us (through the proxy), and BASE_URL."""
    return frozenset({origin_of(request.host_url), origin_of(current_app.config["BASE_URL"])})


def refuse_cross_site() -> None:
    """Before every request: a POST another site started ends here with a 403."""
    reason = cross_site_reason(request.method, request.headers.get("Sec-Fetch-Site"),
                               request.headers.get("Origin"), _own_origins())
    if reason is not None:
        abort(403, description="cross-site")


def init_app(app: Flask) -> None:
    """Check origins before anything else runs (CSRF tokens are checked after)."""
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_cross_site)
