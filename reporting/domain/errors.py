"""Domain exceptions raised by services and turned into messages by views."""


class BelongError(Exception):
    """Base class for errors a view can explain to a person."""


class InvalidCredentials(BelongError):
    """The email and password do not match an active account (never says which)."""


class InvalidSecondFactor(BelongError):
    """The authenticator code is wrong, expired or already used."""


class InvalidReceipt(BelongError):
    """The receipt does not open a report (never says why)."""


class InvalidEnrolment(BelongError):
    """The enrolment link is unknown, used or expired."""


class Conflict(BelongError):
    """The request clashes with what is already stored (a duplicate name, for example)."""
