"""The yearly evidence pack: a page, and the same content as a PDF (services/pack/)."""

from __future__ import annotations

from pathlib import Path

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, TextAreaField

from reporting.admin.dashboard_views import year_choices
from reporting.admin.views import bp
from reporting.domain.directory import zone
from reporting.extensions import db
from reporting.services import audit
from reporting.services.pack import figures, pdf, you_said


class PackForm(FlaskForm):
    """Which academic year (the page is a GET form; the PDF posts the same field)."""

    year = SelectField(_l("Academic year"))


class YouSaidForm(FlaskForm):
    """The year's 'You said, we did' section."""

    year = HiddenField()
    body = TextAreaField(_l("What changed because of reports"))
    publish = BooleanField(_l("Publish it for students (a page anyone can read, with no sign-in)"))


def _pack(form: PackForm) -> figures.Pack:
    years = year_choices(form)
    if not form.validate():
        form.year.data = years[0]
    return figures.build(db.session, current_user.school, form.year.data)


def _page(form: PackForm, said: YouSaidForm | None = None, status: int = 200):
    pack = _pack(form)
    if said is None:
        written = pack.you_said
        said = YouSaidForm(formdata=None, year=pack.academic_year,
                           body=written.body if written else "",
                           publish=bool(written and written.published_at))
    return render_template("pack/page.html", form=form, pack=pack, said=said,
                           zone=zone(current_user.school.timezone)), status


@bp.route("/pack")
def pack_page():
    """The academic year's evidence pack, to read here or to print as a PDF."""
    return _page(PackForm(request.args, meta={"csrf": False}))


@bp.route("/pack/you-said", methods=["POST"])
def pack_you_said():
    """Save the year's 'You said, we did' (published or as a draft); a problem keeps the
    text as typed."""
    said = YouSaidForm()
    year = PackForm(formdata=None, year=said.year.data, meta={"csrf": False})
    if said.validate_on_submit():
        try:
            you_said.save(db.session, current_user, said.year.data or "", said.body.data,
                          said.publish.data)
        except you_said.InvalidSection as exc:
            db.session.rollback()
            said.body.errors = [str(exc)]
        else:
            db.session.commit()
            flash(_("'You said, we did' is published for students.") if said.publish.data
                  else _("'You said, we did' is saved as a draft."), "success")
            return redirect(url_for("admin.pack_page", year=said.year.data))
    return _page(year, said, 400)


@bp.route("/pack.pdf", methods=["POST"])  # a POST: making the pack writes an audit entry
def pack_pdf():
    """The same pack as a PDF file (made on request, audited, never stored)."""
    pack = _pack(PackForm())
    html = render_template("pack/print.html", pack=pack,
                           zone=zone(current_user.school.timezone))
    stylesheet = Path(current_app.static_folder, "css", "belong.css").read_text()
    try:
        document = pdf.print_pdf(html, stylesheet)
    except OSError:  # WeasyPrint without Pango on this server
        current_app.logger.exception("the evidence pack's PDF could not be printed")
        flash(_("This server cannot print PDFs yet (it needs Pango: see docs/deployment.md). "
                "The pack below holds the same figures."), "error")
        return redirect(url_for("admin.pack_page", year=pack.academic_year))
    audit.record(db.session, audit.school_chain(current_user.school_id),
                 f"staff:{current_user.id}", "pack.export", f"year:{pack.academic_year}")
    db.session.commit()
    name = f"belong-evidence-pack-{pack.academic_year.replace('/', '-')}.pdf"
    return current_app.response_class(
        document, mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"',
                 "Cache-Control": "no-store"})
