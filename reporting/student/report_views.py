"""Making a report: the steps, the review, the receipt (shown once)."""

from __future__ import annotations

import logging
import secrets

from flask import Response, current_app, render_template, request
from sqlalchemy.exc import IntegrityError

from reporting.domain.errors import Conflict
from reporting.domain.report import NARRATIVE_MAX
from reporting.extensions import csrf, db, limiter
from reporting.models import School
from reporting.services.delivery import dispatch
from reporting.services.directory import matching_entries
from reporting.services.followup import readers_of
from reporting.services.notifications import seal_address
from reporting.services.reports import Submitted, already_sent, submit_report
from reporting.services.routing_rules import decide_for
from reporting.student import (
    DATABASE_GONE,
    SchoolFace,
    bp,
    face_of,
    school_for_form,
    school_or_404,
)
from reporting.student.forms import ReceiptKeptForm
from reporting.student.issued import forget_issued, issued_here, remember_issued
from reporting.student.limits import report_limits, robot_filled_the_honeypot
from reporting.student.report_form import (
    STEPS,
    ReportForm,
    Step,
    first_unanswered,
    routing_answers,
    step_named,
    to_draft,
    validate_step,
)
from reporting.student.uploads import clean_uploads

EXPIRED = ("This page was open for a long time, so for your safety please press the button "
           "again. Your answers are still here.")
ALREADY_SENT = ("This report was already sent, and its receipt was shown then. If you did not "
                "keep the receipt, you can send a new report.")
NOT_SAVED = ("We could not save your report just now, and nothing was stored. Your answers "
             "are still here: please try again in a minute or two.")
NOT_SENT = ("That did not go through. Your answers are still here: please press the button "
            "again.")
CHECK_ANSWERS = ("Some answers on this page did not reach us. Please check them: everything "
                 "else you told us is still here.")
LIMITED = ("Belong is receiving a lot from your connection just now, so this step was not "
           "sent. Your answers are still here: wait a minute, then press the button again.")
log = logging.getLogger("belong")


def _decision(school: School | SchoolFace, form: ReportForm):
    """The school's suggestion for the review step; None while the database is gone."""
    if isinstance(school, SchoolFace):
        return None
    try:
        return decide_for(db.session, school, routing_answers(form))
    except DATABASE_GONE:
        db.session.remove()
        return None


def render_step(school: School | SchoolFace, form: ReportForm, step: Step, notice: str = "",
                status=200):
    """Show one step, carrying every other answer in hidden fields (no database needed).

    The review step needs every earlier answer: when one is missing or not one of the
    choices (a hand-made request), the first step that needs it is shown, with its message.
    """
    if step.name == "review" and (missing := first_unanswered(form, step)) is not None:
        step, notice = missing, notice or CHECK_ANSWERS
    decision = _decision(school, form) if step.name == "review" else None
    if decision and not form.chosen_channel.data:
        form.chosen_channel.data = decision.channel.value
    return render_template("student/report.html", school=school, form=form, step=step,
                           steps=STEPS, decision=decision, notice=notice,
                           narrative_max=NARRATIVE_MAX), status


def _target(form: ReportForm, step: Step) -> Step | None:
    """Where Back or Change leads (no checks needed), or None to go forward."""
    action = request.form.get("action", "next")
    index = STEPS.index(step)
    if action == "back":
        return STEPS[max(index - 1, 0)]
    if action.startswith("change:"):
        wanted = step_named(action.removeprefix("change:"))
        return wanted if STEPS.index(wanted) <= index else None
    return None


def _limited(_limit) -> Response:
    """Over the limit mid-report: the same step again, every answer kept (429)."""
    school = school_for_form(request.view_args["slug"])
    form = ReportForm()
    page, _ = render_step(school, form, step_named(request.form.get("step")), LIMITED)
    return Response(page, 429)


@bp.route("/s/<slug>/report", methods=["GET", "POST"])
@csrf.exempt  # checked below, so an expired token re-shows the step instead of losing answers
@report_limits(on_breach=_limited)
def report(slug: str):
    """The report form, one step per page; the last step sends it."""
    reading = request.method != "POST"  # GET, or HEAD (never treated as a step sent)
    school = school_or_404(slug) if reading else school_for_form(slug)
    form = ReportForm()
    if reading:
        form.submission_id.data = secrets.token_urlsafe(24)
        return render_step(school, form, STEPS[0])
    step = step_named(request.form.get("step"))
    if robot_filled_the_honeypot():  # no person sees that field: say nothing about it
        return render_step(school, form, step, NOT_SENT)
    if not form.csrf_token.validate(form):
        form.csrf_token.errors = []
        return render_step(school, form, step, EXPIRED)
    if (target := _target(form, step)) is not None:
        return render_step(school, form, target)
    for earlier in STEPS[: STEPS.index(step) + 1]:
        if not validate_step(form, earlier):
            return render_step(school, form, earlier, status=200)
    if step is not STEPS[-1]:
        return render_step(school, form, STEPS[STEPS.index(step) + 1])
    return _send(school, form, step)


def _send(school: School | SchoolFace, form: ReportForm, step: Step):
    """Check the files and store the report in one transaction, or keep every answer."""
    if isinstance(school, SchoolFace):  # the database is gone: nothing can be stored
        return render_step(school, form, step, NOT_SAVED, status=503)
    files, errors = clean_uploads(form.files.data)
    if errors:
        form.files.errors = [*errors, "Your other answers are kept: choose the files again."]
        return render_step(school, form, step)
    sealed = (seal_address(current_app.config, form.contact.data.strip())
              if form.notify_me.data else None)
    try:
        submitted = submit_report(db.session, school, to_draft(form, files, sealed),
                                  form.submission_id.data or None)
        db.session.commit()
    except (Conflict, IntegrityError) as exc:  # the same submission sent twice, perhaps at once
        db.session.rollback()
        if isinstance(exc, Conflict) or already_sent(db.session, form.submission_id.data):
            return render_step(school, form, step, ALREADY_SENT)
        log.exception("a report could not be stored")
        return render_step(school, form, step, NOT_SAVED)
    except DATABASE_GONE as exc:
        face = face_of(school)  # read before the failed transaction is thrown away
        db.session.remove()
        log.error("a report could not be stored: database unavailable (%s)",
                  type(exc).__name__)
        return render_step(face, form, step, NOT_SAVED, status=503)
    except Exception:
        db.session.rollback()
        log.exception("a report could not be stored")
        return render_step(school, form, step, NOT_SAVED)
    dispatch(current_app._get_current_object())  # tell the teams a case is waiting
    return _receipt_page(school, submitted, form.grounds.data)


def _receipt_page(school: School, submitted: Submitted, grounds: list[str] | None) -> str:
    """The receipt, who can read the report, and matching support (for a student who is not
    safe: the emergency routes above everything, and confidential, urgent help first)."""
    case, not_safe = submitted.case, submitted.report.not_safe
    also = case.also_channel
    support = matching_entries(db.session, school, grounds, case.channel.kind,
                               also=also.kind if also else None, not_safe=not_safe)
    remember_issued(submitted.receipt)
    return render_template("student/receipt.html", school=school, receipt=submitted.receipt,
                           form=ReceiptKeptForm(receipt=submitted.receipt,
                                                not_safe="yes" if not_safe else ""),
                           not_safe=not_safe, readers=readers_of(case), support=support)


@bp.route("/s/<slug>/report/receipt", methods=["POST"])
@csrf.exempt  # an expired token must not cost the student their only sight of the receipt
@limiter.limit(lambda: current_app.config["CLIENT_FLOOD_LIMIT"])
def receipt_kept(slug: str):
    """The student confirms they kept the receipt; until then it stays on screen (only a
    receipt this server showed this browser: never any text posted here)."""
    school = school_or_404(slug)
    form = ReceiptKeptForm()
    if not issued_here(form.receipt.data):
        return render_template("student/receipt_not_shown.html", school=school)
    not_safe = form.not_safe.data == "yes"
    if form.validate():
        forget_issued(form.receipt.data)
        return render_template("student/report_sent.html", school=school, not_safe=not_safe)
    return render_template("student/receipt.html", school=school, receipt=form.receipt.data,
                           form=form, channel=None, not_safe=not_safe)
