"""Finding your school, the home page, support, and the quick exit."""

from __future__ import annotations

from flask import current_app, redirect, render_template, session
from sqlalchemy import select

from reporting.extensions import db
from reporting.i18n import language
from reporting.models import School
from reporting.services.pack import you_said
from reporting.student import bp, school_or_404
from reporting.student.directory_views import support_page


@bp.route("/")
def index():
    """Choose your school."""
    schools = db.session.scalars(select(School).order_by(School.name)).all()
    return render_template("student/index.html", schools=schools)


@bp.route("/s/<slug>/")
def home(slug: str):
    """What Belong is at this school, and the ways in."""
    school = school_or_404(slug)
    return render_template("student/home.html", school=school,
                           you_said=bool(you_said.published(db.session, school.id)))


@bp.route("/s/<slug>/you-said-we-did")
def you_said_we_did(slug: str):
    """What the school changed because of reports, as its admins published it."""
    school = school_or_404(slug)
    return render_template("student/you_said.html", school=school,
                           sections=you_said.published(db.session, school.id))


@bp.route("/s/<slug>/support")
def support(slug: str):
    """Where to find help now, with or without a report: emergency routes, then the directory."""
    return support_page(school_or_404(slug))


@bp.route("/exit")
def quick_exit():
    """Leave this site quickly: forget the session and go somewhere neutral (in Welsh, for a
    student reading in Welsh, by the link's ?lang=cy or their browser's language)."""
    session.clear()
    welsh = language() == "cy"
    return redirect(current_app.config["QUICK_EXIT_URL_CY" if welsh else "QUICK_EXIT_URL"])
