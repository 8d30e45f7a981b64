"""The report form: one WTForms form walked in steps, every answer carried along.

Nothing is stored until the student sends the report: answers from earlier steps
travel in hidden fields, so going back, a failed check or an expired CSRF token
never loses what they typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    MultipleFileField,
    RadioField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from reporting.domain import report as answers
from reporting.domain.addresses import one_address
from reporting.domain.numbers import whole_number
from reporting.domain.placements import NO_SUCH_PROVIDER, NOT_SAID
from reporting.domain.report import (
    ALSO_ASKED,
    IDENTITY_FIELDS,
    PROVIDER_QUESTION,
    QUESTIONS,
    Ground,
    Impact,
    Responsible,
    Setting,
    Urgency,
    Want,
    When,
)
from reporting.domain.roles import CHANNEL_LABELS, ChannelKind
from reporting.domain.routing import Answers
from reporting.fields import Checkboxes
from reporting.services.evidence import CleanFile
from reporting.services.reports import Draft
from reporting.validators import Printable

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def options(pairs: list[tuple[str, str]]) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


def pick(enum) -> list[SelectChoice]:
    """An answer enum's members as WTForms choices with their plain-language labels."""
    return options(answers.choices(enum))


RATHER_NOT_SAY = SelectChoice(NOT_SAID, _l("I'd rather not say"))
CHANNELS = options([(kind.value, label) for kind, label in CHANNEL_LABELS.items()])


class ReportForm(FlaskForm):
    """Every question of a report; each step validates its own."""

    class Meta:
        csrf = True

    submission_id = HiddenField()
    # The submission id of an earlier copy whose receipt never reached the student: this
    # send repeats it (reporting/student/issued.py).
    repeats = HiddenField()
    safe = RadioField(_l("Are you safe right now?"), choices=options([
        ("yes", _l("Yes, I am safe right now")), ("no", _l("No, I am not safe right now"))]),
        validators=[InputRequired(_l("Tell us whether you are safe right now."))])
    narrative = TextAreaField(_l("What happened?"), validators=[
        InputRequired(_l("Tell us what happened, in your own words.")),
        Length(max=answers.NARRATIVE_MAX,
               message=_l("Keep this under %(max)s characters.",
                          max=f"{answers.NARRATIVE_MAX:,}")),
        Printable(allow_newlines=True)])
    occurred_kind = RadioField(QUESTIONS["occurred"], choices=pick(When),
                               validators=[InputRequired(_l("Tell us roughly when it "
                                                            "happened."))])
    occurred_date = StringField(_l("Date"), validators=[Optional(), Length(max=10)])
    occurred_month = StringField(_l("Month"), validators=[Optional(), Length(max=7)])
    setting = RadioField(QUESTIONS["setting"], choices=pick(Setting),
                         validators=[InputRequired(_l("Choose where it happened."))])
    # The school's current providers, set by offer_providers (report_views.py); checked
    # against them, so another school's, a retired one or nonsense gets a clear message.
    provider = RadioField(PROVIDER_QUESTION, default=NOT_SAID, choices=[RATHER_NOT_SAY],
                          validate_choice=False, validators=[Optional()])
    responsible = RadioField(QUESTIONS["responsible"], choices=pick(Responsible),
                             validators=[InputRequired(_l("Choose who was responsible, or 'I "
                                                          "don't know'."))])
    works_in = RadioField(ALSO_ASKED["works_in"],
                          default="", choices=[SelectChoice("", _l("No, or I don't know")),
                                               *CHANNELS],
                          validators=[Optional()])
    grounds = Checkboxes(QUESTIONS["grounds"], choices=pick(Ground),
                         validators=[InputRequired(_l("Choose at least one, or 'Something "
                                                      "else'."))])
    other_ground = StringField(ALSO_ASKED["other_ground"], validators=[
        Length(max=answers.OTHER_GROUND_MAX,
               message=_l("Keep this under %(max)s characters.",
                          max=answers.OTHER_GROUND_MAX)),
        Printable()])
    impact = RadioField(QUESTIONS["impact"], choices=pick(Impact),
                        validators=[InputRequired(_l("Choose how much it is affecting you."))])
    urgency = RadioField(QUESTIONS["urgency"], choices=pick(Urgency),
                         validators=[InputRequired(_l("Choose how soon you would like a "
                                                      "reply."))])
    wants = Checkboxes(QUESTIONS["wants"], choices=pick(Want),
                       validators=[InputRequired(_l("Choose at least one."))])
    identity = RadioField(_l("Do you want to give your name?"), choices=options([
        ("anonymous", _l("No, stay anonymous")), ("named", _l("Yes, give my name"))]),
        validators=[InputRequired(_l("Choose whether to give your name."))])
    name = StringField(_l("Your name"), validators=[
        Length(max=answers.NAME_MAX), Printable()])
    student_id = StringField(_l("Student number (optional)"), validators=[
        Length(max=answers.STUDENT_ID_MAX), Printable()])
    contact = StringField(_l("Email or phone (optional)"), validators=[
        Length(max=answers.CONTACT_MAX), Printable()])
    notify_me = BooleanField(_l("Email me when there is a reply. The email says only that a "
                                "reply is waiting, never what it says."))
    share_identity_with = Checkboxes(_l("Who may see your name and contact details?"),
                                     choices=CHANNELS, validators=[Optional()])
    chosen_channel = RadioField(_l("Who should handle your report?"), choices=CHANNELS,
                                validators=[InputRequired(_l("Choose who should handle your "
                                                             "report."))])
    # The second team the review step told the student would share the report, if any:
    # the report is never shared with a team the student was not shown.
    also_shown = HiddenField()
    files = MultipleFileField(_l("Files (optional)"))

    # None: the school's list could not be read (the database is gone), so nothing is
    # refused for it; the send itself checks again.
    offered: frozenset[str] | None = None

    def offer_providers(self, providers: list[tuple[str, str]] | None) -> None:
        """Ask about these (id, name) providers; None when the list cannot be read."""
        if providers is None:
            return
        self.provider.choices = [RATHER_NOT_SAY, *options(providers)]
        self.offered = frozenset(value for value, _ in providers)

    def validate_provider(self, field) -> None:
        if (self.setting.data == Setting.CLINICAL_PLACEMENT and field.data
                and self.offered is not None and field.data not in self.offered):
            field.data = NOT_SAID  # shown unchosen, with the message
            raise ValidationError(NO_SUCH_PROVIDER)

    def validate_occurred_date(self, field) -> None:
        if self.occurred_kind.data == When.DATE:
            parse_date(field.data)

    def validate_occurred_month(self, field) -> None:
        if self.occurred_kind.data == When.MONTH:
            parse_month(field.data)

    def validate_other_ground(self, field) -> None:
        if Ground.OTHER in (self.grounds.data or []) and not (field.data or "").strip():
            raise ValidationError(_l("Tell us briefly what 'something else' is."))

    def validate_notify_me(self, field) -> None:
        if field.data and (self.identity.data != "named"
                           or one_address(self.contact.data) is None):
            raise ValidationError(_l("To get reply emails, give your name and an email "
                                     "address above (one address, like name@example.ac.uk), "
                                     "or untick this."))

    def validate_name(self, field) -> None:
        if self.identity.data == "named" and not (field.data or "").strip():
            raise ValidationError(_l("Enter your name, or choose to stay anonymous."))


def parse_date(text: str | None) -> date:
    """A past date typed as YYYY-MM-DD (what a date input sends)."""
    try:
        value = date.fromisoformat((text or "").strip())
    except ValueError:
        raise ValidationError(_l("Enter the date as day, month and year, like "
                                 "2026-03-14.")) from None
    if not date(1990, 1, 1) <= value <= date.today():
        raise ValidationError(_l("The date must be in the past."))
    return value


def parse_month(text: str | None) -> date:
    """A past month typed as YYYY-MM, stored as its first day."""
    match = MONTH.match((text or "").strip())
    try:
        value = date(int(match.group(1)), int(match.group(2)), 1) if match else None
    except ValueError:
        value = None
    if value is None:
        raise ValidationError(_l("Enter the month as year and month, like 2026-03."))
    if not date(1990, 1, 1) <= value <= date.today():
        raise ValidationError(_l("The month must be in the past."))
    return value


@dataclass(frozen=True)
class Step:
    """One page of the form: its name, title and the fields it asks."""

    name: str
    title: str
    fields: tuple[str, ...]


STEPS = (
    Step("safety", _l("Are you safe?"), ("safe",)),
    Step("what", _l("What happened"), ("narrative", "occurred_kind", "occurred_date",
                                       "occurred_month", "setting", "provider",
                                       "responsible", "works_in")),
    Step("about", _l("What it was about"), ("grounds", "other_ground", "impact", "urgency")),
    Step("wishes", _l("What you would like"), ("wants", "identity", "name", "student_id",
                                               "contact", "notify_me",
                                               "share_identity_with")),
    Step("review", _l("Check and send"), ("chosen_channel", "files")),
)
STEP_NAMES = [step.name for step in STEPS]


def step_named(name: str | None) -> Step:
    """The step with this name, or the first."""
    return STEPS[STEP_NAMES.index(name)] if name in STEP_NAMES else STEPS[0]


def validate_step(form: ReportForm, step: Step) -> bool:
    """Run the validators of one step's fields (and its cross-field checks)."""
    ok = True
    for name in step.fields:
        field = form[name]
        inline = getattr(type(form), f"validate_{name}", None)  # called as (form, field)
        extra = [inline] if inline else []
        ok = field.validate(form, extra) and ok
    return ok


def first_unanswered(form: ReportForm, step: Step) -> Step | None:
    """The first step before `step` with an answer missing or invalid (its errors set)."""
    return next((earlier for earlier in STEPS[:STEPS.index(step)]
                 if not validate_step(form, earlier)), None)


def channel_kinds(values: list[str] | None) -> frozenset[ChannelKind]:
    """Channel kinds from checkbox values."""
    return frozenset(ChannelKind(v) for v in values or [])


def routing_answers(form: ReportForm) -> Answers:
    """What routing needs, from a form whose earlier steps are valid."""
    return Answers(wants=frozenset(Want(w) for w in form.wants.data or []),
                   urgency=Urgency(form.urgency.data), not_safe=form.safe.data == "no",
                   setting=Setting(form.setting.data),
                   responsible=Responsible(form.responsible.data),
                   grounds=frozenset(Ground(g) for g in form.grounds.data or []),
                   named=form.identity.data == "named", avoid=works_in(form))


def works_in(form: ReportForm) -> ChannelKind | None:
    """The team the student said the person responsible may work in, if any."""
    return ChannelKind(form.works_in.data) if form.works_in.data else None


def to_draft(form: ReportForm, files: tuple[CleanFile, ...],
             notify_address_sealed: bytes | None = None) -> Draft:
    """The validated answers as a Draft for the reports service."""
    kind = When(form.occurred_kind.data)
    occurred_on = (parse_date(form.occurred_date.data) if kind is When.DATE
                   else parse_month(form.occurred_month.data) if kind is When.MONTH else None)
    named = form.identity.data == "named"
    identity = {name: (form[name].data or "").strip() for name in IDENTITY_FIELDS} if named else {}
    route_answers = routing_answers(form)
    return Draft(
        narrative=form.narrative.data.strip(),
        setting=Setting(form.setting.data),
        responsible=Responsible(form.responsible.data),
        impact=Impact(form.impact.data),
        urgency=route_answers.urgency,
        grounds=frozenset(Ground(g) for g in form.grounds.data),
        wants=route_answers.wants,
        occurred_kind=kind,
        occurred_on=occurred_on,
        other_ground=(form.other_ground.data or "").strip(),
        not_safe=route_answers.not_safe,
        identity={k: v for k, v in identity.items() if v},
        share_identity_with=channel_kinds(form.share_identity_with.data) if named else frozenset(),
        works_in=route_answers.avoid,
        chosen_channel=ChannelKind(form.chosen_channel.data),
        also_shown=frozenset(k for k in ChannelKind if k.value == form.also_shown.data),
        files=files,
        notify_address_sealed=notify_address_sealed if named else None,
        provider_id=provider_id(form),
    )


def provider_id(form: ReportForm) -> int | None:
    """The provider chosen, for a clinical placement only (None: "I'd rather not say")."""
    if form.setting.data != Setting.CLINICAL_PLACEMENT or not form.provider.data:
        return None
    return whole_number(form.provider.data) or 0  # 0 is never an id: refused when sent
