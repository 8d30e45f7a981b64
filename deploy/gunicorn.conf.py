"""Gunicorn settings for Belong: `gunicorn -c deploy/gunicorn.conf.py wsgi:app`.

Run it from the checkout (systemd's WorkingDirectory) with the environment of
/etc/belong/env (deploy/belong.env.example). Read at start-up by Gunicorn only.
"""

from __future__ import annotations

import os

# Loopback only: nginx (deploy/nginx/belong.conf) is the only client, and the app trusts its
# X-Forwarded-* headers (BELONG_PROXY_HOPS). Never expose this port.
bind = [os.environ.get("BELONG_BIND", "127.0.0.1:8000")]
# BELONG_PROXY_HOPS alone decides which proxy headers count (the app's ProxyFix): Gunicorn's
# own X-Forwarded-Proto/-Ssl handling for loopback would second-guess it.
forwarded_allow_ips = ""
# No control socket (Gunicorn 25.1+): systemctl reload/restart is the interface, and two
# servers of one user would share $HOME/.gunicorn/gunicorn.ctl. Older versions ignore this.
control_socket_disable = True

# Sync workers, one request each. Each Argon2id derivation (sign-in, receipt, report) takes
# 64 MiB and about 150 ms of one core: 2 workers need about 128 MiB on top of themselves.
workers = 2
worker_class = "sync"
timeout = 30            # a worker silent this long is killed and replaced
graceful_timeout = 20   # on stop or restart, requests in flight get this long to finish

# No access log, ever: its lines would hold client addresses (nginx's, but also any the
# proxy forwards) and paths with enrolment tokens. Errors go to stderr (the journal).
accesslog = None
errorlog = "-"
loglevel = "info"
proc_name = "belong"

if os.environ.get("BELONG_LOG_FORMAT", "").strip().lower() == "json":
    # JSON lines for Gunicorn's own messages and, through the root logger, the app's.
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "reporting.logs.JsonFormatter"}},
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "formatter": "json",
                       "stream": "ext://sys.stderr"},
        },
        "root": {"level": "INFO", "handlers": ["stderr"]},
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["stderr"], "propagate": False,
                               "qualname": "gunicorn.error"},
            "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": False,
                                "qualname": "gunicorn.access"},
        },
    }
