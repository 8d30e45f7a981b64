"""The pulse's forms: the student's answer (its own signed token) and the admin's items."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from reporting.domain.directory import TAG_LABELS
from reporting.domain.pulse.items import SCALE, shown
from reporting.fields import Checkboxes

ITEM = "item_{}"  # the field of one statement, by its item id


class AnswerPulseForm(FlaskForm):
    """The identities a student ticks, and the token; each school's statements are added
    by `answer_form`."""

    class Meta:
        csrf = False  # its own signed token (pulse/form_token.py): no session cookie

    token = HiddenField()
    tags = Checkboxes(
        _l("Do any of these describe you? (optional)"), validate_choice=False,
        choices=[SelectChoice(value, label) for value, label in TAG_LABELS.items()],
        description=_l("Tick any that apply, or none. It lets the school see whether some "
                       "groups feel they belong less. Small groups are never shown."))


def answer_form(items) -> type[AnswerPulseForm]:
    """The answer form of one school's statements: a radio group per item."""
    choices = [SelectChoice(str(value), label) for value, label in SCALE.items()]
    fields = {ITEM.format(item.id): RadioField(shown(item.text), choices=choices,
                                               validate_choice=False) for item in items}
    return type("AnswerSchoolPulseForm", (AnswerPulseForm,), fields)


class EditPulseItemsForm(FlaskForm):
    """The school's statements, and where they come from."""

    items = TextAreaField(_l("Statements, one on each line"),
                          description=_l("Students say how far they agree with each, from "
                                         "strongly disagree to strongly agree. Keep it short: "
                                         "at most 10."))
    source = RadioField(_l("Where do these statements come from?"), default="own", choices=[
        SelectChoice("own", _l("Our own words (or Belong's default set)")),
        SelectChoice("published", _l("A published scale"))])
    citation = StringField(_l("Citation of the published scale"),
                           description=_l("Shown to students under the pulse. Needed for a "
                                          "published scale."))
    licence = StringField(_l("Licence or permission"),
                          description=_l("For example, the licence it is published under, or "
                                         "the authors' written permission."))
