"""The handler's working pages."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from reporting.domain.cases import CaseStatus
from reporting.extensions import db
from reporting.services import queries

bp = Blueprint("staff", __name__, url_prefix="/staff")


@bp.route("/")
def queue():
    """The cases of my channels at my school: metadata only, nothing decrypted."""
    return render_template(
        "staff/queue.html",
        cases=queries.handler_queue(db.session, current_user),
        counts=queries.status_counts(db.session, current_user),
        statuses=list(CaseStatus),
    )
