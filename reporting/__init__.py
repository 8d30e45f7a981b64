"""Belong: confidential discrimination reporting and support routing."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import config_class, private_sqlite_file
from reporting import logs

ROOT = Path(__file__).resolve().parent.parent


def create_app(config_name: str | None = None, instance_path: str | None = None,
               **overrides: object) -> Flask:
    """Build the app: configuration, extensions, blueprints, error pages, security headers."""
    app = Flask(
        __name__,
        instance_path=instance_path,
        instance_relative_config=False,
        template_folder=str(ROOT / "templates"),
    )
    app.config.update(config_class(config_name)(Path(app.instance_path)).load())
    app.config.update(overrides)
    private_sqlite_file(app.config["SQLALCHEMY_DATABASE_URI"])
    logs.configure(app)
    if app.config["PROXY_HOPS"]:
        # Rate limits key on the client address: behind a proxy it must be the real client's.
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    from reporting import cli, health, http, i18n, origin, request_guard
    from reporting.account.views import bp as account_bp
    from reporting.admin import audit_views as admin_audit  # noqa: F401 (routes)
    from reporting.admin import dashboard_views, pack_views, routing  # noqa: F401 (admin routes)
    from reporting.admin import directory_views as admin_directory  # noqa: F401 (routes)
    from reporting.admin import placements_views as admin_placements  # noqa: F401 (routes)
    from reporting.admin import policy_views as admin_policy  # noqa: F401 (routes)
    from reporting.admin import sso_views as admin_sso  # noqa: F401 (routes)
    from reporting.admin import staff_views as admin_staff  # noqa: F401 (routes)
    from reporting.admin.views import bp as admin_bp
    from reporting.auth import (
        access,
        sso_views,  # noqa: F401 (routes on the auth blueprint)
    )
    from reporting.auth.views import bp as auth_bp
    from reporting.extensions import csrf, db, limiter, login_manager, migrate
    from reporting.pulse import admin_views as pulse_admin  # noqa: F401 (admin routes)
    from reporting.pulse import student_views as pulse_student  # noqa: F401 (student routes)
    from reporting.role_models import admin_views as role_model_admin  # noqa: F401 (routes)
    from reporting.role_models import student_views as role_model_students  # noqa: F401
    from reporting.role_models.volunteer_views import bp as volunteer_bp
    from reporting.spaces import lead_views, organiser_views, student_views  # noqa: F401 (routes)
    from reporting.staff.views import bp as staff_bp
    from reporting.student import bp as student_bp
    from reporting.student import (  # noqa: F401 (routes on the student blueprint)
        directory_views,
        followup_views,
        peer_views,
        report_views,
        views,
    )

    request_guard.init_app(app)  # first: its checks run before every other extension's
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True,
                     compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    i18n.init_app(app)
    access.init_app(app)
    for blueprint in (student_bp, auth_bp, staff_bp, account_bp, admin_bp, volunteer_bp,
                      health.bp):
        app.register_blueprint(blueprint)
    http.init_app(app)
    origin.init_app(app)
    cli.init_app(app)
    return app
