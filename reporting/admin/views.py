"""The admin's pages: configuration and aggregates, never report contents."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from reporting.extensions import db
from reporting.services import queries

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/")
def home():
    """My school at a glance: channels with case counts, and the staff accounts."""
    return render_template(
        "admin/home.html",
        channels=queries.channel_overview(db.session, current_user.school_id),
        staff=queries.school_staff(db.session, current_user.school_id),
    )
