"""HTTPS, HSTS and the proxy, as a browser sees them: requests to BELONG_BASE_URL/healthz.

The standard library's http.client, not requests: it reads no proxy variables and verifies
certificates with ssl.create_default_context(), the system's trust store (or SSL_CERT_FILE).
"""

from __future__ import annotations

import http.client
import json
import socket
import ssl
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from reporting.deployment_check.result import (
    CheckError,
    Result,
    Status,
    fail,
    not_checked,
    ok,
    warn,
)

HEALTH_PATH = "/healthz"
# What /healthz compares with its probe network (reporting/health.py): documentation-only.
PROBE_ADDRESS = "192.0.2.1"
HSTS_MINIMUM_SECONDS = 365 * 24 * 3600
MAX_BODY = 64 * 1024


@dataclass(frozen=True)
class Answer:
    """One HTTP response: status, headers (lower-case names) and the /healthz JSON, if any."""

    status: int
    headers: dict[str, str]
    health: dict[str, object] | None = field(default=None)


def _connection(url: str, timeout: float) -> http.client.HTTPConnection:
    parts = urlsplit(url)
    if not parts.hostname:
        raise CheckError("the address has no host name")
    if parts.scheme == "https":
        return http.client.HTTPSConnection(parts.hostname, parts.port, timeout=timeout,
                                           context=ssl.create_default_context())
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)


def _network_error(exc: OSError, timeout: float) -> CheckError:
    """Say what went wrong without the exception's text (which can carry addresses)."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        return CheckError(f"the certificate is not trusted ({exc.verify_message}): install a "
                          "certificate from a public CA (or your organisation's) for this "
                          "host name, with its intermediate certificates (fullchain.pem)")
    if isinstance(exc, ssl.SSLError):
        return CheckError(f"the TLS handshake failed ({exc.reason or type(exc).__name__})")
    if isinstance(exc, TimeoutError):
        return CheckError(f"no answer within {timeout:g} s (a firewall dropping packets, or a "
                          "frozen proxy)")
    if isinstance(exc, ConnectionRefusedError):
        return CheckError("the connection was refused: nothing listens on that port (is nginx "
                          "running?)")
    if isinstance(exc, socket.gaierror):
        return CheckError("the host name does not resolve (DNS)")
    return CheckError(f"the connection failed ({type(exc).__name__})")


def _health(status: int, headers: dict[str, str], body: bytes) -> dict[str, object] | None:
    if status not in (200, 503) or not headers.get("content-type", "").startswith(
            "application/json"):
        return None
    try:
        parsed = json.loads(body)
    except ValueError:
        return None
    return parsed if isinstance(parsed, dict) and "scheme" in parsed else None


def fetch(url: str, timeout: float, headers: dict[str, str] | None = None) -> Answer:
    """GET `url` (no redirects followed); raise CheckError saying plainly what failed."""
    parts = urlsplit(url)
    connection = _connection(url, timeout)
    try:
        connection.request("GET", parts.path or "/", headers=headers or {})
        response = connection.getresponse()
        body = response.read(MAX_BODY)
    except OSError as exc:
        raise _network_error(exc, timeout) from None
    except http.client.HTTPException as exc:
        raise CheckError(f"the answer was not HTTP ({type(exc).__name__})") from None
    finally:
        connection.close()
    names = {name.lower(): value for name, value in response.getheaders()}
    return Answer(response.status, names, _health(response.status, names, body))


def health_url(base_url: str) -> str:
    """BELONG_BASE_URL + /healthz."""
    return base_url.rstrip("/") + HEALTH_PATH


def plain_http_url(base_url: str, override: str | None = None) -> str:
    """Where a typed address lands first: `override` (an http://host:port address) or the
    same host as BELONG_BASE_URL over http on port 80; /healthz on it."""
    if override:
        return health_url(override)
    parts = urlsplit(base_url)
    return urlunsplit(("http", parts.hostname or "", parts.path.rstrip("/") + HEALTH_PATH, "",
                       ""))


def check_https(base_url: str, answer: Answer | None, error: str | None) -> Result:
    """The app answered its /healthz over https through the proxy, with a trusted certificate."""
    name = "HTTPS"
    if urlsplit(base_url).scheme != "https":
        return fail(name, "BELONG_BASE_URL does not start with https://: students and staff "
                          "would use the site (and get links in emails) without encryption. "
                          "Set it to the public https address, without a trailing slash")
    if answer is None:
        return fail(name, f"{health_url(base_url)}: {error or 'no answer'}")
    if answer.health is None:
        return fail(name, f"{health_url(base_url)} answered {answer.status} but not from "
                          "Belong: is the proxy's upstream the app server (belong.service "
                          "running, BELONG_BIND matching nginx's upstream)?")
    return ok(name, f"{health_url(base_url)} answers over https with a trusted certificate")


def max_age(header: str) -> int | None:
    """The max-age of a Strict-Transport-Security header, or None if it has none."""
    for directive in header.split(";"):
        key, _, value = directive.strip().partition("=")
        if key.strip().lower() == "max-age":
            value = value.strip().strip('"')
            return int(value) if value.isdigit() else None
    return None


def check_hsts(answer: Answer) -> Result:
    """Browsers are told to use https only, for at least a year."""
    name = "HSTS"
    header = answer.headers.get("strict-transport-security")
    if header is None:
        return fail(name, "no Strict-Transport-Security header: browsers may come back over "
                          "plain http. BELONG_CONFIG=production sends it; check that nothing "
                          "in front of the app removes it")
    seconds = max_age(header)
    if seconds is None or seconds < HSTS_MINIMUM_SECONDS:
        return fail(name, f"Strict-Transport-Security has max-age {seconds}: it must be at "
                          f"least {HSTS_MINIMUM_SECONDS} (a year)")
    return ok(name, f"Strict-Transport-Security max-age {seconds} ({seconds // 86400} days)")


def check_scheme(answer: Answer, hops: int) -> Result:
    """The app knows the request came over https (X-Forwarded-Proto, trusted hop count)."""
    name = "Proxy: https seen"
    if answer.health is None or answer.health.get("scheme") == "https":
        return ok(name, "the app sees requests through the proxy as https")
    return fail(name, f"the app saw an https request as {answer.health.get('scheme')}: the "
                      "proxy must send X-Forwarded-Proto (deploy/nginx/belong.conf) and "
                      f"BELONG_PROXY_HOPS (now {hops}) must equal the number of proxies in "
                      "front of gunicorn (1 for one nginx). Until then the app builds "
                      "http links and redirects for an https site")


def check_probe(answer: Answer, hops: int) -> Result:
    """A client cannot forge its address with X-Forwarded-For (hop count not too high)."""
    name = "Proxy: forged address"
    if answer.health is None or not answer.health.get("client_is_probe"):
        return ok(name, f"a forged X-Forwarded-For is ignored (BELONG_PROXY_HOPS={hops})")
    return fail(name, f"the app believed a forged X-Forwarded-For: BELONG_PROXY_HOPS ({hops}) "
                      "counts more proxies than there are, or the proxy appends to the "
                      "client's X-Forwarded-For instead of replacing it. Anyone can then "
                      "pretend to be any address and escape the sign-in and receipt rate "
                      "limits. Set BELONG_PROXY_HOPS to the number of proxies (1 for one "
                      "nginx)")


def check_hop_count(answer: Answer, hops: int) -> Result | None:
    """BELONG_PROXY_HOPS equals the number of proxies that set X-Forwarded-For, counted by the
    app on a request that carried none from us; None if this /healthz does not count them."""
    name = "Proxy: hop count"
    seen = answer.health.get("forwarded_for") if answer.health else None
    if not isinstance(seen, int) or isinstance(seen, bool):
        return None
    if seen == hops:
        return ok(name, f"BELONG_PROXY_HOPS={hops}, the number of proxies in front of the app")
    consequence = ("so the app takes a proxy's address for every client: all students and "
                   "staff share one rate limit, and one person's failed sign-ins lock everyone "
                   "out")
    if hops > seen:
        consequence += ("; a proxy that passes on a client's own X-Forwarded-For would let "
                        "clients forge their address")
    return fail(name, f"BELONG_PROXY_HOPS is {hops} but {seen} proxy address(es) reach the "
                      f"app in X-Forwarded-For, {consequence}. Set BELONG_PROXY_HOPS={seen}")


def check_plain_http(url: str, answer: Answer | None, error: str | None) -> Result:
    """Plain http redirects to https (or is closed), and never serves the app itself."""
    name = "HTTP redirect"
    if answer is None:
        return warn(name, f"{url}: {error or 'no answer'}. Fine if plain http is closed on "
                          "purpose; otherwise people who type the address get nothing")
    location = answer.headers.get("location", "")
    if 300 <= answer.status < 400 and location.startswith("https://"):
        return ok(name, f"{url} redirects to https ({answer.status})")
    if answer.health is not None:
        return fail(name, f"{url} serves the app over plain http: anything sent there "
                          "crosses the network unencrypted. Make port 80 only redirect "
                          "(deploy/nginx/belong.conf)")
    return warn(name, f"{url} answers {answer.status} without redirecting to https")


def try_fetch(url: str, timeout: float,
              headers: dict[str, str] | None = None) -> tuple[Answer | None, str | None]:
    """(the answer, None), or (None, why there was none)."""
    try:
        return fetch(url, timeout, headers), None
    except CheckError as exc:
        return None, str(exc)


def web_checks(base_url: str, hops: int, timeout: float,
               http_url: str | None = None) -> list[Result]:
    """Every check made through the proxy: HTTPS, HSTS, the proxy checks, the http redirect."""
    names = ("HSTS", "Proxy: https seen", "Proxy: forged address")
    if urlsplit(base_url).scheme != "https":
        first = check_https(base_url, None, None)
        return [first, *(not_checked(name, "BELONG_BASE_URL is not https") for name in names)]
    answer, error = try_fetch(health_url(base_url), timeout)
    first = check_https(base_url, answer, error)
    if first.status is not Status.OK or answer is None:
        return [first, *(not_checked(name, "the HTTPS check failed") for name in names)]
    probed, probe_error = try_fetch(health_url(base_url), timeout,
                                    {"X-Forwarded-For": PROBE_ADDRESS})
    probe = (check_probe(probed, hops) if probed is not None
             else not_checked(names[2], probe_error or "no answer"))
    counted = check_hop_count(answer, hops)
    plain = plain_http_url(base_url, http_url)
    return [first, check_hsts(answer), check_scheme(answer, hops), probe,
            *([counted] if counted else []), check_plain_http(plain, *try_fetch(plain, timeout))]
