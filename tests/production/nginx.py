"""nginx from Debian running deploy/nginx/belong.conf, changed only where a test machine must.

The main configuration is Debian's own /etc/nginx/nginx.conf (its `user`, its http-level
access log, its gzip and TLS defaults), with only its paths moved into the harness and
`sites-enabled` replaced by the site under test. Every rewrite must match, so a change to
either file that the harness no longer understands fails loudly instead of being skipped.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.production.processes import Service, service_env
from tests.production.units import DEPLOY, INSTALLED_APP, REPO

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
DEBIAN_CONF = Path("/etc/nginx/nginx.conf")
SITE = DEPLOY / "nginx" / "belong.conf"
TEMP_PATHS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
# Debian's modules-enabled/*.conf load "modules/..." relative to the prefix (-p).
DEBIAN_MODULES = Path("/usr/share/nginx/modules")


class RewriteError(ValueError):
    """A configuration file no longer has what the harness must change in it."""


def rewrite(text: str, pattern: str, replacement: str | Callable[[re.Match[str]], str],
            source: str) -> str:
    """re.sub that insists on at least one match."""
    result, count = re.subn(pattern, replacement, text, flags=re.MULTILINE)
    if not count:
        raise RewriteError(f"{source}: nothing matches {pattern!r}")
    return result


@dataclass(frozen=True)
class Layout:
    """Where the test nginx keeps its files, and the ports it listens on."""

    prefix: Path
    logs: Path
    https_port: int
    http_port: int
    cert: Path
    key: Path
    upstreams: tuple[int, ...]


def main_conf(layout: Layout, site: Path, debian: Path = DEBIAN_CONF) -> str:
    """Debian's nginx.conf with its pid, logs, temp paths and sites moved into the harness."""
    text, name = debian.read_text(), str(debian)
    text = rewrite(text, r"^\s*pid\s+[^;]+;", f"pid {layout.prefix / 'nginx.pid'};", name)
    text = rewrite(text, r"^\s*error_log\s+[^;]+;",
                   f"error_log {layout.logs / 'nginx-error.log'};", name)
    text = rewrite(text, r"^\s*access_log\s+[^;]+;",
                   f"access_log {layout.logs / 'nginx-access.log'};", name)
    text = rewrite(text, r"^\s*include\s+/etc/nginx/conf\.d/\*\.conf;", "", name)
    temp = "".join(f"\t{kind}_temp_path {layout.prefix / 'temp' / kind};\n"
                   for kind in TEMP_PATHS)
    text = rewrite(text, r"^\s*include\s+/etc/nginx/sites-enabled/\*;",
                   f"{temp}\tinclude {site};", name)
    return text


def site_conf(layout: Layout, site: Path = SITE) -> str:
    """deploy/nginx/belong.conf with test ports, host, certificate, upstreams, log paths and
    the checkout's path.

    The app servers get `max_fails=0`: on one machine a stopped server refuses at once and
    nginx passes the request to the next; without it nginx would shun a restarted server
    for fail_timeout (10 s) and the fail-over journeys would depend on timing.
    """
    text, name = site.read_text(), str(site)
    port = layout.https_port
    servers = "".join(f"    server 127.0.0.1:{p} max_fails=0;\n" for p in layout.upstreams)
    text = rewrite(text, r"(upstream belong_app \{\n)(?:\s*server [^;]+;\n)+",
                   lambda match: match.group(1) + servers, name)
    text = rewrite(text, r"^\s*listen \[::\]:\d+[^;]*;\n", "", name)  # loopback IPv4 only
    text = rewrite(text, r"listen 443 ", f"listen 127.0.0.1:{port} ", name)
    text = rewrite(text, r"listen 80;", f"listen 127.0.0.1:{layout.http_port};", name)
    text = rewrite(text, r"server_name belong\.example\.ac\.uk;", "server_name 127.0.0.1;", name)
    text = rewrite(text, r"ssl_certificate\s+/etc/ssl/belong/fullchain\.pem;",
                   f"ssl_certificate {layout.cert};", name)
    text = rewrite(text, r"ssl_certificate_key\s+/etc/ssl/belong/privkey\.pem;",
                   f"ssl_certificate_key {layout.key};", name)
    text = rewrite(text, r"/var/log/nginx/", f"{layout.logs}/", name)
    text = rewrite(text, re.escape(INSTALLED_APP + "/"), f"{REPO}/", name)  # the checkout
    # Not on 443, the host alone is not the origin the browser sees: carry the port.
    text = rewrite(text, r"(proxy_set_header (?:Host|X-Forwarded-Host)) \$host;",
                   rf"\1 $host:{port};", name)
    text = rewrite(text, r"return 301 https://\$host\$request_uri;",
                   f"return 301 https://$host:{port}$request_uri;", name)
    return text


def worker_user(conf: str) -> str:
    """The `user` nginx's workers run as (Debian: www-data)."""
    match = re.search(r"^\s*user\s+([^\s;]+)", conf, flags=re.MULTILINE)
    return match.group(1) if match else "nobody"


class Nginx:
    """The TLS proxy: `nginx -p PREFIX -c CONF -g 'daemon off;'` in the foreground."""

    def __init__(self, layout: Layout, log: Path) -> None:
        self.layout = layout
        prefix = layout.prefix
        prefix.mkdir(mode=0o755, exist_ok=True)
        if DEBIAN_MODULES.is_dir():
            (prefix / "modules").symlink_to(DEBIAN_MODULES)
        site = prefix / "belong.conf"
        site.write_text(site_conf(layout))
        self.conf = prefix / "nginx.conf"
        conf = main_conf(layout, site)
        self.conf.write_text(conf)
        user = pwd.getpwnam(worker_user(conf))
        for kind in TEMP_PATHS:  # the workers write request bodies there
            path = prefix / "temp" / kind
            path.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.chown(path, user.pw_uid, user.pw_gid)
        self.service = Service("nginx", [NGINX, "-p", str(prefix), "-c", str(self.conf),
                                         "-g", "daemon off;"],
                               log=log, env=service_env(prefix), cwd=prefix)

    def start(self) -> None:
        """Start nginx (the harness waits for it through https)."""
        self.service.start()

    def stop(self) -> None:
        """Stop nginx (SIGTERM: fast shutdown)."""
        self.service.stop()
