"""Walking the pages a visitor reaches: each start page, the pages its links lead to, and its
forms sent back with only their hidden fields (the page they come back to, errors and all)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

from tests.web.conftest import SESSION_ENDING
from tests.web.surface import Fields, endpoint_of


def walk(app, client, start: list[str], check: Callable[[str, object], list[str]],
         keep: Callable[[str], bool] = lambda endpoint: True,
         follow: Callable[[str], bool] = lambda url: True) -> list[str]:
    """What `check(where, response)` finds on every page reached from `start` by links whose
    endpoint `keep` accepts and whose URL `follow` accepts, then on every form on them sent
    with only its hidden fields."""
    urls = app.url_map.bind("localhost")
    found, seen, todo, forms = [], set(), list(start), {}
    while todo:
        url = todo.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        found += check(f"GET {url}", response)
        page = Fields()
        page.feed(response.get_data(as_text=True) if response.mimetype == "text/html" else "")
        for href in page.links:
            target = urlsplit(urljoin(url, href))._replace(fragment="")
            endpoint = endpoint_of(urls, target.path, "GET")
            if target.netloc in ("", "localhost") and endpoint not in (
                    None, "static", *SESSION_ENDING) and keep(endpoint) \
                    and follow(target.geturl()):
                todo.append(target._replace(scheme="", netloc="").geturl())
        for (action, method, _), hidden in zip(page.forms, page.hidden, strict=True):
            target = urljoin(url, action or url)
            endpoint = endpoint_of(urls, urlsplit(target).path, "POST")
            if method == "POST" and endpoint not in SESSION_ENDING and keep(endpoint):
                forms.setdefault(target, hidden)
    for target, hidden in forms.items():
        found += check(f"POST {target} (from a page)",
                       client.post(target, data=hidden, follow_redirects=True))
    return found
