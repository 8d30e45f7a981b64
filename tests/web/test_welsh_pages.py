"""Welsh pages: every page a student reaches, in Welsh, shows none of the catalogue's English,
says lang="cy", keeps the language on every link and form, and sets no cookie for it."""

from __future__ import annotations

from urllib.parse import parse_qs, urljoin, urlsplit

from tests.web.conftest import SESSION_ENDING, routes
from tests.web.surface import Fields
from tests.web.test_markup import reached  # noqa: F401 (fixture: more of each page shown)
from tests.web.walk import walk
from tests.web.welsh import english_on

STUDENT = "student."


def _student_pages(app) -> list[str]:
    return [f"{url}?lang=cy" for endpoint, url, method in routes(app)
            if method == "GET" and endpoint.startswith(STUDENT)
            and endpoint not in SESSION_ENDING]


def _english(where: str, response) -> list[str]:
    if response.status_code in (301, 302, 303, 307, 308):
        location = urlsplit(response.headers["Location"])
        keeps = location.netloc not in ("", "localhost") or "lang=cy" in location.query
        return [] if keeps else [f"{where}: the redirect to {location.path} drops the language"]
    if response.mimetype != "text/html":
        return []
    html = response.get_data(as_text=True)
    found = [f"{where}: {text}" for text in english_on(html)]
    page = Fields()
    page.feed(html)
    for href in page.links:
        target = urlsplit(urljoin(where.split()[1], href))
        if target.netloc in ("", "localhost") and target.path.startswith("/s/") \
                and parse_qs(target.query).get("lang") not in (["cy"], ["en"]):  # en: the switch
            found.append(f"{where}: the link {href} drops the language")
    for action, method, _ in page.forms:
        if action and method == "POST" and "lang=cy" not in action:
            found.append(f"{where}: the form for {action} drops the language")
    return found


def test_no_welsh_page_shows_the_catalogues_english(app, reached):  # noqa: F811
    """On every student page, reached as a visitor and as a student back with a receipt,
    and on every form's answer, is everything the catalogue translates in Welsh?"""
    found = [f"{role} {problem}" for role in ("anonymous", "student")
             for problem in walk(app, reached[role], _student_pages(app), _english,
                                 keep=lambda endpoint: endpoint.startswith(STUDENT),
                                 follow=lambda url: "lang=en" not in url)]
    assert not found, "\n".join(found)


def test_the_check_sees_english(app):
    """Does the check find an English text the catalogue translates, and a wrong lang?"""
    assert english_on('<html lang="cy"><p>There is a problem</p></html>') == [
        "There is a problem"]
    assert english_on('<html lang="en-GB"><p lang="en">There is a problem</p></html>') == [
        '<html lang="en-GB">']
