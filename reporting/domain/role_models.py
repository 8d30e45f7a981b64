"""Role models' vocabulary and rules: how volunteers help, what a profile may say, and
what a thread allows. Plain functions forms and services share."""

from __future__ import annotations

from dataclasses import dataclass, replace

from reporting.domain.directory import TAG_LABELS, text_problem
from reporting.domain.errors import BelongError

HELP_LABELS = {
    "conversation": "A conversation",
    "mentoring": "Mentoring",
    "shadowing": "Shadowing",
    "careers": "Careers advice",
}
FLAG_REASONS = {
    "unkind": "Unkind, hostile or discriminatory",
    "unsafe": "Someone may not be safe",
    "boundaries": "Asked for something beyond what the scheme is for",
    "spam": "Spam or nonsense",
    "other": "Something else",
}
NAME_MAX = 60
ROLE_MAX = 120
SPECIALTY_MAX = 120
WHY_MAX = 800
MESSAGE_MAX = 4000
SIDES = ("student", "volunteer")


class InvalidProfile(BelongError):
    """A profile's fields break the rules; `problems` maps field to message."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(problems.values()))
        self.problems = problems


class ProfileNotFound(BelongError):
    """No such approved profile at this school (another school's are not there)."""


class NotAllowed(BelongError):
    """This account may not do that (only a school's volunteers and admins may)."""


class KeyReplaced(BelongError):
    """The volunteer's key pair changed (a reset) after the thread began: it cannot open."""


class ThreadEnded(BelongError):
    """The thread was ended by one side: no more messages."""


class InvalidMessage(BelongError):
    """A message that is empty, too long or holds hidden control characters."""


@dataclass(frozen=True)
class ProfileFields:
    """Everything a profile says."""

    display_name: str
    role_title: str
    specialty: str = ""
    tags: tuple[str, ...] = ()
    helps: tuple[str, ...] = ()
    why: str = ""


def _length(value: str, limit: int, what: str) -> str | None:
    return f"Keep {what} under {limit:,} characters." if len(value) > limit else None


def normalise(fields: ProfileFields) -> ProfileFields:
    """Trimmed text, one kind of line break, tags and help kinds in the lists' order."""
    why = fields.why.replace("\r\n", "\n").replace("\r", "\n").strip()
    return replace(fields, display_name=fields.display_name.strip(),
                   role_title=fields.role_title.strip(), specialty=fields.specialty.strip(),
                   why=why, tags=tuple(t for t in TAG_LABELS if t in fields.tags)
                   + tuple(t for t in dict.fromkeys(fields.tags) if t not in TAG_LABELS),
                   helps=tuple(h for h in HELP_LABELS if h in fields.helps)
                   + tuple(h for h in dict.fromkeys(fields.helps) if h not in HELP_LABELS))


def problems(fields: ProfileFields) -> dict[str, str]:
    """Every rule the profile breaks, by field; empty when it may be saved."""
    found = {
        "display_name": ("Enter the name students will see (a first name is enough)."
                         if not fields.display_name else
                         _length(fields.display_name, NAME_MAX, "the name")
                         or text_problem(fields.display_name)),
        "role_title": ("Say what you do, like Consultant or Final-year student."
                       if not fields.role_title else
                       _length(fields.role_title, ROLE_MAX, "your role")
                       or text_problem(fields.role_title)),
        "specialty": (_length(fields.specialty, SPECIALTY_MAX, "the specialty")
                      or text_problem(fields.specialty)),
        "tags": None if set(fields.tags) <= set(TAG_LABELS) else "Choose from the list.",
        "helps": ("Choose at least one way you are happy to help." if not fields.helps else
                  None if set(fields.helps) <= set(HELP_LABELS) else "Choose from the list."),
        "why": (_length(fields.why, WHY_MAX, "why you volunteer")
                or text_problem(fields.why, allow_newlines=True)),
    }
    return {name: message for name, message in found.items() if message}


def check(fields: ProfileFields) -> ProfileFields:
    """The normalised fields, or InvalidProfile naming every problem."""
    fields = normalise(fields)
    if found := problems(fields):
        raise InvalidProfile(found)
    return fields


def check_message(text: str) -> str:
    """A message's text, trimmed, or InvalidMessage saying what to change."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise InvalidMessage("Write your message.")
    if len(text) > MESSAGE_MAX:
        raise InvalidMessage(f"Keep your message under {MESSAGE_MAX:,} characters.")
    if problem := text_problem(text, allow_newlines=True):
        raise InvalidMessage(problem)
    return text


def message_context(thread_id: str, seq: int) -> bytes:
    """Associated data binding a message to its thread and place."""
    return f"belong/role-model-thread/{thread_id}/message/{seq}".encode()


def key_context(thread_id: str, holder: str) -> bytes:
    """Associated data binding a thread's wrapped key to the thread and its holder."""
    return f"belong/role-model-thread/{thread_id}/key/{holder}".encode()


def excerpt_context(thread_id: str, part: str) -> bytes:
    """Associated data binding a flag's shared excerpt (or its key) to the thread."""
    return f"belong/role-model-thread/{thread_id}/flag-excerpt/{part}".encode()
