"""The student's side: no account, no cookie until they act, a quick exit everywhere."""

from __future__ import annotations

from flask import Blueprint, abort
from sqlalchemy import select

from reporting.extensions import db
from reporting.models import School

bp = Blueprint("student", __name__)


def school_or_404(slug: str) -> School:
    """The school a student page belongs to."""
    school = db.session.scalar(select(School).where(School.slug == slug))
    if school is None:
        abort(404)
    return school
