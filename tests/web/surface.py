"""The app's surface, as its own pages show it: for every endpoint, the query and form
fields that its links and forms send, each with a real value. Found by visiting every page
as every kind of visitor, so a new form or id is fuzzed without anyone listing it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

from werkzeug.exceptions import HTTPException


class Fields(HTMLParser):
    """The forms (action, method, fields with the value the page would send) and the links
    of one page: a checked box or selected option wins, a textarea sends its text. Each
    form's hidden fields are also kept apart: what it sends when nothing is filled in."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, str, dict[str, str]]] = []
        self.hidden: list[dict[str, str]] = []
        self.links: list[str] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def _set(self, name: str, value: str, chosen: bool = False) -> None:
        if self.forms and (chosen or name not in self.forms[-1][2]):
            self.forms[-1][2][name] = value

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {name: value or "" for name, value in attrs}
        name = attr.get("name")
        if tag == "form":
            self.forms.append((attr.get("action", ""), attr.get("method", "get").upper(), {}))
            self.hidden.append({})
        elif tag in ("input", "button") and name:
            self._set(name, attr.get("value", ""), "checked" in attr)
            if attr.get("type") == "hidden" and self.hidden:
                self.hidden[-1][name] = attr.get("value", "")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select:
            self._set(self._select, attr.get("value", ""), "selected" in attr)
        elif tag == "textarea" and name:
            self._textarea = name
            self._set(name, "")
        elif tag == "a" and "href" in attr:
            self.links.append(attr["href"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea and self.forms:
            self.forms[-1][2][self._textarea] += data


@dataclass
class Surface:
    """Query fields by endpoint, and form fields by endpoint and by the path each form
    posts to (one route serves several forms: /staff/cases/<id>/note, .../assign)."""

    query: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    form: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    posts: dict[str, dict[str, dict[str, str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(dict)))

    def visit(self, app, page_url: str, html: str) -> None:
        """Record the fields of every form and link on one page, by where they lead."""
        parser = Fields()
        parser.feed(html)
        urls = app.url_map.bind("localhost")
        for action, method, names in parser.forms:
            target = urlsplit(urljoin(page_url, action or page_url)).path
            if endpoint := endpoint_of(urls, target, method):
                if method == "GET":
                    self.query[endpoint].update(names)
                else:
                    self.form[endpoint].update(names)
                    self.posts[endpoint][target].update(names)
        for href in parser.links:
            target = urljoin(page_url, href)
            if endpoint := endpoint_of(urls, target, "GET"):
                self.query[endpoint].update(parse_qsl(urlsplit(target).query))


def endpoint_of(urls, url: str, method: str) -> str | None:
    """The endpoint a URL and method reach, if any (`urls`: the app's bound URL map)."""
    try:
        return urls.match(urlsplit(url).path, method=method)[0]
    except HTTPException:
        return None
