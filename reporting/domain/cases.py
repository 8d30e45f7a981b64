"""Case statuses and how each is described to a student and to staff."""

from __future__ import annotations

from enum import StrEnum


class CaseStatus(StrEnum):
    """Where a case is in its life."""

    SUBMITTED = "submitted"
    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "in_progress"
    AWAITING_REPORTER = "awaiting_reporter"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REOPENED = "reopened"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        """A short name for staff screens."""
        return self.value.replace("_", " ").capitalize()

    @property
    def for_student(self) -> str:
        """What the status means, said to the student."""
        return STUDENT_WORDS[self]


STUDENT_WORDS = {
    CaseStatus.SUBMITTED: "We have your report. Nobody has opened it yet.",
    CaseStatus.ACKNOWLEDGED: "Someone has read your report and will be in touch.",
    CaseStatus.IN_PROGRESS: "Someone is working on your report.",
    CaseStatus.AWAITING_REPORTER: "We have asked you something. Please read the messages below.",
    CaseStatus.RESOLVED: "We think this is resolved. You can still reply if it is not.",
    CaseStatus.CLOSED: "This report is closed.",
    CaseStatus.REOPENED: "This report has been reopened.",
    CaseStatus.WITHDRAWN: "You withdrew this report.",
}
