"""Sessions for students: browse by identity, add one to a calendar, say "I might come".

No account. Browsing, a session's page and its .ics set no cookie: the filter is a GET
form and the "I might come" form carries a signed token instead of Flask-WTF's
(spaces/form_token.py). Only pressing "I might come" stores anything in the browser: the
ids of the sessions it said it might come to, so it counts once and shows how to join.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _

from reporting.domain.directory import zone
from reporting.domain.errors import Conflict
from reporting.domain.spaces.calendar import Event, calendar
from reporting.domain.spaces.fields import ACCESS_LABELS, SessionNotFound, describe_when
from reporting.domain.words import N_
from reporting.extensions import csrf, db, limiter
from reporting.i18n import language
from reporting.models import School, SpaceSession
from reporting.models.base import utcnow
from reporting.services.spaces import sessions
from reporting.services.spaces.interest import note_interest
from reporting.spaces import form_token
from reporting.spaces.forms import FilterSessionsForm, MightComeForm
from reporting.student import bp, school_or_404

COMING = "spaces_coming"  # the session key: ids this browser said it might come to
KEPT = 50  # the most a browser remembers
EXPIRED = N_("This page was open too long. Press “I might come” again.")

bp.add_app_template_global(describe_when, "space_when")  # for sessions on any page


def _words(space: SpaceSession, name: str) -> str:
    """The organiser's words for this page's language: the Welsh on a Welsh page where
    there is some, else the English."""
    welsh = getattr(space, f"{name}_cy", "") if language() == "cy" else ""
    return welsh or getattr(space, name)


def _coming(space: SpaceSession) -> bool:
    return space.id in session.get(COMING, ())


def _list_page(school: School, past: bool):
    form = FilterSessionsForm(request.args)
    shown = not request.args or form.validate()
    tags = (form.tag.data or ()) if shown else ()
    lister = sessions.archive if past else sessions.upcoming
    return render_template("spaces/student_list.html", school=school, form=form, past=past,
                           found=lister(db.session, school.id, tags), tags=set(tags),
                           zone=zone(school.timezone)), 200 if shown else 400


@bp.route("/s/<slug>/spaces")
def spaces(slug: str):
    """Upcoming sessions, filtered by the identities the student ticks."""
    return _list_page(school_or_404(slug), past=False)


@bp.route("/s/<slug>/spaces/past")
def spaces_past(slug: str):
    """Sessions that have ended."""
    return _list_page(school_or_404(slug), past=True)


def _space_or_404(school: School, space_id: int) -> SpaceSession:
    try:
        return sessions.find_session(db.session, school.id, space_id)
    except SessionNotFound:
        abort(404)


def _space_page(school: School, space: SpaceSession, notice: str = "", status: int = 200):
    open_now = space.cancelled_at is None and space.ends_at > utcnow()
    return render_template(
        "spaces/student_session.html", school=school, space=space, notice=notice,
        zone=zone(school.timezone), coming=_coming(space), open_now=open_now,
        access=[label for name, label in ACCESS_LABELS.items() if getattr(space, name)],
        form=MightComeForm(formdata=None, token=form_token.issue(space.id))), status


@bp.route("/s/<slug>/spaces/<int:space_id>")
def space(slug: str, space_id: int):
    """One session: when, where, for whom, access; how to join once "I might come"."""
    school = school_or_404(slug)
    return _space_page(school, _space_or_404(school, space_id))


@bp.route("/s/<slug>/spaces/<int:space_id>/calendar.ics")
def space_calendar(slug: str, space_id: int):
    """The session as a calendar file; how to join is in it only for a browser that said it
    might come (anyone else could share the file)."""
    school = school_or_404(slug)
    space = _space_or_404(school, space_id)
    where = _words(space, "join_details") if _coming(space) \
        else _("Online") if space.online else _words(space, "area")
    page = url_for("student.space", slug=slug, space_id=space.id, _external=True)
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "belong"
    event = Event(uid=f"space-session-{space.id}@{host}", stamp=utcnow(),
                  start=space.starts_at, end=space.ends_at, summary=_words(space, "title"),
                  description="\n".join(filter(None, [
                      _words(space, "about"),
                      _("Run by %(name)s.", name=_words(space, "facilitator")), page])),
                  location=where, sequence=space.sequence,
                  cancelled=space.cancelled_at is not None)
    return Response(calendar(event), mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="session-{space.id}.ics"'})


@bp.route("/s/<slug>/spaces/<int:space_id>/interest", methods=["POST"])
@csrf.exempt  # its own signed token, so the page that shows the form sets no cookie
@limiter.limit("30 per hour")
def space_interest(slug: str, space_id: int):
    """Count "I might come" once per browser, then show how to join."""
    school = school_or_404(slug)
    space = _space_or_404(school, space_id)
    form = MightComeForm()
    if not form_token.valid(form.token.data, space.id):
        return _space_page(school, space, EXPIRED, 400)
    if not _coming(space):
        try:
            note_interest(db.session, space)
        except Conflict as error:
            db.session.rollback()
            return _space_page(school, space, str(error), 409)
        db.session.commit()
        session[COMING] = [*session.get(COMING, ()), space.id][-KEPT:]
    return redirect(url_for("student.space", slug=slug, space_id=space.id, _anchor="join"),
                    303)
