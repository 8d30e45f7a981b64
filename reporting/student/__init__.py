"""The student's side: no account, no cookie until they act, a quick exit everywhere."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import Blueprint, abort
from sqlalchemy import select
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from reporting.extensions import db
from reporting.models import School

bp = Blueprint("student", __name__)
log = logging.getLogger("belong")
DATABASE_GONE = (OperationalError, InterfaceError, PoolTimeout)
REPORTER = "reporter"  # the session key of a student who returned with their receipt


@dataclass(frozen=True)
class SchoolFace:
    """What a form page shows of a school, kept so it can render with the database gone."""

    slug: str
    name: str
    urgent_contact: str
    urgent_contact_cy: str = ""  # the same in Welsh ("" when the school has not given it)


# What this process last saw of each school (a handful of rows, public text only).
_faces: dict[str, SchoolFace] = {}


def school_or_404(slug: str) -> School:
    """The school a student page belongs to."""
    school = db.session.scalar(select(School).where(School.slug == slug))
    if school is None:
        abort(404)
    _faces[slug] = SchoolFace(school.slug, school.name, school.urgent_contact or "",
                              school.urgent_contact_cy or "")
    return school


def face_of(school: School) -> SchoolFace:
    """What this process last saw of a school (after a failed transaction expired it)."""
    return _faces[school.slug]


def school_for_form(slug: str) -> School | SchoolFace:
    """For pages that carry a student's answers: the school, or, with the database gone,
    what this process last saw of it, so the answers are shown again instead of lost."""
    try:
        return school_or_404(slug)
    except DATABASE_GONE as exc:
        db.session.remove()
        log.error("database unavailable: the form is shown again from memory (%s)",
                  type(exc).__name__)
        return _faces.get(slug) or SchoolFace(slug, "", "")
