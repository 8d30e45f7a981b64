"""What one deployment check found: a status, the check's name and what to do about it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    """How bad it is: OK, WARN (look at it) or FAIL (fix it before anyone relies on it)."""

    OK = "OK"
    WARN = "WARN"
    FAIL = "FAIL"


@dataclass(frozen=True)
class Result:
    """One line of the report. `detail` is plain English and never holds a secret."""

    name: str
    status: Status
    detail: str


class CheckError(Exception):
    """A check could not get what it needed; the message says why, in plain English."""


def ok(name: str, detail: str) -> Result:
    """A passed check."""
    return Result(name, Status.OK, detail)


def warn(name: str, detail: str) -> Result:
    """Something to look at that does not stop the install from working safely."""
    return Result(name, Status.WARN, detail)


def fail(name: str, detail: str) -> Result:
    """Something that must be fixed."""
    return Result(name, Status.FAIL, detail)


def not_checked(name: str, because: str) -> Result:
    """A check that could not run is a failure: nobody knows that it would pass."""
    return fail(name, f"not checked: {because}")
