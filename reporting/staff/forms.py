"""Forms on the handler's pages."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from reporting.domain import references
from reporting.domain.cases import LABELS as STATUS_LABELS
from reporting.domain.cases import CaseStatus
from reporting.domain.peer import PEER_TAGS
from reporting.domain.report import MESSAGE_MAX, Ground, Setting, choices
from reporting.fields import Checkboxes, DayField, PageNumber, QuickSelectField
from reporting.services.queries import QueueFilter
from reporting.validators import Printable

STATUS_CHOICES = [SelectChoice("open", _l("Open cases")), SelectChoice("all", _l("All cases"))] + [
    SelectChoice(s.value, STATUS_LABELS[s]) for s in CaseStatus]  # lazy: the page's language


def _text(label: str, required: str, id: str):
    # Each form's own id: the message, note and outcome boxes share a page and a name.
    return TextAreaField(label, id=id, validators=[
        DataRequired(required),
        Length(max=MESSAGE_MAX, message=_l("Keep it under %(max)s characters.",
                                                max=f"{MESSAGE_MAX:,}")),
        Printable(allow_newlines=True)])


class QueueFilterForm(FlaskForm):
    """Filters and order for the queue (a GET form: nothing changes, so no CSRF token; the
    CSV export and the saved view resend them with the app-wide CSRF check)."""

    class Meta:
        csrf = False

    reference = StringField(_l("Case reference"), id="queue-reference",
                            validators=[Optional(), Length(max=20)])
    status = QuickSelectField(_l("Status"), choices=STATUS_CHOICES, default="open")
    channel = QuickSelectField(_l("Channel"), coerce=str, default="")
    urgency = QuickSelectField(_l("Urgency"), default="", choices=[
        SelectChoice("", _l("Any urgency")), SelectChoice("urgent", _l("Urgent")),
        SelectChoice("routine", _l("Routine"))])
    assigned = QuickSelectField(_l("Handler"), default="", choices=[
        SelectChoice("", _l("Anyone")), SelectChoice("me", _l("Assigned to me")),
        SelectChoice("none", _l("Unassigned"))])
    ground = QuickSelectField(_l("Ground"), default="", choices=[
        SelectChoice("", _l("Any ground"))] + [SelectChoice(value, text)
                                               for value, text in choices(Ground)])
    setting = QuickSelectField(_l("Where it happened"), default="", choices=[
        SelectChoice("", _l("Anywhere"))] + [SelectChoice(value, text)
                                         for value, text in choices(Setting)])
    since = DayField(_l("Received from"), id="queue-since", validators=[Optional()])
    until = DayField(_l("Received until"), id="queue-until", validators=[Optional()])
    sort = QuickSelectField(_l("Order"), default="priority", choices=[
        SelectChoice("priority", _l("Urgent first, then the nearest deadline")),
        SelectChoice("deadline", _l("Nearest deadline first")),
        SelectChoice("received", _l("Newest received first")),
        SelectChoice("activity", _l("Latest activity first"))])
    overdue = BooleanField(_l("Overdue only"))
    page = PageNumber(_l("Page"), default=1, validators=[Optional(), NumberRange(
        1, 100_000, message=_l("The page must be between 1 and 100,000."))])

    def validate_reference(self, field: StringField) -> None:
        if field.data and references.normalise(field.data) is None:
            raise ValidationError(_("A case reference has two characters, a dash and four, "
                                    "for example NF-7K3Q."))

    def validate_until(self, field: DayField) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_("The end date must be the same as or after the start "
                                    "date."))

    def wanted(self) -> QueueFilter:
        """The validated form as a QueueFilter."""
        return QueueFilter(
            status=self.status.data, urgency=self.urgency.data, assigned=self.assigned.data,
            channel_id=int(self.channel.data) if self.channel.data else None,
            overdue=self.overdue.data,
            reference=references.normalise(self.reference.data or "") or "",
            ground=self.ground.data, setting=self.setting.data, since=self.since.data,
            until=self.until.data, sort=self.sort.data, page=self.page.data or 1)

    def kept(self) -> dict[str, str]:
        """The filters in force as query arguments (no page): for the pager, the saved
        view and the export."""
        return {field.name: "y" if field.data is True else str(field.data) for field in self
                if field.name != "page" and field.data not in ("", None, False)
                and field.data != field.default}


class VersionedForm(FlaskForm):
    """Every case action carries the version of the case the handler saw."""

    version = HiddenField(validators=[InputRequired()])

    @property
    def seen(self) -> int:
        """The version as a number (-1 if tampered with, which will not match)."""
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return -1


class ActionForm(VersionedForm):
    """A move along the state machine, with an optional reason."""

    reason = TextAreaField(_l("Reason (optional, not shown to the student)"), validators=[
        Length(max=500), Printable(allow_newlines=True)])


class AssignForm(VersionedForm):
    """Give the case to a colleague in its channel."""

    to = SelectField(_l("Assign to"), coerce=int)


class MessageForm(VersionedForm):
    """A message to the student."""

    text = _text(_l("Message to the student"), _l("Write the message first."), "message-text")
    signed = BooleanField(_l("Sign with my name (otherwise the student sees only the team)"))
    ask = BooleanField(_l("I am waiting for the student's answer (the case shows as waiting "
                          "on them)"))


class NoteForm(VersionedForm):
    """A private note for the channel's handlers."""

    text = _text(_l("Private note (only this team can read it)"), _l("Write the note first."),
                 "note-text")


class OutcomeForm(VersionedForm):
    """The outcome, recorded privately, and the case resolved."""

    text = _text(_l("Outcome (private to this team)"), _l("Describe the outcome first."),
                 "outcome-text")


class RerouteForm(VersionedForm):
    """Move the case to another channel."""

    channel = SelectField(_l("Move to"), coerce=int)
    reason = TextAreaField(_l("Why (the student sees this when asked to agree)"), validators=[
        DataRequired(_l("Say why the case should move.")), Length(max=400),
        Printable(allow_newlines=True)])


class DeclareConflictForm(VersionedForm):
    """Step away from a case for a conflict of interest."""

    confirm = BooleanField(_l("The report may be about me or someone close to me, so I "
                              "step away from it for good"), id="conflict-confirm", validators=[
                               DataRequired(_l("Tick the box to confirm that you step away."))])


class ExcludeColleagueForm(VersionedForm):
    """A lead keeps a colleague off a case for a conflict of interest."""

    colleague = SelectField(_l("Colleague to keep off"), coerce=int, id="exclude-colleague")


class SettingsForm(FlaskForm):
    """How the handler wants to hear about cases that need attention."""

    notify_mode = RadioField(_l("Emails about cases that need attention"), choices=[
        SelectChoice("immediate", _l("One email each time, straight away")),
        SelectChoice("digest", _l("One summary a day (hides when cases arrive from "
                                  "anyone watching my mail)"))],
        validators=[InputRequired(_l("Choose how you want to hear about cases."))])
    offers = Checkboxes(_l("What you are willing to share with students who ask for a peer"),
                        choices=[SelectChoice(v, label) for v, label in PEER_TAGS.items()])
