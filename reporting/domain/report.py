"""The structured answers of a report: the choices a student picks from.

Routing and statistics use only these, never free text.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from reporting.domain import words
from reporting.domain.roles import ChannelKind
from reporting.domain.words import N_, LazyText


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


LABELS: dict[StrEnum, LazyText] = {
    Setting.CLINICAL_PLACEMENT: N_("Clinical placement"),
    Setting.TEACHING: N_("Teaching (lecture, seminar, lab)"),
    Setting.CAMPUS: N_("Elsewhere on campus"),
    Setting.ACCOMMODATION: N_("Accommodation"),
    Setting.ONLINE: N_("Online or on social media"),
    Setting.SOCIAL: N_("A social event"),
    Setting.OTHER: N_("Somewhere else"),
    Responsible.STAFF: N_("A member of staff"),
    Responsible.CLINICIAN: N_("A clinician or supervisor on placement"),
    Responsible.STUDENT: N_("Another student"),
    Responsible.PATIENT: N_("A patient"),
    Responsible.PUBLIC: N_("A member of the public"),
    Responsible.UNKNOWN: N_("I don't know or I'd rather not say"),
    Ground.AGE: N_("Age"),
    Ground.DISABILITY: N_("Disability"),
    Ground.GENDER_REASSIGNMENT: N_("Gender reassignment"),
    Ground.MARRIAGE_CIVIL_PARTNERSHIP: N_("Marriage or civil partnership"),
    Ground.PREGNANCY_MATERNITY: N_("Pregnancy or maternity"),
    Ground.RACE: N_("Race, ethnicity or nationality"),
    Ground.RELIGION_BELIEF: N_("Religion or belief"),
    Ground.SEX: N_("Sex"),
    Ground.SEXUAL_ORIENTATION: N_("Sexual orientation"),
    Ground.SOCIO_ECONOMIC: N_("Socio-economic background"),
    Ground.ACCENT_LANGUAGE: N_("Accent or language"),
    Ground.CARING: N_("Caring responsibilities"),
    Ground.OTHER: N_("Something else"),
    Want.PEER: N_("Talk to a student who has been through something similar"),
    Want.SUPPORT: N_("Support and advice"),
    Want.INFORMAL: N_("Sort it out informally"),
    Want.FORMAL: N_("Make a formal complaint or ask for an investigation"),
    Want.RECORD_ONLY: N_("Only put it on record"),
    When.DATE: N_("On a particular day"),
    When.MONTH: N_("Around a month I can name"),
    When.PERIOD: N_("Over a period of time, or more than once"),
    When.UNSURE: N_("I am not sure, or I'd rather not say"),
    Impact.LITTLE: N_("A little"),
    Impact.SOME: N_("Quite a lot"),
    Impact.SEVERE: N_("Severely: it is affecting my health, studies or placement"),
    Urgency.LOW: N_("It can wait"),
    Urgency.MEDIUM: N_("I would like a reply soon"),
    Urgency.HIGH: N_("It is urgent"),
}


# The questions as the report form asks them: its labels, and every page that gives the
# answers back in the student's own words.
QUESTIONS = {
    "occurred": N_("When did it happen?"),
    "setting": N_("Where did it happen?"),
    "responsible": N_("Who was responsible?"),
    "grounds": N_("What do you think it was about?"),
    "impact": N_("How much is it affecting you?"),
    "urgency": N_("How soon would you like a reply?"),
    "wants": N_("What would you like to happen?"),
}


# Two more questions of the form, optional, whose answers are sealed with the narrative.
ALSO_ASKED = {
    "works_in": N_("Might the person responsible work in one of these teams?"),
    "other_ground": N_("Something else (optional detail)"),
}

# Asked only about a clinical placement, and only if the school keeps a list of providers.
PROVIDER_QUESTION = N_("Which placement provider was it?")


def answers_told(*, occurred_kind: str, occurred_on: date | None, setting: str,
                 responsible: str, grounds: list[str], impact: str, urgency: str,
                 wants: list[str], works_in: str = "", other_ground: str = "",
                 provider: str = "") -> list[tuple[str, str]]:
    """Each structured answer as (the question asked, the words the student picked, in the
    form's order); with the team the person may work in and the student's own "something
    else" when given."""
    when = label(When(occurred_kind))
    if occurred_on and occurred_kind == When.DATE:
        when += f" ({words.day_month_year(occurred_on)})"
    elif occurred_on and occurred_kind == When.MONTH:
        when += f" ({words.month_year(occurred_on)})"
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
    return [(str(asked[name]), picked[name]) for name in order if name in picked]


def label(choice: StrEnum) -> str:
    """The plain-language label of any answer, in the page's language."""
    return str(LABELS[choice])


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
