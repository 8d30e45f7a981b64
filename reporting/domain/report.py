"""The structured answers of a report: the choices a student picks from.

Routing and statistics use only these, never free text.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from reporting.domain.roles import ChannelKind


class Setting(StrEnum):
    """Where it happened."""

    CLINICAL_PLACEMENT = "clinical_placement"
    TEACHING = "teaching"
    CAMPUS = "campus"
    ACCOMMODATION = "accommodation"
    ONLINE = "online"
    SOCIAL = "social"
    OTHER = "other"


class Responsible(StrEnum):
    """Who was responsible, by role only."""

    STAFF = "staff"
    CLINICIAN = "clinician"
    STUDENT = "student"
    PATIENT = "patient"
    PUBLIC = "public"
    UNKNOWN = "unknown"


class Ground(StrEnum):
    """Grounds: the nine Equality Act 2010 characteristics plus those the study found."""

    AGE = "age"
    DISABILITY = "disability"
    GENDER_REASSIGNMENT = "gender_reassignment"
    MARRIAGE_CIVIL_PARTNERSHIP = "marriage_civil_partnership"
    PREGNANCY_MATERNITY = "pregnancy_maternity"
    RACE = "race"
    RELIGION_BELIEF = "religion_belief"
    SEX = "sex"
    SEXUAL_ORIENTATION = "sexual_orientation"
    SOCIO_ECONOMIC = "socio_economic"
    ACCENT_LANGUAGE = "accent_language"
    CARING = "caring"
    OTHER = "other"


# Each ground's bit in a statistics row's `ground_bits` (models/stats.py), so the dashboard
# counts grounds without joining a table of them. Stored, so fixed for good: a new ground
# takes the next free bit and no bit is ever reused (migration d1a7c3e5b9f2 backfilled with
# this same table, and tests/unit/test_report.py holds them together).
GROUND_BITS: dict[Ground, int] = {
    Ground.AGE: 1 << 0, Ground.DISABILITY: 1 << 1, Ground.GENDER_REASSIGNMENT: 1 << 2,
    Ground.MARRIAGE_CIVIL_PARTNERSHIP: 1 << 3, Ground.PREGNANCY_MATERNITY: 1 << 4,
    Ground.RACE: 1 << 5, Ground.RELIGION_BELIEF: 1 << 6, Ground.SEX: 1 << 7,
    Ground.SEXUAL_ORIENTATION: 1 << 8, Ground.SOCIO_ECONOMIC: 1 << 9,
    Ground.ACCENT_LANGUAGE: 1 << 10, Ground.CARING: 1 << 11, Ground.OTHER: 1 << 12,
}


def ground_bits(grounds) -> int:
    """The bits of a set of grounds (strings or Ground members)."""
    return sum(GROUND_BITS[Ground(g)] for g in set(grounds))


def grounds_of(bits: int) -> list[Ground]:
    """The grounds whose bits are set, in the enum's order."""
    return [ground for ground, bit in GROUND_BITS.items() if bits & bit]


class Want(StrEnum):
    """What the student wants to happen; several may apply."""

    PEER = "peer"
    SUPPORT = "support"
    INFORMAL = "informal"
    FORMAL = "formal"
    RECORD_ONLY = "record_only"


class When(StrEnum):
    """How precisely the student can say when it happened."""

    DATE = "date"
    MONTH = "month"
    PERIOD = "period"
    UNSURE = "unsure"


class Impact(StrEnum):
    """How much it is affecting the student."""

    LITTLE = "little"
    SOME = "some"
    SEVERE = "severe"


class Urgency(StrEnum):
    """How urgent it feels to the student."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


LABELS: dict[StrEnum, str] = {
    Setting.CLINICAL_PLACEMENT: "Clinical placement",
    Setting.TEACHING: "Teaching (lecture, seminar, lab)",
    Setting.CAMPUS: "Elsewhere on campus",
    Setting.ACCOMMODATION: "Accommodation",
    Setting.ONLINE: "Online or on social media",
    Setting.SOCIAL: "A social event",
    Setting.OTHER: "Somewhere else",
    Responsible.STAFF: "A member of staff",
    Responsible.CLINICIAN: "A clinician or supervisor on placement",
    Responsible.STUDENT: "Another student",
    Responsible.PATIENT: "A patient",
    Responsible.PUBLIC: "A member of the public",
    Responsible.UNKNOWN: "I don't know or I'd rather not say",
    Ground.AGE: "Age",
    Ground.DISABILITY: "Disability",
    Ground.GENDER_REASSIGNMENT: "Gender reassignment",
    Ground.MARRIAGE_CIVIL_PARTNERSHIP: "Marriage or civil partnership",
    Ground.PREGNANCY_MATERNITY: "Pregnancy or maternity",
    Ground.RACE: "Race, ethnicity or nationality",
    Ground.RELIGION_BELIEF: "Religion or belief",
    Ground.SEX: "Sex",
    Ground.SEXUAL_ORIENTATION: "Sexual orientation",
    Ground.SOCIO_ECONOMIC: "Socio-economic background",
    Ground.ACCENT_LANGUAGE: "Accent or language",
    Ground.CARING: "Caring responsibilities",
    Ground.OTHER: "Something else",
    Want.PEER: "Talk to a student who has been through something similar",
    Want.SUPPORT: "Support and advice",
    Want.INFORMAL: "Sort it out informally",
    Want.FORMAL: "Make a formal complaint or ask for an investigation",
    Want.RECORD_ONLY: "Only put it on record",
    When.DATE: "On a particular day",
    When.MONTH: "Around a month I can name",
    When.PERIOD: "Over a period of time, or more than once",
    When.UNSURE: "I am not sure, or I'd rather not say",
    Impact.LITTLE: "A little",
    Impact.SOME: "Quite a lot",
    Impact.SEVERE: "Severely: it is affecting my health, studies or placement",
    Urgency.LOW: "It can wait",
    Urgency.MEDIUM: "I would like a reply soon",
    Urgency.HIGH: "It is urgent",
}


# The questions as the report form asks them: its labels, and every page that gives the
# answers back in the student's own words.
QUESTIONS = {
    "occurred": "When did it happen?",
    "setting": "Where did it happen?",
    "responsible": "Who was responsible?",
    "grounds": "What do you think it was about?",
    "impact": "How much is it affecting you?",
    "urgency": "How soon would you like a reply?",
    "wants": "What would you like to happen?",
}


# Two more questions of the form, optional, whose answers are sealed with the narrative.
ALSO_ASKED = {
    "works_in": "Might the person responsible work in one of these teams?",
    "other_ground": "Something else (optional detail)",
}

# Asked only about a clinical placement, and only if the school keeps a list of providers.
PROVIDER_QUESTION = "Which placement provider was it?"


def answers_told(*, occurred_kind: str, occurred_on: date | None, setting: str,
                 responsible: str, grounds: list[str], impact: str, urgency: str,
                 wants: list[str], works_in: str = "", other_ground: str = "",
                 provider: str = "") -> list[tuple[str, str]]:
    """Each structured answer as (the question asked, the words the student picked, in the
    form's order); with the team the person may work in and the student's own "something
    else" when given."""
    when = label(When(occurred_kind))
    if occurred_on and occurred_kind == When.DATE:
        when += f" ({occurred_on.day} {occurred_on:%B %Y})"
    elif occurred_on and occurred_kind == When.MONTH:
        when += f" ({occurred_on:%B %Y})"
    picked = {"occurred": when, "setting": label(Setting(setting)),
              "responsible": label(Responsible(responsible)),
              "grounds": "; ".join(label(g) for g in Ground if g in set(grounds)),
              "impact": label(Impact(impact)), "urgency": label(Urgency(urgency)),
              "wants": "; ".join(label(w) for w in Want if w in set(wants))}
    if works_in:
        picked["works_in"] = ChannelKind(works_in).label
    if other_ground:
        picked["other_ground"] = other_ground
    if provider and setting == Setting.CLINICAL_PLACEMENT:
        picked["provider"] = provider
    order = ["occurred", "setting", "provider", "responsible", "works_in", "grounds",
             "other_ground", "impact", "urgency", "wants"]
    asked = QUESTIONS | ALSO_ASKED | {"provider": PROVIDER_QUESTION}
    return [(asked[name], picked[name]) for name in order if name in picked]


def label(choice: StrEnum) -> str:
    """The plain-language label of any answer."""
    return LABELS[choice]


def choices(enum: type[StrEnum]) -> list[tuple[str, str]]:
    """(value, label) pairs for a form field."""
    return [(member.value, LABELS[member]) for member in enum]


# Limits shown to the student before they reach them.
NARRATIVE_MAX = 10_000
OTHER_GROUND_MAX = 200
NAME_MAX = 120
STUDENT_ID_MAX = 40
CONTACT_MAX = 254
MESSAGE_MAX = 5_000
IDENTITY_FIELDS = ("name", "student_id", "contact")
