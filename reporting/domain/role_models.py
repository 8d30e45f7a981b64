"""Role models' vocabulary and rules: how volunteers help, what a profile may say, and
what a thread allows. Plain functions forms and services share."""

from __future__ import annotations

from dataclasses import dataclass, replace

from reporting.domain.directory import TAG_LABELS, text_problem
from reporting.domain.errors import BelongError
from reporting.domain.words import N_

HELP_LABELS = {
    "conversation": N_("A conversation"),
    "mentoring": N_("Mentoring"),
    "shadowing": N_("Shadowing"),
    "careers": N_("Careers advice"),
}
FLAG_REASONS = {
    "unkind": N_("Unkind, hostile or discriminatory"),
    "unsafe": N_("Someone may not be safe"),
    "boundaries": N_("Asked for something beyond what the scheme is for"),
    "spam": N_("Spam or nonsense"),
    "other": N_("Something else"),
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
        super().__init__("; ".join(map(str, problems.values())))
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
    # The same words in Welsh (optional): shown on Welsh pages, approved with the English.
    role_title_cy: str = ""
    specialty_cy: str = ""
    why_cy: str = ""


def _length(value: str, limit: int, message) -> str | None:
    """`message` names the field and holds %(limit)s: the whole sentence is translated."""
    return message % {"limit": f"{limit:,}"} if len(value) > limit else None


def _lines(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def normalise(fields: ProfileFields) -> ProfileFields:
    """Trimmed text, one kind of line break, tags and help kinds in the lists' order."""
    return replace(fields, display_name=fields.display_name.strip(),
                   role_title=fields.role_title.strip(), specialty=fields.specialty.strip(),
                   why=_lines(fields.why), role_title_cy=fields.role_title_cy.strip(),
                   specialty_cy=fields.specialty_cy.strip(), why_cy=_lines(fields.why_cy),
                   tags=tuple(t for t in TAG_LABELS if t in fields.tags)
                   + tuple(t for t in dict.fromkeys(fields.tags) if t not in TAG_LABELS),
                   helps=tuple(h for h in HELP_LABELS if h in fields.helps)
                   + tuple(h for h in dict.fromkeys(fields.helps) if h not in HELP_LABELS))


def problems(fields: ProfileFields) -> dict[str, str]:
    """Every rule the profile breaks, by field; empty when it may be saved."""
    found = {
        "display_name": (N_("Enter the name students will see (a first name is enough).")
                         if not fields.display_name else
                         _length(fields.display_name, NAME_MAX,
                                 N_("Keep the name under %(limit)s characters."))
                         or text_problem(fields.display_name)),
        "role_title": (N_("Say what you do, like Consultant or Final-year student.")
                       if not fields.role_title else
                       _length(fields.role_title, ROLE_MAX,
                               N_("Keep your role under %(limit)s characters."))
                       or text_problem(fields.role_title)),
        "specialty": (_length(fields.specialty, SPECIALTY_MAX,
                              N_("Keep the specialty under %(limit)s characters."))
                      or text_problem(fields.specialty)),
        "tags": None if set(fields.tags) <= set(TAG_LABELS) else N_("Choose from the list."),
        "helps": (N_("Choose at least one way you are happy to help.") if not fields.helps
                  else None if set(fields.helps) <= set(HELP_LABELS)
                  else N_("Choose from the list.")),
        "why": (_length(fields.why, WHY_MAX,
                        N_("Keep why you volunteer under %(limit)s characters."))
                or text_problem(fields.why, allow_newlines=True)),
        "role_title_cy": (_length(fields.role_title_cy, ROLE_MAX,
                                  N_("Keep your role under %(limit)s characters."))
                          or text_problem(fields.role_title_cy)),
        "specialty_cy": (_length(fields.specialty_cy, SPECIALTY_MAX,
                                 N_("Keep the specialty under %(limit)s characters."))
                         or text_problem(fields.specialty_cy)),
        "why_cy": (_length(fields.why_cy, WHY_MAX,
                           N_("Keep why you volunteer under %(limit)s characters."))
                   or text_problem(fields.why_cy, allow_newlines=True)),
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
        raise InvalidMessage(N_("Write your message."))
    if len(text) > MESSAGE_MAX:
        raise InvalidMessage(N_("Keep your message under %(limit)s characters.")
                             % {"limit": f"{MESSAGE_MAX:,}"})
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
