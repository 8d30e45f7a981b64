"""The pulse's questions: a short default set in plain words, the agreement scale, and the
checks on a school's own set (or a published scale it loads, with citation and licence)."""

from __future__ import annotations

from dataclasses import dataclass

from reporting.domain.errors import BelongError
from reporting.domain.words import N_


def _(text: str) -> str:
    """Marks a default for Babel's extraction only: it is stored as written, in English,
    and translated when shown (`shown`)."""
    return text


# Our own plain-language items, written for Belong. They are inspired by the themes of the
# 2023 qualitative study of UK medical students affected by discrimination (isolation and
# exclusion, role models, access to support, peer support and shared experience). They are
# not a published, validated scale and are not copied from one.
DEFAULT_ITEMS = (
    _("I feel I belong at this medical school."),
    _("I rarely feel on my own or left out here."),
    _("I can see people like me among the staff and doctors who teach me."),
    _("If something went wrong, I know where to get support."),
    _("I have other students I can talk to who understand my experience."),
)
DEFAULT_SOURCE = N_("Written in plain words for Belong, inspired by the themes of a 2023 study "
                    "of UK medical students affected by discrimination: isolation, role models, "
                    "support and peers. It is not a published, validated scale.")

# A five-point agreement scale; 4 and 5 count as agreeing.
SCALE = {5: N_("Strongly agree"), 4: N_("Agree"), 3: N_("Neither agree nor disagree"),
         2: N_("Disagree"), 1: N_("Strongly disagree")}
AGREES = frozenset({4, 5})

MAX_ITEMS = 10
ITEM_MAX = 200
CITATION_MAX = 500
LICENCE_MAX = 300


def shown(text: str) -> str:
    """An item as a person reads it: a default one in the page's language, a school's own
    words as written."""
    return N_(text) if text in DEFAULT_ITEMS else text


class InvalidItems(BelongError):
    """The items or their source cannot be saved: `problems` maps a field to its message."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(str(problem) for problem in problems.values()))
        self.problems = problems


@dataclass(frozen=True)
class ItemSet:
    """A school's items, and where they come from."""

    items: tuple[str, ...]
    published: bool = False  # a published scale the school loaded
    citation: str = ""
    licence: str = ""


def check_items(lines: str, published: bool, citation: str, licence: str) -> ItemSet:
    """The set an admin typed (one item a line), or InvalidItems naming every problem."""
    items = tuple(dict.fromkeys(" ".join(line.split()) for line in lines.splitlines()
                                if line.strip()))
    problems = {}
    if not items:
        problems["items"] = N_("Write at least one item, one on each line.")
    elif len(items) > MAX_ITEMS:
        problems["items"] = N_("Keep the pulse short: at most %(most)d items.") % {
            "most": MAX_ITEMS}
    elif any(len(item) > ITEM_MAX for item in items):
        problems["items"] = N_("Keep each item under %(most)d characters.") % {"most": ITEM_MAX}
    citation, licence = " ".join(citation.split()), " ".join(licence.split())
    if published and not citation:
        problems["citation"] = N_("Give the published scale's citation, so students and "
                                  "readers see it.")
    if published and not licence:
        problems["licence"] = N_("Say under which licence or permission the school uses the "
                                 "scale.")
    if len(citation) > CITATION_MAX:
        problems["citation"] = N_("Keep the citation under %(most)d characters.") % {
            "most": CITATION_MAX}
    if len(licence) > LICENCE_MAX:
        problems["licence"] = N_("Keep the licence under %(most)d characters.") % {
            "most": LICENCE_MAX}
    if problems:
        raise InvalidItems(problems)
    return ItemSet(items, published, citation if published else "",
                   licence if published else "")
