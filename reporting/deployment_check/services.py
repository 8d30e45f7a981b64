"""Redis (answers with its password, refuses without) and the SMTP relay (reachable, no mail).

Error texts of redis-py and smtplib name hosts, ports and sometimes addresses, so only the
exception's class (and an SMTP reply code) ever reaches the report.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from urllib.parse import parse_qsl, urlencode, urlsplit

from reporting import job_queue
from reporting.deployment_check.result import Result, fail, ok, warn

CREDENTIAL_PARAMETERS = {"password", "username"}


def without_credentials(url: str) -> str:
    """The same Redis (host, port or socket, database) with no user name or password."""
    parts = urlsplit(url)
    netloc = parts.hostname or ""
    if ":" in netloc:  # an IPv6 literal
        netloc = f"[{netloc}]"
    if parts.port:
        netloc += f":{parts.port}"
    query = urlencode([(key, value) for key, value in parse_qsl(parts.query)
                       if key.lower() not in CREDENTIAL_PARAMETERS])
    # Built by hand: urlunsplit drops the "//" of unix:///path when there is no host.
    return f"{parts.scheme}://{netloc}{parts.path}{f'?{query}' if query else ''}"


def _redis_error(exc: Exception, timeout: float) -> str:
    from redis.exceptions import AuthenticationError, ResponseError
    from redis.exceptions import TimeoutError as RedisTimeout

    if isinstance(exc, AuthenticationError):
        return "Redis refused the credentials in REDIS_URL (requirepass or the ACL user)"
    if isinstance(exc, RedisTimeout):
        return f"Redis did not answer within {timeout:g} s (frozen, or a firewall)"
    if isinstance(exc, ResponseError):
        return f"Redis answered with an error ({type(exc).__name__})"
    return (f"could not reach Redis ({type(exc).__name__}): is redis-server running, and do "
            "REDIS_URL's host and port match it?")


def ping(url: str, timeout: float) -> None:
    """PING the Redis at `url`; raise redis-py's error if it does not answer PONG."""
    with job_queue.connect(url, timeout) as connection:
        connection.ping()


def check_redis(url: str | None, production: bool, timeout: float) -> Result:
    """Redis answers PING with the app's credentials, quickly."""
    name = "Redis"
    if not url:
        detail = ("REDIS_URL is not set: rate limits are per process (an attacker gets a "
                  "fresh allowance from each gunicorn worker) and emails go inline and by "
                  "the send-notifications timer. Set an authenticated Redis of Belong's own")
        return warn(name, detail) if production else ok(name, detail)
    try:
        ping(url, timeout)
    except Exception as exc:  # redis-py's errors, socket errors: all mean "not usable"
        return fail(name, _redis_error(exc, timeout))
    return ok(name, "answers PING with the credentials in REDIS_URL")


def check_redis_auth(url: str | None, timeout: float) -> Result:
    """The same Redis refuses a client without credentials (else anyone can fill the queue)."""
    from redis.exceptions import AuthenticationError, RedisError

    name = "Redis authentication"
    if not url:
        return ok(name, "no Redis in use")
    try:
        ping(without_credentials(url), timeout)
    except AuthenticationError:
        return ok(name, "a client without the password is refused (NOAUTH)")
    except RedisError as exc:
        return fail(name, f"not checked: {_redis_error(exc, timeout)}")
    return fail(name, "Redis answers clients without a password: anyone who can reach it can "
                      "queue jobs for the worker and wipe the rate limits. Set requirepass "
                      "(or an ACL with the default user off) and put the password in "
                      "REDIS_URL; give Belong a Redis no other service shares")


def _smtp_error(exc: Exception) -> str:
    code = getattr(exc, "smtp_code", None)
    what = f"{type(exc).__name__}{f' {code}' if code else ''}"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return f"the relay refused MAIL_USERNAME/MAIL_PASSWORD ({what})"
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return (f"the relay does not offer what MAIL_USE_TLS or MAIL_USERNAME asks for "
                f"(STARTTLS or AUTH) ({what})")
    if isinstance(exc, ssl.SSLCertVerificationError):
        return (f"the relay's certificate is not trusted ({exc.verify_message}); MAIL_SERVER "
                "must be the name on its certificate")
    # smtplib turns a timeout while reading a reply into SMTPServerDisconnected.
    if isinstance(exc, TimeoutError) or isinstance(exc.__context__, TimeoutError):
        return f"the relay did not answer in time ({what}): frozen, or a firewall"
    if isinstance(exc, ConnectionRefusedError):
        return "the connection was refused: nothing listens on MAIL_SERVER:MAIL_PORT"
    return f"could not talk to the relay ({what})"


def smtp_handshake(config: Mapping[str, object], timeout: float) -> None:
    """Connect, EHLO, STARTTLS and log in as configured, then QUIT: no message is sent."""
    smtp = smtplib.SMTP(str(config.get("MAIL_SERVER") or "localhost"),
                        int(config.get("MAIL_PORT") or 25), timeout=timeout)
    try:
        smtp.ehlo()
        if config.get("MAIL_USE_TLS"):
            smtp.starttls(context=ssl.create_default_context())
            smtp.ehlo()
        if config.get("MAIL_USERNAME"):
            smtp.login(str(config["MAIL_USERNAME"]), str(config.get("MAIL_PASSWORD") or ""))
        smtp.quit()
    finally:
        smtp.close()


def check_mail(config: Mapping[str, object], production: bool, timeout: float) -> Result:
    """The SMTP relay takes a connection (and STARTTLS and the login) without delay."""
    name = "Mail relay"
    if (config.get("MAIL_BACKEND") or "console") == "console":
        detail = ("MAIL_BACKEND is console: no email is sent, handlers are never told about "
                  "new cases. Set MAIL_SERVER (and MAIL_PORT, MAIL_USE_TLS) to your relay")
        return fail(name, detail) if production else warn(name, detail)
    try:
        smtp_handshake(config, timeout)
    except (OSError, smtplib.SMTPException) as exc:
        return fail(name, _smtp_error(exc))
    steps = ["connect", "EHLO"]
    steps += ["STARTTLS"] if config.get("MAIL_USE_TLS") else []
    steps += ["login"] if config.get("MAIL_USERNAME") else []
    return ok(name, f"{' + '.join(steps)} succeeded (nothing sent)")
