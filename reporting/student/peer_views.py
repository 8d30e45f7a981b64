"""Asking to talk to a trained peer supporter who shares part of your experience."""

from __future__ import annotations

import logging
import secrets

from flask import Response, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError
from wtforms import HiddenField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from reporting.domain.errors import BelongError, Conflict
from reporting.domain.peer import PEER_TAGS
from reporting.extensions import csrf, db
from reporting.fields import Checkboxes
from reporting.services.delivery import dispatch
from reporting.services.peer import request_connection
from reporting.services.reports import already_sent
from reporting.student import DATABASE_GONE, SchoolFace, bp, face_of, school_for_form
from reporting.student.limits import robot_filled_the_honeypot, send_limits
from reporting.student.report_views import EXPIRED, LIMITED, NOT_SENT, sent_already, to_receipt
from reporting.validators import Printable

log = logging.getLogger("belong")
NOT_SAVED = _l("We could not send your request just now, and nothing was stored. What you "
               "chose is still here: please try again in a minute or two.")


class PeerRequestForm(FlaskForm):
    """What the student would like a peer supporter to share with them."""

    submission_id = HiddenField()
    repeats = HiddenField()  # see ReportForm.repeats
    tags = Checkboxes(_l("I would like to talk to someone who shares:"), choices=[
        SelectChoice(value, label) for value, label in PEER_TAGS.items()],
        validators=[InputRequired(_l("Choose at least one."))])
    message = TextAreaField(_l("Anything you would like them to know first (optional)"),
                            validators=[Length(max=2000, message=_l("Keep it under 2,000 "
                                                                    "characters.")),
                                        Printable(allow_newlines=True)])


def _limited(_limit) -> Response:
    """Over the limit: the request form again, with what was chosen and typed (429)."""
    return Response(render_template("student/peer.html", form=PeerRequestForm(),
                                    school=school_for_form(request.view_args["slug"]),
                                    notice=LIMITED), 429)


def _send(school, form: PeerRequestForm):
    """Store the request and show its receipt on its own page, or the form again with a
    reason."""
    if isinstance(school, SchoolFace):  # the database is gone
        return render_template("student/peer.html", school=school, form=form,
                               notice=NOT_SAVED), 503
    try:
        submitted = request_connection(db.session, school, frozenset(form.tags.data),
                                       form.message.data or "", form.submission_id.data,
                                       form.repeats.data or None)
        db.session.commit()
    except (Conflict, IntegrityError) as exc:  # the same request sent twice, perhaps at once
        db.session.rollback()
        if isinstance(exc, Conflict) or already_sent(db.session, form.submission_id.data):
            return sent_already(form, lambda notice: render_template(
                "student/peer.html", school=school, form=form, notice=notice), "request")
        log.exception("a peer request could not be stored")
        return render_template("student/peer.html", school=school, form=form,
                               notice=NOT_SAVED)
    except DATABASE_GONE:
        face = face_of(school)  # read before the failed transaction is thrown away
        db.session.remove()
        return render_template("student/peer.html", school=face, form=form,
                               notice=NOT_SAVED), 503
    except BelongError as exc:
        db.session.rollback()
        return render_template("student/peer.html", school=school, form=form, notice=str(exc))
    dispatch(current_app._get_current_object())
    return to_receipt(school, submitted, form.submission_id.data, peer=True)


@bp.route("/s/<slug>/peer", methods=["GET", "POST"])
@csrf.exempt  # checked below, so an expired token keeps what was typed
@send_limits(on_breach=_limited)
def peer_request(slug: str):
    """Ask for a peer supporter; the answer comes through a receipt, anonymously."""
    school = school_for_form(slug)
    form = PeerRequestForm()
    if request.method != "POST":  # GET, or HEAD (never treated as a request sent)
        form.submission_id.data = secrets.token_urlsafe(24)
    elif not form.csrf_token.validate(form):
        form.csrf_token.errors = []
        return render_template("student/peer.html", school=school, form=form, notice=EXPIRED)
    elif robot_filled_the_honeypot():  # no person sees that field: say nothing about it
        return render_template("student/peer.html", school=school, form=form, notice=NOT_SENT)
    elif form.validate():
        return _send(school, form)
    return render_template("student/peer.html", school=school, form=form, notice="")
