"""Forms on the handler's pages."""

from __future__ import annotations

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
from reporting.domain.cases import CaseStatus
from reporting.domain.peer import PEER_TAGS
from reporting.domain.report import MESSAGE_MAX, Ground, Setting, choices
from reporting.fields import Checkboxes, DayField, PageNumber
from reporting.services.queries import QueueFilter
from reporting.validators import Printable

STATUS_CHOICES = [SelectChoice("open", "Open cases"), SelectChoice("all", "All cases")] + [
    SelectChoice(s.value, s.label) for s in CaseStatus]


def _text(label: str, required: str, id: str):
    # Each form's own id: the message, note and outcome boxes share a page and a name.
    return TextAreaField(label, id=id, validators=[
        DataRequired(required),
        Length(max=MESSAGE_MAX, message=f"Keep it under {MESSAGE_MAX:,} characters."),
        Printable(allow_newlines=True)])


class QueueFilterForm(FlaskForm):
    """Filters and order for the queue (a GET form: nothing changes, so no CSRF token; the
    CSV export and the saved view resend them with the app-wide CSRF check)."""

    class Meta:
        csrf = False

    reference = StringField("Case reference", id="queue-reference",
                            validators=[Optional(), Length(max=20)])
    status = SelectField("Status", choices=STATUS_CHOICES, default="open")
    channel = SelectField("Channel", coerce=str, default="")
    urgency = SelectField("Urgency", default="", choices=[
        SelectChoice("", "Any urgency"), SelectChoice("urgent", "Urgent"),
        SelectChoice("routine", "Routine")])
    assigned = SelectField("Handler", default="", choices=[
        SelectChoice("", "Anyone"), SelectChoice("me", "Assigned to me"),
        SelectChoice("none", "Unassigned")])
    ground = SelectField("Ground", default="", choices=[SelectChoice("", "Any ground")] + [
        SelectChoice(value, text) for value, text in choices(Ground)])
    setting = SelectField("Where it happened", default="", choices=[
        SelectChoice("", "Anywhere")] + [SelectChoice(value, text)
                                         for value, text in choices(Setting)])
    since = DayField("Received from", id="queue-since", validators=[Optional()])
    until = DayField("Received until", id="queue-until", validators=[Optional()])
    sort = SelectField("Order", default="priority", choices=[
        SelectChoice("priority", "Urgent first, then the nearest deadline"),
        SelectChoice("deadline", "Nearest deadline first"),
        SelectChoice("received", "Newest received first"),
        SelectChoice("activity", "Latest activity first")])
    overdue = BooleanField("Overdue only")
    page = PageNumber("Page", default=1, validators=[Optional(), NumberRange(
        1, 100_000, message="The page must be between 1 and 100,000.")])

    def validate_reference(self, field: StringField) -> None:
        if field.data and references.normalise(field.data) is None:
            raise ValidationError("A case reference has two characters, a dash and four, "
                                  "for example NF-7K3Q.")

    def validate_until(self, field: DayField) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError("The end date must be the same as or after the start date.")

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

    reason = TextAreaField("Reason (optional, not shown to the student)", validators=[
        Length(max=500), Printable(allow_newlines=True)])


class AssignForm(VersionedForm):
    """Give the case to a colleague in its channel."""

    to = SelectField("Assign to", coerce=int)


class MessageForm(VersionedForm):
    """A message to the student."""

    text = _text("Message to the student", "Write the message first.", "message-text")
    signed = BooleanField("Sign with my name (otherwise the student sees only the team)")
    ask = BooleanField("I am waiting for the student's answer (the case shows as waiting on "
                       "them)")


class NoteForm(VersionedForm):
    """A private note for the channel's handlers."""

    text = _text("Private note (only this team can read it)", "Write the note first.", "note-text")


class OutcomeForm(VersionedForm):
    """The outcome, recorded privately, and the case resolved."""

    text = _text("Outcome (private to this team)", "Describe the outcome first.", "outcome-text")


class RerouteForm(VersionedForm):
    """Move the case to another channel."""

    channel = SelectField("Move to", coerce=int)
    reason = TextAreaField("Why (the student sees this when asked to agree)", validators=[
        DataRequired("Say why the case should move."), Length(max=400),
        Printable(allow_newlines=True)])


class DeclareConflictForm(VersionedForm):
    """Step away from a case for a conflict of interest."""

    confirm = BooleanField("The report may be about me or someone close to me, so I step "
                           "away from it for good", id="conflict-confirm", validators=[
                               DataRequired("Tick the box to confirm that you step away.")])


class ExcludeColleagueForm(VersionedForm):
    """A lead keeps a colleague off a case for a conflict of interest."""

    colleague = SelectField("Colleague to keep off", coerce=int, id="exclude-colleague")


class SettingsForm(FlaskForm):
    """How the handler wants to hear about cases that need attention."""

    notify_mode = RadioField("Emails about cases that need attention", choices=[
        SelectChoice("immediate", "One email each time, straight away"),
        SelectChoice("digest", "One summary a day (hides when cases arrive from anyone "
                               "watching my mail)")],
        validators=[InputRequired("Choose how you want to hear about cases.")])
    offers = Checkboxes("What you are willing to share with students who ask for a peer",
                        choices=[SelectChoice(v, label) for v, label in PEER_TAGS.items()])
