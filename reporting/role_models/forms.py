"""The forms of role models: a volunteer's profile, a student's filter, a message, ending
and flagging a thread, and coming back with a thread's receipt."""

from __future__ import annotations

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired

from reporting.domain.directory import TAG_LABELS
from reporting.domain.role_models import FLAG_REASONS, HELP_LABELS, ProfileFields
from reporting.fields import Checkboxes

TAG_CHOICES = [SelectChoice(value, label) for value, label in TAG_LABELS.items()]
HELP_CHOICES = [SelectChoice(value, label) for value, label in HELP_LABELS.items()]


class EditProfileForm(FlaskForm):
    """A volunteer's profile, as they write it."""

    display_name = StringField(_l("The name students will see"),
                               description=_l("A first name is enough."))
    role_title = StringField(_l("What you do"), description=_l(
        "For example: Consultant, GP, Final-year student, Alumna."))
    specialty = StringField(_l("Specialty (optional)"))
    tags = Checkboxes(_l("Identities you choose to share"), choices=TAG_CHOICES,
                      validate_choice=False, description=_l(
                          "Students see only what you tick. Tick none to share none."))
    helps = Checkboxes(_l("How you are happy to help"), choices=HELP_CHOICES,
                       validate_choice=False)
    why = TextAreaField(_l("A few lines on why you volunteer (optional)"))
    # The same words in Welsh, for Welsh pages (each optional).
    role_title_cy = StringField(_l("What you do, in Welsh (optional)"),
                                description=_l("For example: Meddyg teulu, Myfyriwr blwyddyn "
                                               "olaf."), render_kw={"lang": "cy"})
    specialty_cy = StringField(_l("Specialty, in Welsh (optional)"), render_kw={"lang": "cy"})
    why_cy = TextAreaField(_l("Why you volunteer, in Welsh (optional)"))

    def to_fields(self) -> ProfileFields:
        """What was entered, for the service to check."""
        return ProfileFields(display_name=self.display_name.data or "",
                             role_title=self.role_title.data or "",
                             specialty=self.specialty.data or "",
                             tags=tuple(self.tags.data or ()),
                             helps=tuple(self.helps.data or ()), why=self.why.data or "",
                             role_title_cy=self.role_title_cy.data or "",
                             specialty_cy=self.specialty_cy.data or "",
                             why_cy=self.why_cy.data or "")


class ReadExcerptForm(FlaskForm):
    """Open what a flagger shared, with the school's escrow passphrase."""

    thread = HiddenField(validators=[InputRequired()])
    passphrase = PasswordField(_l("The school's escrow passphrase"),
                               validators=[DataRequired(_l("Enter the escrow passphrase."))])


class WithdrawProfileForm(FlaskForm):
    """Take the profile down."""


class ProfileDecisionForm(FlaskForm):
    """An admin approves or sends back one profile."""

    profile = HiddenField(validators=[InputRequired()])


class FilterRoleModelsForm(FlaskForm):
    """Identities and kinds of help (a GET form: no token, no cookie)."""

    class Meta:
        csrf = False

    tag = SelectMultipleField(_l("Identities"), validate_choice=False, choices=TAG_CHOICES,
                              description=_l("Tick any that apply to you: people who share "
                                             "the most come first."))
    help = SelectMultipleField(_l("Kind of help"), validate_choice=False, choices=HELP_CHOICES)

    def validate_tag(self, field: SelectMultipleField) -> None:
        if set(field.data or ()) - set(TAG_LABELS):
            raise ValidationError(_l("Choose from the list."))

    def validate_help(self, field: SelectMultipleField) -> None:
        if set(field.data or ()) - set(HELP_LABELS):
            raise ValidationError(_l("Choose from the list."))


class WriteForm(FlaskForm):
    """A message in a thread."""

    text = TextAreaField(_l("Your message"), validators=[DataRequired(_l("Write your message."))],
                         description=_l("Do not put your name or email here unless you want "
                                        "them to have it."))


class ThreadReceiptForm(FlaskForm):
    """Come back to a conversation with its receipt."""

    receipt = StringField(_l("Your receipt"),
                          validators=[DataRequired(_l("Enter your receipt."))])


class EndThreadForm(FlaskForm):
    """End the conversation, after saying so."""

    confirm = BooleanField(_l("I want to end this conversation"), id="end-confirm",
                           validators=[DataRequired(_l(
                               "Tick the box to end the conversation."))])


class FlagThreadForm(FlaskForm):
    """Ask an admin to look at the conversation (they see its dates, not its words)."""

    reason = SelectField(
        _l("Why are you flagging it?"),
        choices=[SelectChoice("", _l("Choose a reason"))] + [
            SelectChoice(value, label) for value, label in FLAG_REASONS.items()],
        validators=[DataRequired(_l("Choose why you are flagging this conversation."))])
    excerpt = TextAreaField(
        _l("What to show the admin (optional)"),
        description=_l("The admin sees nothing of the conversation itself. If you want them "
                       "to read part of it, copy it here: only the school's admins can open "
                       "it."))


THREAD_FORMS = {"write": WriteForm, "end": EndThreadForm, "flag": FlagThreadForm}


def thread_forms(**given: FlaskForm) -> dict[str, FlaskForm]:
    """A thread page's three forms, empty unless one is given (it keeps what was typed)."""
    return {f"{action}_form": form(formdata=None) for action, form in THREAD_FORMS.items()} \
        | given


def posted_thread_form() -> tuple[str, FlaskForm]:
    """The action a thread page posted and its form, read from the request (KeyError for
    an action no page offers)."""
    action = request.form.get("action", "")
    return action, THREAD_FORMS[action]()
