"""A demo school a newcomer can click through (development only)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from reporting.crypto import KdfParams
from reporting.domain.cases import Action
from reporting.domain.directory import EntryFields, Kind
from reporting.domain.report import Ground, Impact, Responsible, Setting, Urgency, Want, When
from reporting.domain.roles import Role
from reporting.models import Case, School, StaffUser
from reporting.models.base import utcnow
from reporting.services import stats
from reporting.services.casework import refresh_deadline, transition
from reporting.services.directory import create_entry
from reporting.services.reports import Draft, submit_report
from reporting.services.schools import create_school
from reporting.services.staff import create_staff

SLUG = "northfield"
ACTOR = "demo"
STAFF = [
    (Role.ADMIN, "admin", "Amara Okafor"),
    (Role.PASTORAL_OFFICER, "pastoral", "Priya Shah"),
    (Role.INSTITUTIONAL_OFFICER, "edi", "Tom Hughes"),
    (Role.PEER_SUPPORTER, "peer", "Kofi Mensah"),
]
SITE = "https://www.northfield.example"
DIRECTORY = [
    EntryFields(Kind.PEER_NETWORK, "BAME Medics", (
        "A student society for Black, Asian and minority ethnic medical students: socials, "
        "mentoring from doctors of colour, and a space to talk about placement experiences."),
        tags=("race", "religion_belief"), channels=("peer",),
        url=f"{SITE}/societies/bame-medics", email="bamemedics@northfield.example",
        hours="Drop-in every Wednesday in term, 12:30 to 2pm", creates_record=False),
    EntryFields(Kind.PEER_NETWORK, "LGBTQ+ Medics Network", (
        "Peer support and socials for lesbian, gay, bisexual, trans and queer medical students, "
        "run by students with a staff ally."),
        tags=("sexual_orientation", "gender_reassignment"), channels=("peer",),
        url=f"{SITE}/societies/lgbtq-medics", email="lgbtqmedics@northfield.example",
        creates_record=False),
    EntryFields(Kind.MENTORING, "First-generation mentoring scheme", (
        "Pairs students who are first in their family at university with a doctor or senior "
        "student who was too. Meet once a month, online or in person."),
        tags=("first_generation", "socio_economic"), channels=("peer", "pastoral"),
        url=f"{SITE}/mentoring", email="mentoring@northfield.example", creates_record=True),
    EntryFields(Kind.WELLBEING, "Student Wellbeing Service", (
        "Confidential one-to-one support from wellbeing advisers, counselling, and help "
        "arranging support on placement."),
        channels=("pastoral",), url=f"{SITE}/wellbeing", phone="0113 496 0000",
        email="wellbeing@northfield.example", hours="Monday to Friday, 9am to 5pm",
        creates_record=True),
    EntryFields(Kind.EDI_COMPLAINTS, "EDI and Complaints Office", (
        "Advice on making a formal complaint about discrimination or harassment, and how "
        "investigations work. What you tell them may be used in an investigation."),
        channels=("institutional",), url=f"{SITE}/complaints", phone="0113 496 0101",
        email="edi@northfield.example", hours="Monday to Friday, 9am to 5pm",
        confidential=False, creates_record=True),
    EntryFields(Kind.OCCUPATIONAL_HEALTH, "Occupational Health", (
        "Assessments and adjustments so you can study and work on placement safely, including "
        "during pregnancy or with a disability or long-term condition."),
        tags=("disability", "pregnancy_maternity"), channels=("pastoral",),
        phone="0113 496 0202", email="occhealth@northfield.example",
        hours="Monday to Thursday, 8:30am to 4:30pm", creates_record=True),
    EntryFields(Kind.CHAPLAINCY, "Multi-faith Chaplaincy", (
        "Chaplains of many faiths and none, a quiet room and prayer spaces, and someone to "
        "talk to in confidence."), tags=("religion_belief",), channels=("pastoral",),
        url=f"{SITE}/chaplaincy", email="chaplaincy@northfield.example",
        hours="Every day, 8am to 8pm"),
    EntryFields(Kind.HELPLINE, "Samaritans", (
        "Free, confidential support from a trained volunteer, whatever you are going through."),
        url="https://www.samaritans.org", phone="116 123", email="jo@samaritans.org",
        hours="Any time, day or night"),
    EntryFields(Kind.HELPLINE, "Student Space", (
        "Free support for students from Student Minds: information, and support by text "
        "and web chat."), url="https://studentspace.org.uk", hours="Any time"),
    EntryFields(Kind.HELPLINE, "Shout", (
        "Free, confidential text support. Text SHOUT to 85258."),
        url="https://giveusashout.org", hours="Any time, day or night"),
    EntryFields(Kind.PROFESSIONAL_BODY, "BMA wellbeing support services", (
        "Free and confidential counselling and peer support for doctors and medical students, "
        "whether or not you are a member of the BMA."),
        url="https://www.bma.org.uk/advice-and-support/your-wellbeing", phone="0330 123 1245",
        hours="Any time, day or night"),
]
CASES = [
    ("A consultant on my surgical placement keeps mocking my accent in front of patients.",
     Setting.CLINICAL_PLACEMENT, Responsible.CLINICIAN, {Ground.ACCENT_LANGUAGE, Ground.RACE},
     {Want.SUPPORT, Want.INFORMAL}, Urgency.MEDIUM, 9, [Action.ACKNOWLEDGE, Action.START]),
    ("Someone in my year posted memes about my religion in the cohort group chat.",
     Setting.ONLINE, Responsible.STUDENT, {Ground.RELIGION_BELIEF}, {Want.PEER},
     Urgency.LOW, 4, []),
    ("I was told I would not cope with surgery 'because of my condition'.",
     Setting.TEACHING, Responsible.STAFF, {Ground.DISABILITY}, {Want.FORMAL},
     Urgency.MEDIUM, 12, [Action.ACKNOWLEDGE]),
    ("A patient refused to be examined by me and my supervisor laughed.",
     Setting.CLINICAL_PLACEMENT, Responsible.PATIENT, {Ground.RACE, Ground.SEX},
     {Want.SUPPORT}, Urgency.LOW, 2, []),
    ("My flatmates keep making comments about where I grew up and how I speak.",
     Setting.ACCOMMODATION, Responsible.STUDENT, {Ground.SOCIO_ECONOMIC, Ground.ACCENT_LANGUAGE},
     {Want.PEER, Want.RECORD_ONLY}, Urgency.LOW, 20, []),
    ("I am scared to go back to placement tomorrow.",
     Setting.CLINICAL_PLACEMENT, Responsible.CLINICIAN, {Ground.SEXUAL_ORIENTATION},
     {Want.FORMAL, Want.SUPPORT}, Urgency.HIGH, 0, []),
]


@dataclass(frozen=True)
class Demo:
    """What the demo made, for printing."""

    school: School
    escrow_passphrase: str
    password: str
    staff: list[StaffUser]
    receipts: list[tuple[str, str]]


def build_demo(session: Session, *, params: KdfParams, enrolment_lifetime: timedelta,
               password: str) -> Demo:
    """Replace the demo school with a fresh one: one staff member per role, six cases."""
    session.execute(delete(School).where(School.slug == SLUG))  # database cascades do the rest
    passphrase = secrets.token_urlsafe(18)
    school = create_school(session, ACTOR, slug=SLUG, name="Northfield Medical School",
                           escrow_passphrase=passphrase, params=params,
                           urgent_contact="Northfield Student Wellbeing duty line: 0113 496 0000")
    for fields in DIRECTORY:
        create_entry(session, ACTOR, school, fields)
    staff = []
    for role, local, name in STAFF:
        user = create_staff(session, ACTOR, school, email=f"{local}@{SLUG}.example",
                            display_name=name, role=role, password=password, params=params,
                            enrolment_lifetime=enrolment_lifetime, lead=True).user
        user.totp_enrolled_at = utcnow()  # the demo prints the secret instead of a QR code
        user.enrolment_digest = user.enrolment_expires_at = None
        staff.append(user)
    receipts = []
    for narrative, setting, responsible, grounds, wants, urgency, days_ago, steps in CASES:
        submitted = submit_report(session, school, Draft(
            narrative=narrative, setting=setting, responsible=responsible, urgency=urgency,
            impact=Impact.SEVERE if urgency is Urgency.HIGH else Impact.SOME,
            grounds=frozenset(grounds), wants=frozenset(wants), not_safe=urgency is Urgency.HIGH,
            occurred_kind=When.DATE, occurred_on=date.today() - timedelta(days=days_ago + 1),
        ))
        _backdate(session, submitted.case, days_ago, steps, staff)
        receipts.append((submitted.receipt, narrative[:60]))
    return Demo(school, passphrase, password, staff, receipts)


def _backdate(session: Session, case: Case, days_ago: int, steps: list[Action],
              staff: list[StaffUser]) -> None:
    """Make a demo case look as if it arrived days ago and was worked on since."""
    start = utcnow() - timedelta(days=days_ago, hours=3)
    case.created_at = case.report.created_at = case.events[0].at = start
    handler = next(u for u in staff if case.channel_id in u.channel_ids)
    for action in steps:  # through the state machine, as a handler would
        transition(session, case, action, actor_kind="staff", actor_id=handler.id)
    for hours, event in enumerate(case.events[1:], start=1):
        event.at = start + timedelta(hours=5 * hours)
    refresh_deadline(case)
    stats.refresh(session, case)
    if steps:
        case.assignee_id = handler.id
