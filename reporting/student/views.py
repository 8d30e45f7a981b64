"""The student's pages: no account, no cookie until they act, a quick exit everywhere."""

from __future__ import annotations

import base64
import time

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    session,
    url_for,
)
from sqlalchemy import select

from reporting.domain.errors import InvalidReceipt
from reporting.extensions import db, limiter
from reporting.models import Case, School
from reporting.services.reports import open_receipt, read_own_report
from reporting.student.forms import LeaveForm, ReturnForm

bp = Blueprint("student", __name__)
REPORTER = "reporter"
RECEIPT_LIMIT = "5 per minute;20 per hour"


def _school(slug: str) -> School:
    school = db.session.scalar(select(School).where(School.slug == slug))
    if school is None:
        abort(404)
    return school


def _reporter_case(school: School) -> tuple[Case, bytes] | None:
    """The case this browser opened with a receipt, if that was recent enough."""
    held = session.get(REPORTER)
    if not held or held.get("school") != school.id:
        return None
    if time.time() - held["at"] > current_app.config["REPORTER_SESSION_SECONDS"]:
        session.pop(REPORTER, None)
        return None
    case = db.session.scalar(select(Case).where(Case.report_id == held["report"],
                                                Case.school_id == school.id))
    return (case, base64.b64decode(held["key"])) if case else None


@bp.route("/")
def index():
    """Choose your school."""
    schools = db.session.scalars(select(School).order_by(School.name)).all()
    return render_template("student/index.html", schools=schools)


@bp.route("/s/<slug>/")
def home(slug: str):
    """What Belong is at this school, and the ways in."""
    return render_template("student/home.html", school=_school(slug))


@bp.route("/s/<slug>/support")
def support(slug: str):
    """Where to find help now, with or without a report."""
    return render_template("student/support.html", school=_school(slug))


@bp.route("/s/<slug>/return", methods=["GET", "POST"])
@limiter.limit(RECEIPT_LIMIT, methods=["POST"])
def return_with_receipt(slug: str):
    """Come back with a receipt."""
    school = _school(slug)
    form = ReturnForm()
    if form.validate_on_submit():
        try:
            access = open_receipt(db.session, school, form.receipt.data)
        except InvalidReceipt:
            form.receipt.errors.append(
                "That receipt does not match a report here. Check each group of four and try "
                "again. If the receipt is lost, nobody can open the report for you: you can "
                "make a new report, or contact support directly.")
        else:
            session.clear()
            session[REPORTER] = {"school": school.id, "report": access.report.id,
                                 "key": base64.b64encode(access.wrapping_key).decode(),
                                 "at": int(time.time())}
            return redirect(url_for("student.your_report", slug=slug))
    return render_template("student/return.html", school=school, form=form)


@bp.route("/s/<slug>/your-report")
def your_report(slug: str):
    """Status, history and what the student told us: only for the receipt holder."""
    school = _school(slug)
    held = _reporter_case(school)
    if held is None:
        return redirect(url_for("student.return_with_receipt", slug=slug))
    case, wrapping_key = held
    return render_template("student/your_report.html", school=school, case=case,
                           fields=read_own_report(db.session, case.report, wrapping_key),
                           leave_form=LeaveForm())


@bp.route("/s/<slug>/leave", methods=["POST"])
def leave(slug: str):
    """End the receipt session."""
    school = _school(slug)
    if LeaveForm().validate_on_submit():
        session.clear()
    return redirect(url_for("student.home", slug=school.slug))


@bp.route("/exit")
def quick_exit():
    """Leave this site quickly: forget the session and go somewhere neutral."""
    session.clear()
    return redirect(current_app.config["QUICK_EXIT_URL"])
