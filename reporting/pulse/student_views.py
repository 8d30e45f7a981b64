"""The pulse for students: a few statements once a term, no account, no cookie until they
answer. Answering sets the session cookie, holding this term's random token, so the same
browser is told it has answered; the token's digest stops the same form counting twice."""

from __future__ import annotations

from flask import redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l

from reporting.domain.directory import zone
from reporting.domain.pulse.answers import (
    UNANSWERED,
    AlreadyAnswered,
    InvalidAnswer,
    check_answer,
)
from reporting.domain.terms import Term, term_at
from reporting.extensions import csrf, db, limiter
from reporting.models import School
from reporting.models.base import utcnow
from reporting.pulse import form_token
from reporting.pulse.forms import ITEM, AnswerPulseForm, answer_form
from reporting.services.pulse.answers import ALREADY, take_answer
from reporting.services.pulse.items import current_items, source_note
from reporting.student import bp, school_or_404

ANSWERED = "pulse"  # the session key: {school id: [the term answered]}
EXPIRED = _l("This page was open too long, or did not come from this site. Nothing was "
             "saved: please answer again.")


def _term(school: School) -> Term:
    return term_at(utcnow(), zone(school.timezone))


def _answered(school: School, term: Term) -> bool:
    entry = session.get(ANSWERED, {}).get(str(school.id))
    return bool(entry) and entry[0] == term.key


def _page(school: School, term: Term, form: AnswerPulseForm | None = None, notice: str = "",
          status: int = 200, done: bool = False):
    """The pulse as shown: `form` keeps what was chosen (else a blank one, with a new token)."""
    items = current_items(db.session, school.id)
    note = source_note(db.session, school)
    db.session.commit()  # the default items, written in on first use
    if form is None:
        form = answer_form(items)(formdata=None)
    form.token.data = form_token.issue(school.id, term.key)
    return render_template("pulse/answer.html", school=school, term=term, form=form,
                           fields=[form[ITEM.format(item.id)] for item in items],
                           notice=notice, source=note,
                           answered=done or _answered(school, term)), status


@bp.route("/s/<slug>/pulse")
def pulse(slug: str):
    """This term's pulse, or a thank-you if this browser has answered it."""
    school = school_or_404(slug)
    return _page(school, _term(school))


@bp.route("/s/<slug>/pulse", methods=["POST"])
@csrf.exempt  # its own signed token, so the page that shows the form sets no cookie
@limiter.limit("30 per hour")
def pulse_answer(slug: str):
    """Take one answer for this term, once."""
    school = school_or_404(slug)
    term = _term(school)
    items = current_items(db.session, school.id)
    form = answer_form(items)()
    token = form_token.token_in(form.token.data, school.id, term.key)
    if token is None:
        return _page(school, term, notice=EXPIRED, status=400)
    if _answered(school, term):
        return _page(school, term, notice=ALREADY, status=409)
    # Every item shown (a statement left out arrives as None), and any the page did not show.
    raw = {key.removeprefix("item_"): request.form.get(key) for key in request.form
           if key.startswith("item_")}
    raw |= {str(item.id): request.form.get(ITEM.format(item.id)) for item in items}
    try:
        answer = check_answer({int(k) if k.isascii() and k.isdigit() else -1: v
                               for k, v in raw.items()}, form.tags.data or (),
                              [item.id for item in items])
        take_answer(db.session, school.id, term, token, answer)
    except InvalidAnswer as error:
        db.session.rollback()
        kept = form if str(error) == UNANSWERED else None  # altered: start again
        return _page(school, term, kept, str(error), status=400)
    except AlreadyAnswered as error:
        db.session.rollback()
        return _page(school, term, notice=str(error), status=409, done=True)
    db.session.commit()
    session[ANSWERED] = {str(school.id): [term.key]}  # the term only: never the token
    return redirect(url_for("student.pulse", slug=slug, _anchor="thanks"), 303)
