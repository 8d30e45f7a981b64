"""A demo school a newcomer can click through (development only)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import date, time, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from reporting.crypto import KdfParams
from reporting.domain.cases import Action
from reporting.domain.directory import EntryFields, Kind
from reporting.domain.report import Ground, Impact, Responsible, Setting, Urgency, Want, When
from reporting.domain.role_models import ProfileFields
from reporting.domain.roles import Role
from reporting.domain.spaces.fields import SessionFields
from reporting.models import Case, RoleModelProfile, School, StaffUser
from reporting.models.base import utcnow
from reporting.services import stats
from reporting.services.casework import refresh_deadline, transition
from reporting.services.demo_history import add_history
from reporting.services.directory import create_entry
from reporting.services.placements.demo import add_placement_demo
from reporting.services.pulse.demo import demo_answers
from reporting.services.reports import Draft, submit_report
from reporting.services.schools import create_school
from reporting.services.spaces.sessions import create_session
from reporting.services.staff import create_staff

SLUG = "northfield"
ACTOR = "demo"
STAFF = [
    (Role.ADMIN, "admin", "Amara Okafor"),
    (Role.PASTORAL_OFFICER, "pastoral", "Priya Shah"),
    (Role.INSTITUTIONAL_OFFICER, "edi", "Tom Hughes"),
    (Role.PEER_SUPPORTER, "peer", "Kofi Mensah"),
    (Role.ROLE_MODEL, "rolemodel", "Ngozi Adeyemi"),
    (Role.ROLE_MODEL, "alumnus", "Sam Patel"),
]
ROLE_MODELS = {  # approved profiles for the two role-model volunteers, by their email's local
    "rolemodel": ProfileFields(
        "Ngozi", "Consultant", "Cardiology", ("race", "sex", "first_generation"),
        ("conversation", "mentoring", "careers"),
        "I was the first in my family to go to university, and one of few Black women in my "
        "year. I would have loved someone to ask.",
        role_title_cy="Meddyg ymgynghorol", specialty_cy="Cardioleg",
        why_cy="Fi oedd y cyntaf yn fy nheulu i fynd i’r brifysgol, ac un o’r ychydig fenywod "
               "Du yn fy mlwyddyn. Byddwn i wedi bod wrth fy modd yn cael rhywun i’w holi."),
    "alumnus": ProfileFields(
        "Sam", "Foundation doctor (Northfield alumnus)", "", ("disability", "sexual_orientation"),
        ("conversation", "shadowing"),
        "I am dyslexic and gay, and found my way through medical school with help."),
}
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
# The Welsh of some entries, so a newcomer sees both: the others show "No Welsh yet" to the
# admin, and the English, with a note, to a student reading in Welsh.
DIRECTORY_CY = {
    "Student Wellbeing Service": dict(
        name_cy="Gwasanaeth Lles Myfyrwyr",
        offers_cy="Cymorth cyfrinachol un-i-un gan gynghorwyr lles, cwnsela, a help i drefnu "
                  "cymorth ar leoliad.",
        hours_cy="Dydd Llun i ddydd Gwener, 9am i 5pm"),
    "EDI and Complaints Office": dict(
        name_cy="Swyddfa EDI a Chwynion",
        offers_cy="Cyngor ar wneud cwyn ffurfiol am wahaniaethu neu aflonyddu, a sut mae "
                  "ymchwiliadau’n gweithio. Gall yr hyn rydych chi’n ei ddweud wrthyn nhw gael "
                  "ei ddefnyddio mewn ymchwiliad.",
        hours_cy="Dydd Llun i ddydd Gwener, 9am i 5pm"),
    "Occupational Health": dict(
        name_cy="Iechyd Galwedigaethol",
        offers_cy="Asesiadau ac addasiadau er mwyn i chi allu astudio a gweithio’n ddiogel ar "
                  "leoliad, gan gynnwys yn ystod beichiogrwydd neu gydag anabledd neu gyflwr "
                  "hirdymor.",
        hours_cy="Dydd Llun i ddydd Iau, 8:30am i 4:30pm"),
    "Samaritans": dict(
        name_cy="Samariaid",
        offers_cy="Cymorth cyfrinachol am ddim gan wirfoddolwr hyfforddedig, beth bynnag rydych "
                  "chi’n mynd drwyddo.",
        hours_cy="Unrhyw bryd, ddydd neu nos"),
}
URGENT_CONTACT_CY = "Llinell ddyletswydd Lles Myfyrwyr Northfield: 0113 496 0000"
# Spaces to meet: (days from today, title, tags, online, how to join, facilitator); one past.
SESSIONS = [
    (6, "Black and Asian medics: lunch and placement stories", ("race", "religion_belief"),
     False, "Room 2.14, Worsley Building", "Dr Ade Mensah, BAME Medics"),
    (9, "First in the family: getting through clinical years", ("first_generation",
     "socio_economic"), True, "https://meet.northfield.example/first-gen", "Sam, Year 5"),
    (13, "Open evening: meet the peer supporters", (), False, "Student Hub, ground floor",
     "Kofi Mensah, peer lead"),
    (-12, "LGBTQ+ medics: coffee before exams", ("sexual_orientation", "gender_reassignment"),
     False, "The Café, Worsley Building", "LGBTQ+ Medics Network"),
]
# A session's words in Welsh too, by its English title (the others show their English).
SESSIONS_CY = {"Black and Asian medics: lunch and placement stories": dict(
    title_cy="Meddygon Du ac Asiaidd: cinio a straeon o leoliadau",
    area_cy="Campws Northfield", join_details_cy="Ystafell 2.14, Adeilad Worsley")}
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


def build_demo(session: Session, *, params: KdfParams, totp_key: bytes,
               enrolment_lifetime: timedelta, password: str) -> Demo:
    """Replace the demo school with a fresh one: one staff member per role, six cases, and
    two earlier years of anonymous statistics, four terms of the pulse, and placement
    providers with enough reports to show them unsuppressed."""
    session.execute(delete(School).where(School.slug == SLUG))  # database cascades do the rest
    passphrase = secrets.token_urlsafe(18)
    school = create_school(session, ACTOR, slug=SLUG, name="Northfield Medical School",
                           escrow_passphrase=passphrase, params=params,
                           urgent_contact="Northfield Student Wellbeing duty line: 0113 496 0000")
    school.urgent_contact_cy = URGENT_CONTACT_CY
    for fields in DIRECTORY:
        create_entry(session, ACTOR, school, replace(fields, **DIRECTORY_CY.get(fields.name, {})))
    for days, title, tags, online, join, facilitator in SESSIONS:
        space = create_session(session, ACTOR, school, SessionFields(
            title=title, tags=tags, day=date.today() + timedelta(days=abs(days)),
            starts=time(12, 30), ends=time(14), online=online, join_details=join,
            area="" if online else "Northfield campus", facilitator=facilitator,
            step_free=True, captions=online, quiet_room=not online,
            **SESSIONS_CY.get(title, {})))
        if days < 0:  # published to come, then it happened: into the archive
            space.starts_at -= timedelta(days=2 * abs(days))
            space.ends_at -= timedelta(days=2 * abs(days))
    staff = []
    for role, local, name in STAFF:
        user = create_staff(session, ACTOR, school, email=f"{local}@{SLUG}.example",
                            display_name=name, role=role, password=password, params=params,
                            totp_key=totp_key,
                            enrolment_lifetime=enrolment_lifetime, lead=True).user
        user.totp_enrolled_at = utcnow()  # the demo prints the secret instead of a QR code
        user.enrolment_digest = user.enrolment_expires_at = None
        staff.append(user)
        if local in ROLE_MODELS:
            fields = ROLE_MODELS[local]
            session.add(RoleModelProfile(
                school_id=school.id, staff_id=user.id, display_name=fields.display_name,
                role_title=fields.role_title, specialty=fields.specialty,
                tags=" ".join(fields.tags), helps=" ".join(fields.helps), why=fields.why,
                role_title_cy=fields.role_title_cy, specialty_cy=fields.specialty_cy,
                why_cy=fields.why_cy, status="approved", approved_at=utcnow()))
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
    add_history(session, school, utcnow())
    demo_answers(session, school)  # the belonging pulse, four terms of it
    add_placement_demo(session, school, lambda case, days, steps: _backdate(
        session, case, days, steps, staff))
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
