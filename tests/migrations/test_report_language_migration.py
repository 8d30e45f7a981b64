"""The report-language revision goes down and up with reports and queued emails kept."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text
from sqlalchemy.orm import Session

from reporting.extensions import db
from reporting.services.notifications import notify_reporter
from tests import factories

BELOW = "e9b3d7f1a5c8"  # the revision before b4f8c2e6a0d9


def _columns(connection, table: str) -> set[str]:
    return {column["name"] for column in inspect(connection).get_columns(table)}


def test_going_below_report_language_keeps_reports_and_emails_and_back_up_is_english(
        app, migrated):
    """Down: both columns go, every report and queued email stays. Up again: the reports
    are English (the language every report had before) and the queued email has none."""
    with Session(db.engine) as session:
        school = factories.make_school(session)
        report = factories.make_report(session, school, language="cy").report
        report.notify_email_sealed = b"sealed"
        notify_reporter(session, report)
        session.commit()
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT language FROM reports")).scalar() == "cy"
        assert connection.execute(text(
            "SELECT language FROM outbox WHERE kind = 'reply_waiting'")).scalar() == "cy"

    downgrade(revision=BELOW)
    with db.engine.connect() as connection:
        assert "language" not in _columns(connection, "reports")
        assert "language" not in _columns(connection, "outbox")
        assert connection.execute(text("SELECT count(*) FROM reports")).scalar() == 1
        assert connection.execute(text(
            "SELECT count(*) FROM outbox WHERE kind = 'reply_waiting'")).scalar() == 1

    upgrade()
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT language FROM reports")).all() == [("en",)]
        assert connection.execute(text(
            "SELECT language FROM outbox WHERE kind = 'reply_waiting'")).all() == [(None,)]
    with Session(db.engine) as session:
        later = factories.make_report(session, factories.make_school(session, slug="other"))
        session.commit()
        assert later.report.language == "en"  # a report that names no language is English
