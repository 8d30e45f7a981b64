"""The admin's routing-rule editor: write, preview on example answers, save a new version."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from reporting.admin.views import bp
from reporting.domain.routing import RuleErrors, lacking_welsh, parse, route
from reporting.extensions import db
from reporting.services import routing_rules
from reporting.student.report_form import ReportForm, routing_answers
from reporting.validators import Printable

EXAMPLE_FIELDS = ("safe", "setting", "responsible", "grounds", "urgency", "wants", "identity")


class RulesForm(FlaskForm):
    """The rule set as text."""

    source = TextAreaField(_l("Rules, one per line, tried in order"), validators=[
        DataRequired(_l("Write at least the 'otherwise' rule.")), Length(max=20_000),
        Printable(allow_newlines=True)])


class ExampleForm(ReportForm):
    """Example answers to preview the rules on: the report form's own questions."""

    class Meta:
        csrf = False


def _example_decision(rules) -> tuple[ExampleForm, object]:
    """The example answers given (or a default), and what the rules decide for them."""
    example = ExampleForm(request.form if request.method == "POST" else None,
                          prefix="example")
    for name in EXAMPLE_FIELDS:
        example[name].validate(example)
    if any(example[name].errors for name in EXAMPLE_FIELDS) or request.method == "GET":
        return example, None
    return example, route(routing_answers(example), rules)


@bp.route("/routing", methods=["GET", "POST"])
def routing():
    """Edit the routing rules; 'Preview' tries them, 'Save' stores a new version."""
    form = RulesForm(source=routing_rules.current_source(db.session, current_user.school))
    problems, decision, example = [], None, ExampleForm(formdata=None, prefix="example")
    if form.validate_on_submit():
        try:
            rules = parse(form.source.data)
        except RuleErrors as errors:
            problems = errors.problems
        else:
            if request.form.get("action") == "save":
                try:
                    saved = routing_rules.save_rules(db.session, current_user,
                                                     current_user.school, form.source.data)
                    db.session.commit()
                except IntegrityError:  # another admin saved a version at the same moment
                    db.session.rollback()
                    problems = [_("Someone else saved the rules at the same moment. Check the "
                                  "latest version below, then save again.")]
                    return _page(form, problems, None, example), 409
                flash(_("Version %(number)s of the rules is now in force.",
                        number=saved.version), "success")
                return redirect(url_for("admin.routing"))
            example, decision = _example_decision(rules)
    return _page(form, problems, decision, example), 400 if problems else 200


def _page(form: RulesForm, problems: list[str], decision, example: ExampleForm) -> str:
    return render_template(
        "admin/routing.html", form=form, problems=problems, decision=decision, example=example,
        no_welsh=lacking_welsh(form.source.data or ""),
        history=routing_rules.history(db.session, current_user.school),
        override=routing_rules.override_rate(db.session, current_user.school))
