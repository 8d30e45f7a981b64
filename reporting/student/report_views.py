"""Making a report: the steps, the review, the receipt (shown until kept), what next."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import replace

from flask import Response, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from reporting.domain.errors import Conflict
from reporting.domain.placements import ProviderNotFound
from reporting.domain.report import NARRATIVE_MAX
from reporting.extensions import csrf, db, limiter
from reporting.i18n import language
from reporting.models import Case, School
from reporting.services import placements, suggestions
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
from reporting.student.issued import Sent, keep, remember_sent, sent_before, sent_here
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

EXPIRED = _l("This page was open for a long time, so for your safety please press the "
             "button again. Your answers are still here.")
# By what was sent: a report, or a peer request (one sentence each, for translation).
ALREADY_SENT = {
    "report": _l("This report was already sent, and you kept its receipt: use it to read "
                 "replies. To tell us something new, send a new one."),
    "request": _l("This request was already sent, and you kept its receipt: use it to read "
                  "replies. To tell us something new, send a new one."),
}
STORED_NOT_SHOWN = {
    "report": _l(
        "Your report reached the team, but the page with its receipt did not reach you, and "
        "a receipt cannot be shown twice. The team will still read your report. If you want "
        "to read their replies or add to it, press \u201cSend it again\u201d: you will get a "
        "new receipt, and the team will see that it repeats the first. Your answers are "
        "still here."),
    "request": _l(
        "Your request reached the team, but the page with its receipt did not reach you, and "
        "a receipt cannot be shown twice. The team will still read your request. If you want "
        "to read their replies or add to it, press \u201cSend it again\u201d: you will get a "
        "new receipt, and the team will see that it repeats the first. Your answers are "
        "still here."),
}
KEEP_AGAIN = _l("This page was open for a long time, so for your safety please tick the box "
                "and press Continue again. Your receipt is still here.")
NOT_SAVED = _l("We could not save your report just now, and nothing was stored. Your "
               "answers are still here: please try again in a minute or two.")
NOT_SENT = _l("That did not go through. Your answers are still here: please press the "
              "button again.")
CHECK_ANSWERS = _l("Some answers on this page did not reach us. Please check them: "
                   "everything else you told us is still here.")
LIMITED = _l("Belong is receiving a lot from your connection just now, so this step was not "
             "sent. Your answers are still here: wait a minute, then press the button "
             "again.")
log = logging.getLogger("belong")


def report_form(school: School | SchoolFace) -> ReportForm:
    """The form, asking about the school's current placement providers (none offered while
    the database is gone: the answer carried is kept, and checked when sent)."""
    form = ReportForm()
    if not isinstance(school, SchoolFace):
        try:
            form.offer_providers([(str(p.id), p.name) for p in placements.school_providers(
                db.session, school.id, current=True)])
        except DATABASE_GONE:
            db.session.remove()
    return form


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
    if action == "stay":  # the language button: the same step, in the other language
        return step
    if action.startswith("change:"):
        wanted = step_named(action.removeprefix("change:"))
        return wanted if STEPS.index(wanted) <= index else None
    return None


def _limited(_limit) -> Response:
    """Over the limit mid-report: the same step again, every answer kept (429)."""
    school = school_for_form(request.view_args["slug"])
    form = report_form(school)
    page, _ = render_step(school, form, step_named(request.form.get("step")), LIMITED)
    return Response(page, 429)


@bp.route("/s/<slug>/report", methods=["GET", "POST"])
@csrf.exempt  # checked below, so an expired token re-shows the step instead of losing answers
@report_limits(on_breach=_limited)
def report(slug: str):
    """The report form, one step per page; the last step sends it."""
    reading = request.method != "POST"  # GET, or HEAD (never treated as a step sent)
    school = school_or_404(slug) if reading else school_for_form(slug)
    form = report_form(school)
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
    """Check the files and store the report in one transaction, then show its receipt on a
    page of its own (post/redirect/get); or keep every answer."""
    if isinstance(school, SchoolFace):  # the database is gone: nothing can be stored
        return render_step(school, form, step, NOT_SAVED, status=503)
    files, errors = clean_uploads(form.files.data)
    if errors:
        form.files.errors = [*errors, _("Your other answers are kept: choose the files "
                                        "again.")]
        return render_step(school, form, step)
    sealed = (seal_address(current_app.config, form.contact.data.strip())
              if form.notify_me.data else None)
    try:
        draft = replace(to_draft(form, files, sealed), language=language())  # for emails
        submitted = submit_report(db.session, school, draft,
                                  form.submission_id.data or None, form.repeats.data or None)
        db.session.commit()
    except ProviderNotFound as exc:  # retired while the student wrote, or made up
        db.session.rollback()
        form.provider.data, form.provider.errors = "", [str(exc)]
        return render_step(school, form, step_named("what"))
    except (Conflict, IntegrityError) as exc:  # the same submission sent twice, perhaps at once
        db.session.rollback()
        if isinstance(exc, Conflict) or already_sent(db.session, form.submission_id.data):
            return sent_already(form, lambda notice: render_step(school, form, step, notice))
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
    return to_receipt(school, submitted, form.submission_id.data,
                      not_safe=submitted.report.not_safe)


def to_receipt(school: School, submitted: Submitted, submission_id: str | None,
               **kind: bool) -> Response:
    """After a send: the receipt's own page, so a reload shows it instead of sending again."""
    handle = remember_sent(submission_id, submitted.receipt, submitted.case.id, **kind)
    return redirect(url_for("student.receipt", slug=school.slug, handle=handle), 303)


def sent_already(form, again: Callable[[str], object], what: str = "report"):
    """The same send pressed again (Back, a reload, a second tab): its receipt if it is
    still waiting; else say what this browser knows, and offer to send a repeat when the
    first receipt never reached it."""
    earlier = sent_before(form.submission_id.data)
    if earlier and earlier.receipt:
        return redirect(url_for("student.receipt", slug=request.view_args["slug"],
                                handle=earlier.handle), 303)
    if earlier:
        return again(ALREADY_SENT[what])
    form.repeats.data = form.submission_id.data
    form.submission_id.data = secrets.token_urlsafe(24)
    return again(STORED_NOT_SHOWN[what])


def _receipt_page(slug: str, sent: Sent, form: ReceiptKeptForm):
    """The receipt, who can read the report, and matching support (for a student who is not
    safe: the emergency routes above everything, and confidential, urgent help first).
    With the database gone, the receipt alone: it is in the session."""
    school = school_for_form(slug)
    case = support = suggested = None
    if not isinstance(school, SchoolFace):
        try:
            case = db.session.scalar(select(Case).where(Case.id == sent.case_id,
                                                        Case.school_id == school.id))
            if case is not None and not sent.peer:
                also = case.also_channel
                support = matching_entries(db.session, school, case.report.chosen("ground"),
                                           case.channel.kind, also=also.kind if also else None,
                                           not_safe=sent.not_safe)
            if case is not None:
                suggested = suggestions.for_identities(db.session, school,
                                                       case.report.chosen("ground"))
        except DATABASE_GONE:
            db.session.remove()
            school, case = face_of(school), None
    return render_template("student/receipt.html", school=school, receipt=sent.receipt,
                           form=form, not_safe=sent.not_safe, peer=sent.peer,
                           channel=case.channel if case and sent.peer else None,
                           readers=readers_of(case) if case and not sent.peer else None,
                           support=support, suggestions=suggested)


@bp.route("/s/<slug>/receipt/<handle>", methods=["GET", "POST"])
@csrf.exempt  # checked below: an expired token shows the receipt again, with a word why
@limiter.limit(lambda: current_app.config["CLIENT_FLOOD_LIMIT"])
def receipt(slug: str, handle: str):
    """The receipt of a send this browser made, until the student confirms they kept it
    (only a receipt this server sealed into this session: never any text posted here)."""
    sent = sent_here(handle)
    if sent is None:
        return render_template("student/receipt_not_shown.html",
                               school=school_for_form(slug))
    if not sent.receipt:  # kept already (Back, or a reload of the confirmation)
        return redirect(url_for("student.what_next", slug=slug, handle=handle), 303)
    form = ReceiptKeptForm()
    if request.method == "POST":
        if not form.csrf_token.validate(form):
            form.csrf_token.errors = []
            form.kept.errors = [KEEP_AGAIN]
        elif form.validate():
            keep(handle)
            return redirect(url_for("student.what_next", slug=slug, handle=handle), 303)
    return _receipt_page(slug, sent, form)


@bp.route("/s/<slug>/sent/<handle>")
def what_next(slug: str, handle: str):
    """After the receipt was kept: what happens next (the emergency routes stay on top)."""
    school = school_for_form(slug)
    sent = sent_here(handle)
    if sent is None:
        return redirect(url_for("student.home", slug=slug))
    if sent.receipt:  # not kept yet: the receipt stays on screen until it is
        return redirect(url_for("student.receipt", slug=slug, handle=handle), 303)
    return render_template("student/report_sent.html", school=school, not_safe=sent.not_safe,
                           peer=sent.peer)
