"""Form fields shared by the student, staff and admin pages."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import DateField, IntegerField, SelectField, SelectMultipleField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget, Select

FIRST_YEAR, LAST_YEAR = 2000, 2100


class Checkboxes(SelectMultipleField):
    """Several choices as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class QuickSelect(Select):
    """WTForms' drop-down, each plain option written in one step. WTForms builds every
    option's attributes through `html_params` (a sort and a Markup.format per attribute): the
    queue's seven drop-downs (44 options) took 1.2 ms a page, and take 0.8 ms so. The HTML is
    the same, byte for byte (tests/unit/test_fields.py); an option with attributes of its own,
    or a value that is not a plain string (Markup keeps its quotes), is left to WTForms."""

    @classmethod
    def render_option(cls, choice: SelectChoice, **kwargs) -> Markup:
        if kwargs or choice.render_kw or type(choice.value) is not str:
            return super().render_option(choice, **kwargs)
        selected = "selected " if choice.selected else ""
        value, label = escape(choice.value), escape(choice.label or choice.value)
        return Markup(f'<option {selected}value="{value}">{label}</option>')  # noqa: S704 (escaped)


class QuickSelectField(SelectField):
    """A SelectField drawn by QuickSelect, for a page with many drop-downs (the queue)."""

    widget = QuickSelect()


class DayField(DateField):
    """A date within Belong's years, with plain messages for anything else."""

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(_("Enter a real date, for example 2026-03-01.")) from exc

    def pre_validate(self, form: FlaskForm) -> None:
        if self.data and not FIRST_YEAR <= self.data.year <= LAST_YEAR:
            raise ValidationError(_("Enter a date between %(first)s and %(last)s.",
                                    first=FIRST_YEAR, last=LAST_YEAR))


class PageNumber(IntegerField):
    """Which page of the results (a plain message if it is not a number)."""

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(_("The page must be a whole number, for example 2.")) from exc


def show_problems(form: FlaskForm, error: Exception) -> None:
    """Put a service's reasons on the form: by field where it names one (`problems`),
    otherwise above the form."""
    for name, message in getattr(error, "problems", {"": str(error)}).items():
        field = form._fields.get(name)
        (field.errors if field is not None else form.form_errors).append(message)
