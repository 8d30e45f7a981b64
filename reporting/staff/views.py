"""The handler's working pages: the queue, a case, what can be done to it."""

from __future__ import annotations

import base64
from urllib.parse import parse_qsl, urlencode

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import MultiDict

from reporting.auth.access import SESSION_KEY
from reporting.domain.cases import CaseStatus
from reporting.domain.errors import BelongError, Conflict
from reporting.domain.peer import tag_label
from reporting.domain.roles import Role
from reporting.extensions import db
from reporting.http import attachment, csv_download
from reporting.models import Case
from reporting.models.base import utcnow
from reporting.services import access_log, handling, peer, queries, queue_counts, queue_export
from reporting.services.auth import session_private_key
from reporting.services.casework import NoAccess, team_of
from reporting.services.delivery import dispatch
from reporting.services.staff import save_queue_view, set_notify_mode
from reporting.staff import actions
from reporting.staff.forms import QueueFilterForm, SettingsForm

bp = Blueprint("staff", __name__, url_prefix="/staff")
STALE = _l("Someone changed this case at the same moment, so nothing was saved. Please try "
           "again.")


def private_key() -> bytes:
    """This session's copy of the handler's private key (cookie key + server row)."""
    return session_private_key(g.staff_session, base64.b64decode(session[SESSION_KEY]))


def _case(case_id: str) -> Case:
    try:
        return handling.find_case(db.session, current_user, case_id)
    except handling.CaseNotFound:
        abort(404)


def _queue_form(formdata) -> QueueFilterForm:
    form = QueueFilterForm(formdata)
    form.channel.choices = [("", _("All my channels"))] + [
        (str(m.channel_id), m.channel.name) for m in current_user.memberships]
    return form


@bp.route("/")
def queue():
    """The cases of my channels at my school: metadata only, nothing decrypted. With no
    filters in the address, the handler's saved view if they keep one."""
    saved = not request.args and current_user.queue_view is not None
    form = _queue_form(MultiDict(parse_qsl(current_user.queue_view)) if saved
                       else request.args)
    valid = form.validate()
    if saved and not valid:  # a saved view that no longer fits (a team left): the default
        form, saved = _queue_form(MultiDict()), False
        valid = form.validate()
        flash(_("Your saved view no longer fits your teams, so the queue shows every open "
                "case. Save a new view when you are ready."), "error")
    counts = queue_counts.status_counts(db.session, current_user)
    if not valid:
        return render_template("staff/queue.html", form=form, rows=[], total=0, saved=False,
                               order=None, now=utcnow(), counts=counts), 400
    wanted = form.wanted()
    rows, total = queries.handler_queue(db.session, current_user, wanted, counts)
    return render_template("staff/queue.html", form=form, rows=rows, total=total,
                           wanted=wanted, page_size=queries.PAGE_SIZE, now=utcnow(),
                           saved=saved, order=queries.ORDERS[wanted.sort], counts=counts)


@bp.route("/queue/view", methods=["POST"])
def save_view():
    """Keep these filters as the queue's first view (or forget the saved one)."""
    form = _queue_form(request.form)
    if "forget" in request.form:
        save_queue_view(db.session, current_user, None)
        db.session.commit()
        flash(_("Your saved view is forgotten: the queue opens on every open case."), "success")
        return redirect(url_for("staff.queue"))
    if not form.validate():
        flash(_("These filters could not be saved: correct them first."), "error")
        return redirect(url_for("staff.queue", **form.kept()))
    try:
        save_queue_view(db.session, current_user, urlencode(form.kept()))
    except BelongError as exc:
        flash(str(exc), "error")
        return redirect(url_for("staff.queue"))
    db.session.commit()
    flash(_("View saved: the queue opens with these filters."), "success")
    return redirect(url_for("staff.queue"))


@bp.route("/queue.csv", methods=["POST"])  # a POST: exporting writes an audit entry
def queue_csv():
    """The metadata of every case these filters show, as CSV (no content; audited)."""
    form = _queue_form(request.form)
    if not form.validate():
        flash(_("Correct the filters before exporting."), "error")
        return redirect(url_for("staff.queue"))
    rows = queue_export.queue_export(db.session, current_user, form.wanted())
    access_log.record_queue_export(db.session, current_user, form.kept(), len(rows))
    db.session.commit()
    return csv_download(f"belong-queue-{utcnow().date().isoformat()}.csv",
                        queue_export.queue_csv_rows(rows))


def render_case(case: Case, status: int = 200, **forms):
    """The case page, decrypted for this handler (the read is audited)."""
    try:
        view = handling.open_case(db.session, current_user, private_key(), case)
    except NoAccess:
        return render_template("staff/no_key.html", case=case), 403
    db.session.commit()
    return render_template("staff/case_detail.html", view=view,
                           readers=access_log.readers(db.session, case),
                           **actions.forms_for(case, current_user, forms)), status


@bp.route("/cases/<case_id>")
def case_detail(case_id: str):
    """One case: what the student said, messages, notes, history, and what to do next."""
    return render_case(_case(case_id))


@bp.route("/cases/<case_id>/<action>", methods=["POST"])
def case_action(case_id: str, action: str):
    """Do one thing to a case, from the version of it the handler saw."""
    case = _case(case_id)
    if action not in actions.ACTIONS:
        abort(404)
    form_class, do = actions.ACTIONS[action]
    form = actions.bind(form_class(), case, current_user)
    if not form.validate():
        return render_case(case, 400, **{action: form})
    try:
        handling.check_may(current_user, case, action)
        notice = do(case, form, private_key)
        db.session.commit()
    except (BelongError, StaleDataError) as exc:
        db.session.rollback()
        stale = not isinstance(exc, BelongError)
        flash(str(STALE) if stale else str(exc), "error")
        status = 409 if stale or isinstance(exc, Conflict) else 400
        return render_case(_case(case_id), status, **{action: form})
    dispatch(current_app._get_current_object())
    flash(notice, "success")
    if team_of(current_user, case) is None or queries.kept_off(db.session, case.id,
                                                               current_user.id):
        # re-routed away from this team, or the handler stepped away
        return redirect(url_for("staff.queue"))
    return redirect(url_for("staff.case_detail", case_id=case.id))


@bp.route("/cases/<case_id>/files/<evidence_id>")
def evidence(case_id: str, evidence_id: str):
    """Download an evidence file: always as an attachment, never shown inline."""
    try:
        name, data = handling.open_evidence(db.session, current_user, private_key(),
                                            _case(case_id), evidence_id)
    except handling.CaseNotFound:
        abort(404)
    except NoAccess:
        return render_template("staff/no_key.html", case=_case(case_id)), 403
    db.session.commit()
    return attachment(name, data)


@bp.context_processor
def _labels() -> dict:
    return {"peer_label": tag_label,
            "statuses": [CaseStatus(s) for s in queries.UNFINISHED]}


@bp.route("/settings", methods=["GET", "POST"])
def settings():
    """The handler's own settings: notifications, and for peer supporters what they offer."""
    form = SettingsForm(notify_mode=current_user.notify_mode,
                        offers=peer.offers(db.session, current_user))
    if form.validate_on_submit():
        set_notify_mode(db.session, current_user, form.notify_mode.data)
        if current_user.staff_role is Role.PEER_SUPPORTER:
            peer.set_offers(db.session, current_user, frozenset(form.offers.data or []))
        db.session.commit()
        flash(_("Your notification setting is saved."), "success")
        return redirect(url_for("staff.settings"))
    return render_template("staff/settings.html", form=form,
                           is_peer=current_user.staff_role is Role.PEER_SUPPORTER)
