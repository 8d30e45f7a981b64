"""Admin forms for placement providers and the rising-pattern threshold."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional

from reporting.domain.placements import NAME_MAX, THRESHOLD_MAX
from reporting.validators import Printable


class AddProviderForm(FlaskForm):
    """Add a provider (an NHS trust, a hospital, a GP practice) to the school's list."""

    name = StringField("Provider's name", validators=[
        InputRequired("Enter the provider's name."),
        Length(max=NAME_MAX, message=f"Keep the name under {NAME_MAX} characters."),
        Printable()])


class RenameProviderForm(AddProviderForm):
    """Give a provider a new name (its reports follow it)."""

    name = StringField("New name", validators=AddProviderForm.name.kwargs["validators"])


class RetireProviderForm(FlaskForm):
    """Take a provider off the report form (its reports stay counted)."""

    provider = HiddenField(validators=[InputRequired()])


class ThresholdForm(FlaskForm):
    """Reports in one term about one provider, setting or ground that trigger an alert."""

    threshold = StringField("Alert me when a term's reports about one provider, setting or "
                            "ground reach", validators=[Optional(), Length(max=len(
                                str(THRESHOLD_MAX)) + 2)])


class ExportProviderForm(FlaskForm):
    """Which provider's figures to export, and for which year."""

    provider = SelectField("Provider", validators=[InputRequired()])
    year = SelectField("Academic year", validators=[InputRequired()])
