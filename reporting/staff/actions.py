"""What each case action does: its form, and the service call behind it."""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from reporting.domain.cases import Action, allowed_actions, may_act
from reporting.domain.errors import BelongError
from reporting.extensions import db
from reporting.models import Case, Channel, StaffUser
from reporting.services import conflicts, handling, peer, queries, retention
from reporting.services.casework import staff_keys, team_of
from reporting.services.notifications import notify_reporter
from reporting.services.rerouting import request_reroute
from reporting.staff.forms import (
    ActionForm,
    AssignForm,
    DeclareConflictForm,
    ExcludeColleagueForm,
    MessageForm,
    NoteForm,
    OutcomeForm,
    RerouteForm,
    VersionedForm,
)
from reporting.validators import Printable

# Buttons for moves along the state machine, in the words a handler uses.
MOVES = {
    Action.ACKNOWLEDGE: _l("Acknowledge"), Action.START: _l("Start work"),
    Action.RESOLVE: _l("Resolve"), Action.CLOSE: _l("Close"), Action.REOPEN: _l("Reopen"),
}
# What the page says once a move is made.
DONE = {
    Action.ACKNOWLEDGE: _l("Done: acknowledge."), Action.START: _l("Done: start work."),
    Action.RESOLVE: _l("Done: resolve."), Action.CLOSE: _l("Done: close."),
    Action.REOPEN: _l("Done: reopen."),
}


class LegalHoldForm(VersionedForm):
    """Record or lift a legal hold; the short reason goes into the audit log."""

    reason = StringField(_l("Reason"), id="hold-reason", render_kw={
        "maxlength": retention.HOLD_REASON_MAX}, validators=[
        DataRequired(_l("Say why in a few words, for example a reference number.")),
        Length(max=retention.HOLD_REASON_MAX,
               message=_l("Keep the reason to %(max)s characters or fewer.",
                          max=retention.HOLD_REASON_MAX)),
        Printable()])


def bind(form, case: Case, user: StaffUser):
    """Fill the choices a form needs for this case."""
    if isinstance(form, AssignForm):
        form.to.choices = [(0, _("Nobody (unassign)"))] + [
            (h.id, h.display_name)
            for h in queries.channel_handlers(db.session, case.channel_id, case.id)]
    if isinstance(form, RerouteForm):
        form.channel.choices = [(c.id, c.name) for c in case.channel.school.channels
                                if c.id != case.channel_id]
    if isinstance(form, ExcludeColleagueForm):
        form.colleague.choices = [(h.id, h.display_name)
                                  for h in conflicts.excludable(db.session, user, case)]
    if isinstance(form, NoteForm) and case.also_channel:  # both teams hold the content key
        form.text.label.text = _("Private note (only the two teams sharing this case "
                                  "can read it)")
    return form


def forms_for(case: Case, user: StaffUser, given: dict) -> dict:
    """Every form on the case page, fresh unless one came back with errors."""
    made = {name: given.get(name) or bind(form_class(formdata=None, version=case.version),
                                          case, user)
            for name, (form_class, _) in ACTIONS.items()}
    leads = handling.leads(user, case)
    moves = [(a.value, MOVES[a]) for a in allowed_actions(case.case_status)
             if a in MOVES and may_act(a.value, leads)]
    matches = peer.suggest(db.session, case) if case.kind == "peer_connection" else []
    return {"forms": made, "moves": moves, "matches": matches, "leads": leads,
            "team": team_of(user, case)}


def _move(action: Action) -> Callable:
    def do(case: Case, form: ActionForm, private_key) -> str:
        handling.act(db.session, current_user, case, action, form.seen, form.reason.data or "")
        return str(DONE[action])
    return do


def _claim(case: Case, form: VersionedForm, private_key) -> str:
    handling.claim(db.session, current_user, case)
    return _("The case is yours.")


def _accept(case: Case, form: VersionedForm, private_key) -> str:
    peer.accept(db.session, current_user, case)
    return _("You have accepted this request. Only you can read it now.")


def _assign(case: Case, form: AssignForm, private_key) -> str:
    handling.assign(db.session, current_user, case, form.to.data, form.seen)
    return _("Assignment saved.")


def _keys(case: Case, private_key):
    return staff_keys(db.session, current_user, private_key(), case)


def _message(case: Case, form: MessageForm, private_key) -> str:
    handling.write_to_student(db.session, current_user, _keys(case, private_key), case,
                              form.text.data, form.seen, signed=form.signed.data,
                              ask=form.ask.data)
    notify_reporter(db.session, case.report)
    return _("Message sent. The student will see it when they return with their receipt.")


def _note(case: Case, form: NoteForm, private_key) -> str:
    handling.add_note(db.session, current_user, _keys(case, private_key), case, form.text.data)
    return _("Note saved.")


def _outcome(case: Case, form: OutcomeForm, private_key) -> str:
    handling.add_note(db.session, current_user, _keys(case, private_key), case, form.text.data,
                      kind="outcome")
    handling.act(db.session, current_user, case, Action.RESOLVE, form.seen)
    return _("Outcome recorded and the case resolved.")


def _reroute(case: Case, form: RerouteForm, private_key) -> str:
    handling.check_version(case, form.seen)
    target = db.session.get(Channel, form.channel.data)
    if target is None:
        raise BelongError(_("Choose a channel."))
    asked = request_reroute(db.session, current_user, case, target, form.reason.data)
    if asked:
        return _("The student has been asked to agree before the case moves.")
    return _("The case has moved.")


def _declare(case: Case, form: DeclareConflictForm, private_key) -> str:
    conflicts.declare_conflict(db.session, current_user, _keys(case, private_key), case,
                               form.seen)
    return _("You have stepped away from this case. It is back with the team, and you can "
             "no longer open it.")


def _exclude(case: Case, form: ExcludeColleagueForm, private_key) -> str:
    conflicts.exclude_colleague(db.session, current_user, case, form.colleague.data, form.seen)
    return _("Your colleague is kept off this case: they no longer hold its keys or see it.")


def _hold(hold: bool) -> Callable:
    def do(case: Case, form: LegalHoldForm, private_key) -> str:
        retention.set_legal_hold(db.session, current_user, case, hold, form.reason.data or "",
                                 form.seen)
        return _("Legal hold recorded.") if hold else _("Legal hold lifted.")
    return do


ACTIONS: dict[str, tuple[type, Callable]] = {
    **{action.value: (ActionForm, _move(action)) for action in MOVES},
    "claim": (VersionedForm, _claim),
    "accept": (VersionedForm, _accept),
    "assign": (AssignForm, _assign),
    "message": (MessageForm, _message),
    "note": (NoteForm, _note),
    "outcome": (OutcomeForm, _outcome),
    "reroute": (RerouteForm, _reroute),
    "declare_conflict": (DeclareConflictForm, _declare),
    "exclude": (ExcludeColleagueForm, _exclude),
    "legal_hold": (LegalHoldForm, _hold(True)),
    "lift_hold": (LegalHoldForm, _hold(False)),
}
