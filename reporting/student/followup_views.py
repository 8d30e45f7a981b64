"""Coming back with a receipt: status, messages, reply, files, sharing, withdrawal, deletion,
the student's own copy and files."""

from __future__ import annotations

import base64
import time

from flask import (
    abort,
    current_app,
    flash,
    get_flashed_messages,
    redirect,
    render_template,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError
from wtforms import BooleanField
from wtforms.validators import DataRequired

from reporting.domain.errors import BelongError, InvalidReceipt
from reporting.extensions import csrf, db, limiter
from reporting.http import attachment
from reporting.models import Case, School
from reporting.services import followup, rerouting, retention, suggestions
from reporting.services.delivery import dispatch
from reporting.services.reports import Keys, open_receipt, reporter_keys
from reporting.student import REPORTER, bp, school_or_404
from reporting.student.forms import (
    ConsentForm,
    FilesForm,
    LeaveForm,
    ReplyForm,
    ReturnForm,
    SharingForm,
    WithdrawForm,
)
from reporting.student.limits import followup_limits
from reporting.student.report_form import channel_kinds
from reporting.student.uploads import clean_uploads

DELETED = "deleted"  # the flashed word that lets the 'deleted' page show once
LOST = _l("That receipt does not match a report here. Check each group of four and try again. "
          "If the receipt is lost, nobody can open the report for you: you can make a new "
          "report, or contact support directly.")


class DeleteReportForm(FlaskForm):
    """Delete the report for good, after saying so explicitly."""

    confirm = BooleanField(_l("I understand that my report, its messages and files will be "
                              "deleted for good, and nobody can bring them back"),
                           id="delete-confirm",  # the withdraw form's box is 'confirm'
                           validators=[DataRequired(_l("Tick the box to confirm you want your "
                                                       "report deleted for good."))])


def _receipt_limit() -> str:
    return current_app.config["RECEIPT_RATE_LIMIT"]


def _held(school: School) -> tuple[Case, Keys] | None:
    """The case this browser opened with a receipt, if that was recent enough."""
    held = session.get(REPORTER)
    if not held or held.get("school") != school.id:
        return None
    if time.time() - held["at"] > current_app.config["REPORTER_SESSION_SECONDS"]:
        session.pop(REPORTER, None)
        return None
    case = db.session.scalar(select(Case).where(Case.report_id == held["report"],
                                                Case.school_id == school.id))
    if case is None:
        return None
    return case, reporter_keys(db.session, case.report, base64.b64decode(held["key"]))


def _page(school: School, case: Case, keys: Keys, notice: str = "", **forms):
    """The 'your report' page with its forms (any given form keeps what was typed)."""
    shared = case.report.chosen("share_identity")
    forms = {"reply_form": ReplyForm(formdata=None), "files_form": FilesForm(formdata=None),
             "sharing_form": SharingForm(formdata=None, share_identity_with=shared),
             "withdraw_form": WithdrawForm(formdata=None),
             "delete_form": DeleteReportForm(formdata=None),
             "consent_form": ConsentForm(formdata=None), **forms}
    if case.kind == "peer_connection":
        forms["withdraw_form"].confirm.label.text = _("I want to end this conversation")
    return render_template("student/your_report.html", school=school,
                           view=followup.reporter_view(case, keys), notice=notice,
                           suggestions=suggestions.for_identities(
                               db.session, school, case.report.chosen("ground")),
                           leave_form=LeaveForm(), **forms)


@bp.route("/s/<slug>/return", methods=["GET", "POST"])
@limiter.limit(_receipt_limit, methods=["POST"])
def return_with_receipt(slug: str):
    """Come back with a receipt."""
    school = school_or_404(slug)
    form = ReturnForm()
    if form.validate_on_submit():
        try:
            access = open_receipt(db.session, school, form.receipt.data)
        except InvalidReceipt:
            form.receipt.errors.append(LOST)
        else:
            session.clear()
            session[REPORTER] = {"school": school.id, "report": access.report.id,
                                 "key": base64.b64encode(access.wrapping_key).decode(),
                                 "at": int(time.time())}
            return redirect(url_for("student.your_report", slug=slug))
    return render_template("student/return.html", school=school, form=form)


@bp.route("/s/<slug>/your-report")
def your_report(slug: str):
    """Status, history, messages and what the student told us: only for the receipt holder
    (with what the last action did, once: post/redirect/get)."""
    school = school_or_404(slug)
    if (held := _held(school)) is None:
        return redirect(url_for("student.return_with_receipt", slug=slug))
    return _page(school, *held, notice=next(iter(get_flashed_messages()), ""))


@bp.route("/s/<slug>/your-report/copy")
def report_copy(slug: str):
    """The student's own copy to print or save: the report, its answers and messages."""
    school = school_or_404(slug)
    if (held := _held(school)) is None:
        return redirect(url_for("student.return_with_receipt", slug=slug))
    return render_template("student/your_report_copy.html", school=school,
                           view=followup.reporter_view(*held), leave_form=LeaveForm())


@bp.route("/s/<slug>/your-report/files/<evidence_id>")
def own_file(slug: str, evidence_id: str):
    """Download one of the student's own files: always an attachment, never shown inline."""
    school = school_or_404(slug)
    if (held := _held(school)) is None:
        return redirect(url_for("student.return_with_receipt", slug=slug))
    if (found := followup.own_file(*held, evidence_id)) is None:
        abort(404)
    return attachment(*found)


@bp.route("/s/<slug>/your-report/<action>", methods=["POST"])
@csrf.exempt  # each form checks its own token, so an expired one keeps what was typed
@followup_limits()
def act_on_report(slug: str, action: str):
    """Reply, add files, change sharing, withdraw or delete, then show the page (or goodbye)."""
    school = school_or_404(slug)
    if (held := _held(school)) is None:
        return redirect(url_for("student.return_with_receipt", slug=slug))
    case, keys = held
    form_class, done = ACTIONS.get(action, (None, None))
    if form_class is None:
        return redirect(url_for("student.your_report", slug=slug))
    form = form_class()
    name = f"{action}_form"
    if not form.validate():
        return _page(school, case, keys, **{name: form})
    try:
        notice = done(case, keys, form)
        db.session.commit()
    except (BelongError, StaleDataError) as exc:
        db.session.rollback()
        message = str(exc) if isinstance(exc, BelongError) else _(
            "Your report changed while this page was open, so nothing was saved. What you "
            "typed is still here: please send it again.")
        if (held := _held(school)) is None:  # deleted meanwhile (a second click on Delete)
            return redirect(url_for("student.return_with_receipt", slug=slug))
        case, keys = held
        return _page(school, case, keys, message, **{name: form})
    if action == "delete":  # nothing is left to come back to: end the receipt session
        retention.settle(db.session)
        session.clear()
        flash(DELETED)
        return redirect(url_for("student.report_deleted", slug=slug), 303)
    dispatch(current_app._get_current_object())
    flash(notice)  # shown once by the page the redirect leads to: a reload sends nothing
    return redirect(url_for("student.your_report", slug=slug), 303)


@bp.route("/s/<slug>/your-report/deleted")
def report_deleted(slug: str):
    """Said once, right after the deletion (a reload, or anyone else, goes to the start)."""
    school = school_or_404(slug)
    if DELETED not in get_flashed_messages():
        return redirect(url_for("student.home", slug=slug))
    return render_template("student/report_deleted.html", school=school)


def _reply(case: Case, keys: Keys, form: ReplyForm) -> str:
    followup.reply(db.session, case, keys, form.message.data)
    return _("Your message has been sent.")


def _files(case: Case, keys: Keys, form: FilesForm) -> str:
    files, errors = clean_uploads(form.files.data, already=len(case.report.evidence))
    if errors or not files:
        raise BelongError(" ".join(str(error) for error in errors)
                          or _("Choose at least one file."))
    followup.add_files(db.session, case, keys, list(files),
                       current_app.config["EVIDENCE_MAX_FILES"])
    return ngettext("%(num)d file added.", "%(num)d files added.", len(files))


def _sharing(case: Case, keys: Keys, form: SharingForm) -> str:
    followup.change_sharing(db.session, case, keys, channel_kinds(form.share_identity_with.data))
    return _("Your choice about sharing your name has been saved.")


def _consent(case: Case, keys: Keys, form: ConsentForm) -> str:
    request = next((r for r in case.consent_requests if str(r.id) == form.request_id.data), None)
    if request is None:
        raise BelongError(_("That request is no longer open."))
    approve = form.decision.data == "approve"
    rerouting.decide_consent(db.session, case, keys, request, approve)
    return (_("Thank you. Your report has moved to the team you agreed to.") if approve
            else _("Thank you. Your report stays where it is."))


def _withdraw(case: Case, keys: Keys, form: WithdrawForm) -> str:
    followup.withdraw(db.session, case)
    return _("Your report has been withdrawn.")


def _delete(case: Case, keys: Keys, form: DeleteReportForm) -> str:
    retention.delete_on_request(db.session, case)
    return _("Your report has been deleted.")


ACTIONS = {"reply": (ReplyForm, _reply), "files": (FilesForm, _files),
           "sharing": (SharingForm, _sharing), "consent": (ConsentForm, _consent),
           "withdraw": (WithdrawForm, _withdraw), "delete": (DeleteReportForm, _delete)}


@bp.route("/s/<slug>/leave", methods=["POST"])
def leave(slug: str):
    """End the receipt session."""
    school = school_or_404(slug)
    response = redirect(url_for("student.home", slug=school.slug), 303)
    if LeaveForm().validate_on_submit():
        session.clear()
        # Nothing of the report stays in this browser: no page in its cache (every page
        # was no-store already), no cookie, nothing stored by a script.
        response.headers["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response
