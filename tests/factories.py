"""Small builders for test data, through the real services."""

from __future__ import annotations

import secrets
from datetime import timedelta

import pyotp

from reporting.crypto import KdfParams
from reporting.domain.report import Ground, Impact, Responsible, Setting, Urgency, Want
from reporting.domain.roles import Role
from reporting.models import School, StaffUser
from reporting.models.base import utcnow
from reporting.services.reports import Draft, Submitted, open_receipt, submit_report
from reporting.services.schools import create_school
from reporting.services.staff import create_staff
from reporting.services.totp import secret_of, totp_key

FAST = KdfParams(time_cost=1, memory_kib=64, parallelism=1)
PASSWORD = "correct horse battery staple"
ESCROW_PASSPHRASE = "escrow passphrase for tests"
# This run's BELONG_HMAC_KEY: conftest gives it to the app, so tests can open TOTP secrets.
HMAC_KEY = secrets.token_urlsafe(32)
TOTP_KEY = totp_key({"BELONG_HMAC_KEY": HMAC_KEY})


def make_school(session, slug: str = "northfield", name: str | None = None) -> School:
    """A school with its three channels."""
    return create_school(session, "test", slug=slug, name=name or f"{slug.title()} Medical School",
                         escrow_passphrase=ESCROW_PASSPHRASE, params=FAST,
                         urgent_contact="Duty wellbeing officer: 0113 496 0000")


def make_staff(session, school: School, role: Role, *, email: str | None = None,
               enrolled: bool = True, password: str = PASSWORD,
               lead: bool = False) -> StaffUser:
    """A staff member of `school` (a lead of their channel if told); enrolled in TOTP unless
    told otherwise."""
    new = create_staff(session, "test", school,
                       email=email or f"{role.value}@{school.slug}.example",
                       display_name=role.label, role=role, password=password, params=FAST,
                       totp_key=TOTP_KEY, enrolment_lifetime=timedelta(hours=1), lead=lead)
    if enrolled:
        new.user.totp_enrolled_at = utcnow()
        new.user.enrolment_digest = new.user.enrolment_expires_at = None
    new.user.enrolment_token = new.enrolment_token  # for tests that enrol
    return new.user


def make_report(session, school: School, submission_id: str | None = None,
                repeats: str | None = None, **overrides) -> Submitted:
    """A report with sensible answers; override any Draft field. `repeats` is the submission
    id of an earlier copy the student sent again."""
    answers = dict(
        narrative="Something happened on placement.",
        setting=Setting.CLINICAL_PLACEMENT,
        responsible=Responsible.CLINICIAN,
        impact=Impact.SOME,
        urgency=Urgency.LOW,
        grounds=frozenset({Ground.RACE}),
        wants=frozenset({Want.SUPPORT}),
    )
    answers.update(overrides)
    return submit_report(session, school, Draft(**answers), submission_id, repeats)


def reporter_wrapping_key(session, school: School, receipt: str) -> bytes:
    """The key a receipt gives its holder (as returning with it would)."""
    return open_receipt(session, school, receipt).wrapping_key


def totp_secret(user: StaffUser) -> str:
    """The account's TOTP secret, opened as the app would."""
    return secret_of(TOTP_KEY, user)


def totp_code(user: StaffUser, steps_ahead: int = 0) -> str:
    """The authenticator code for now (or a later 30-second step, to avoid replay refusal)."""
    totp = pyotp.TOTP(totp_secret(user))
    return totp.at(utcnow().timestamp() + 30 * steps_ahead)
