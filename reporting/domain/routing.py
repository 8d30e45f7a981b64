"""Routing: the student's structured answers in, a team and plain reasons out.

Rules are data, in a small language an admin can read, edit and we can check. One rule
per line, tried in order; the first that matches decides. The last line must be
`otherwise ...`, so every possible report gets exactly one team and a reason:

    when not_safe then institutional also pastoral urgent because <reason>
    when wants formal then institutional because <reason>
    when wants peer and urgency is not high then peer because <reason>
    otherwise pastoral because <reason>

A reason may also be given in Welsh, after the word `cymraeg` (lower case, on its own):

    otherwise pastoral because Pastoral staff can listen. cymraeg Gall staff bugeiliol wrando.

Students reading in Welsh see the Welsh reason; where a rule has none, the English, with a
note that it is only in English.

Conditions: not_safe | named | anonymous | wants <want> | ground <ground> |
urgency is [not] <urgency> | setting is [not] <setting> | responsible is [not] <role>.
Lines starting with # are comments. A student's own "it is urgent", or "I am not safe",
always makes the case urgent, whatever the rule says. A school without its own rule set
uses BASELINE, the rules DESIGN.md sets out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from reporting.domain.report import Ground, Responsible, Setting, Urgency, Want
from reporting.domain.roles import ChannelKind
from reporting.domain.words import N_


@dataclass(frozen=True)
class Answers:
    """The parts of a report that routing looks at."""

    wants: frozenset[Want]
    urgency: Urgency = Urgency.LOW
    not_safe: bool = False
    setting: Setting | None = None
    responsible: Responsible | None = None
    grounds: frozenset[Ground] = frozenset()
    named: bool = False
    # The team the student said the person responsible may work in: routing avoids it.
    avoid: ChannelKind | None = None


@dataclass(frozen=True)
class Decision:
    """Where a report goes, how urgently, and why in words a student understands."""

    channel: ChannelKind
    urgent: bool
    reasons: tuple[str, ...]
    also: tuple[ChannelKind, ...] = field(default=())
    # The same reasons in Welsh, one for each of `reasons` ("" where a rule has none).
    reasons_cy: tuple[str, ...] = field(default=())
    # The team the student wanted avoided, when no other fits: it reads the report, and
    # the student is told so plainly before they send it.
    unavoided: ChannelKind | None = None


MAX_RULES = 50
MAX_REASON = 300
WELSH = "cymraeg"  # the word after which a rule gives its reason in Welsh
_IS = {"urgency": Urgency, "setting": Setting, "responsible": Responsible}


class RuleErrors(ValueError):
    """A rule set that cannot be saved; each problem names its line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Condition:
    """One test on the answers, with the words it was written in."""

    text: str
    test: Callable[[Answers], bool]


@dataclass(frozen=True)
class Rule:
    """If every condition holds, route to `channel` (and `also`), with `reason`."""

    conditions: tuple[Condition, ...]
    channel: ChannelKind
    reason: str
    also: ChannelKind | None = None
    urgent: bool = False
    reason_cy: str = ""  # the reason in Welsh ("" when the rule gives none)

    def matches(self, answers: Answers) -> bool:
        """Do the answers meet every condition?"""
        return all(condition.test(answers) for condition in self.conditions)


def _value(enum, word: str, line: int) -> object:
    try:
        return enum(word)
    except ValueError:
        allowed = ", ".join(member.value for member in enum)
        raise RuleErrors([N_("Line %(line)s: '%(word)s' is not one of %(allowed)s.") % {
            "line": line, "word": word, "allowed": allowed}]) from None


def _condition(words: list[str], line: int) -> Condition:
    """Parse one condition (the words between 'when'/'and' and the next 'and'/'then')."""
    text = " ".join(words)
    match words:
        case ["not_safe"]:
            return Condition(text, lambda a: a.not_safe)
        case ["named"]:
            return Condition(text, lambda a: a.named)
        case ["anonymous"]:
            return Condition(text, lambda a: not a.named)
        case ["wants", word]:
            want = _value(Want, word, line)
            return Condition(text, lambda a: want in a.wants)
        case ["ground", word]:
            ground = _value(Ground, word, line)
            return Condition(text, lambda a: ground in a.grounds)
        case [field, "is", *rest] if field in _IS and len(rest) in (1, 2) and (
                len(rest) == 1 or rest[0] == "not"):
            negate = rest[0] == "not" and len(rest) == 2
            wanted = _value(_IS[field], rest[-1], line)
            return Condition(text, lambda a: (getattr(a, field) == wanted) != negate)
    raise RuleErrors([N_("Line %(line)s: cannot understand the condition '%(text)s'.") % {
        "line": line, "text": text}])


def _channel(word: str, line: int) -> ChannelKind:
    return _value(ChannelKind, word, line)


def _rule(words: list[str], line: int) -> Rule:
    """Parse the words of one line into a rule."""
    if "because" not in words:
        raise RuleErrors([N_("Line %(line)s: end with 'because' and the reason the student "
                             "sees.") % {"line": line}])
    at = words.index("because")
    head, said = words[:at], words[at + 1:]
    welsh = said.index(WELSH) if WELSH in said else None  # `because English cymraeg Welsh`
    reason = " ".join(said[:welsh]).strip('"').strip()
    reason_cy = " ".join(said[welsh + 1:]).strip('"').strip() if welsh is not None else ""
    if not reason or len(reason) > MAX_REASON:
        raise RuleErrors([N_("Line %(line)s: the reason must be 1 to %(max)s characters.") % {
            "line": line, "max": MAX_REASON}])
    if welsh is not None and not 0 < len(reason_cy) <= MAX_REASON:
        raise RuleErrors([N_("Line %(line)s: after 'cymraeg', give the reason in Welsh, 1 to "
                             "%(max)s characters.") % {"line": line, "max": MAX_REASON}])
    if head[:1] == ["otherwise"]:
        conditions, outcome = (), head[1:]
    elif head[:1] == ["when"] and "then" in head:
        then = head.index("then")
        groups, current = [], []
        for word in head[1:then]:
            if word == "and":
                groups.append(current)
                current = []
            else:
                current.append(word)
        groups.append(current)
        if not all(groups):
            raise RuleErrors([N_("Line %(line)s: a condition is missing around 'and'.") % {
                "line": line}])
        conditions, outcome = tuple(_condition(g, line) for g in groups), head[then + 1:]
    else:
        raise RuleErrors([N_("Line %(line)s: start with 'when ... then' or 'otherwise'.") % {
            "line": line}])
    urgent = "urgent" in outcome
    outcome = [w for w in outcome if w != "urgent"]
    match outcome:
        case [channel]:
            return Rule(conditions, _channel(channel, line), reason, urgent=urgent,
                        reason_cy=reason_cy)
        case [channel, "also", other] if other != channel:
            return Rule(conditions, _channel(channel, line), reason,
                        also=_channel(other, line), urgent=urgent, reason_cy=reason_cy)
    raise RuleErrors([N_("Line %(line)s: after 'then', name one team, optionally 'also' a "
                         "second team and 'urgent'.") % {"line": line}])


def parse(source: str) -> tuple[Rule, ...]:
    """Check a rule set and return its rules, or raise RuleErrors listing every problem."""
    rules, problems = [], []
    lines = [(n, text.strip()) for n, text in enumerate(source.splitlines(), start=1)]
    lines = [(n, text) for n, text in lines if text and not text.startswith("#")]
    for number, text in lines:
        try:
            rules.append(_rule(text.split(), number))
        except RuleErrors as errors:
            problems += errors.problems
    if len(lines) > MAX_RULES:
        problems.append(N_("Use at most %(max)s rules.") % {"max": MAX_RULES})
    if not problems:
        otherwise = [i for i, rule in enumerate(rules) if not rule.conditions]
        if otherwise != [len(rules) - 1]:
            problems.append(str(N_("End with exactly one 'otherwise' line, so every report "
                                   "gets a team.")))
    if problems:
        raise RuleErrors(problems)
    return tuple(rules)


def _teams_avoiding(rule: Rule, avoid: ChannelKind | None) -> tuple[ChannelKind, ...]:
    """The rule's teams (lead first) without the avoided one: its `also` leads if the
    avoided team was to; empty when the rule names no other team."""
    return tuple(team for team in (rule.channel, rule.also) if team and team is not avoid)


def route(answers: Answers, rules: tuple[Rule, ...] | None = None) -> Decision:
    """The first rule that matches decides (parse() guarantees one always does).

    If the student said the person responsible may work in a team, the first matching rule
    that names another team decides, without the avoided team; if none does, the first
    decides as it is, and the decision says which avoided team reads the report.
    """
    matching = [rule for rule in rules or BASELINE_RULES if rule.matches(answers)]
    first = matching[0]
    rule = next((r for r in matching if _teams_avoiding(r, answers.avoid)), first)
    urgent = (first.urgent or rule.urgent or answers.not_safe
              or answers.urgency is Urgency.HIGH)
    teams = _teams_avoiding(rule, answers.avoid) or (rule.channel,)
    kept_away = answers.avoid in {first.channel, first.also} - {None, *teams}
    reasons = (rule.reason,) + ((N_("You said the person responsible may work in %(team)s, "
                                    "so that team will not read your report.") % {
                                     "team": answers.avoid.label},) if kept_away else ())
    # The rule's Welsh (after `cymraeg`); Belong's own sentence (already in the page's
    # language) stands in both lists.
    return Decision(channel=teams[0], urgent=urgent, reasons=reasons, also=teams[1:],
                    reasons_cy=(rule.reason_cy, *reasons[1:]),
                    unavoided=answers.avoid if answers.avoid in teams else None)


def lacking_welsh(source: str) -> list[int]:
    """The lines of a rule set whose reason has no Welsh yet (for the editor's marker)."""
    return [number for number, text in enumerate(source.splitlines(), start=1)
            if not text.strip().startswith("#") and "because" in text.split()
            and WELSH not in text.split()[text.split().index("because"):]]


BASELINE = """\
# The rules DESIGN.md sets out; a school can change them. Each reason is in English, then
# after 'cymraeg' in Welsh.
when not_safe then institutional also pastoral urgent because You told us you are not safe right now, so this goes straight to the people who handle safeguarding, and to pastoral support at the same time. cymraeg Rydych chi wedi dweud wrthym nad ydych chi’n ddiogel ar hyn o bryd, felly mae hyn yn mynd yn syth at y bobl sy’n ymdrin â diogelu, ac at y cymorth bugeiliol ar yr un pryd.
when wants formal then institutional because You asked for a formal complaint or investigation, which only the complaints and EDI office can open. cymraeg Gofynnoch chi am gŵyn ffurfiol neu ymchwiliad, a dim ond y swyddfa sy’n ymdrin â chwynion ac EDI all agor un.
when wants peer and urgency is not high then peer because You asked to talk to a student who has been through something similar. cymraeg Gofynnoch chi am gael siarad â myfyriwr sydd wedi bod drwy rywbeth tebyg.
when urgency is high then pastoral urgent because You said it is urgent, so a pastoral officer will pick it up first. cymraeg Dywedoch chi ei fod yn fater brys, felly bydd swyddog bugeiliol yn ymdrin ag ef yn gyntaf.
otherwise pastoral because Pastoral and wellbeing staff can listen, advise, and help with what comes next. cymraeg Gall staff bugeiliol a lles wrando, rhoi cyngor, a helpu gyda’r hyn sy’n dod nesaf.
"""  # noqa: E501 - one rule per line is the format
BASELINE_RULES = parse(BASELINE)
