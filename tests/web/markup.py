"""What the markup of any page must hold: one element per id, every label naming one real
control and no control named by two, and `datetime` attributes that HTML accepts."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from html.parser import HTMLParser

LABELABLE = {"button", "input", "meter", "output", "progress", "select", "textarea"}
# The date and time strings our pages use: a year-month, a date, or a date and time (to the
# millisecond at most) with an optional Z or offset.
DATETIME = re.compile(r"\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])"
                      r"([T ]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,3})?)?"
                      r"(Z|[+-]([01]\d|2[0-3]):[0-5]\d)?)?)?")


class _Markup(HTMLParser):
    """Ids, labels (by `for` or by wrapping a control), controls and `datetime` values."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: Counter[str] = Counter()
        self.tags: dict[str, str] = {}  # the first element with each id
        self.controls: list[str] = []  # each labelable control, by its id or its place
        self.labels: list[tuple[str, str | None]] = []  # (text, the control it names)
        self.datetimes: list[str] = []
        self._open: list[list] = []  # labels still open: [text, for, wrapped control]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {name: value or "" for name, value in attrs}
        if "id" in attr:
            self.ids[attr["id"]] += 1
            self.tags.setdefault(attr["id"], tag)
        if "datetime" in attr:
            self.datetimes.append(attr["datetime"])
        if tag == "label":
            self._open.append(["", attr.get("for"), None])
        elif tag in LABELABLE and not (tag == "input" and attr.get("type") == "hidden"):
            control = attr.get("id") or f"<{tag} no. {len(self.controls) + 1}>"
            self.controls.append(control)
            for label in self._open:
                if label[1] is None and label[2] is None:
                    label[2] = control

    def handle_endtag(self, tag: str) -> None:
        if tag == "label" and self._open:
            text, target, wrapped = self._open.pop()
            self.labels.append((" ".join(text.split()), target if target is not None
                                else wrapped))

    def handle_data(self, data: str) -> None:
        for label in self._open:
            label[0] += data


def problems(html: str) -> list[str]:
    """Everything wrong with one page's ids, labels and `datetime` attributes."""
    page = _Markup()
    page.feed(html)
    found = [f'id "{name}" is on {count} elements' for name, count in page.ids.items()
             if count > 1]
    named = defaultdict(list)
    controls = set(page.controls)
    for text, target in page.labels:
        if target is None:
            found.append(f'label "{text}" names no control')
        elif target not in controls:
            what = (f"an element (<{page.tags[target]}>) that is not a control"
                    if target in page.tags else "which is not on the page")
            found.append(f'label "{text}" is for "{target}", {what}')
        else:
            named[target].append(text)
    found += [f'control "{control}" has {len(texts)} labels: ' + ", ".join(
        f'"{text}"' for text in texts) for control, texts in named.items() if len(texts) > 1]
    return found + [f'datetime="{value}" is not a valid HTML date or time'
                    for value in page.datetimes if not DATETIME.fullmatch(value)]
