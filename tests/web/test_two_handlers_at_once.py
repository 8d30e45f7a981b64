"""Several handlers on one case at the same moment: every request answers, none with a 500."""

from __future__ import annotations

import threading
from collections import Counter

from reporting.domain.roles import Role
from reporting.services import audit
from tests import factories
from tests.conftest import csrf_token
from tests.web.test_casework import VERSION

HANDLERS, ROUNDS = 4, 10


def test_handlers_opening_and_acting_on_one_case_at_once_never_see_a_500(
    login_as, session, school
):
    """Do 4 handlers each opening one case and writing a note on it 10 times, all at once,
    get pages, redirects and 'changed meanwhile' only, and leave an intact audit chain?"""
    clients = [login_as(Role.PASTORAL_OFFICER, email=f"handler{n}@northfield.example")
               for n in range(HANDLERS)]
    case_id = factories.make_report(session, school, narrative="Said on the ward.").case.id
    session.commit()
    url = f"/staff/cases/{case_id}"
    tokens = [csrf_token(client, url) for client in clients]
    statuses: list[int] = []  # list.append is atomic across threads
    start = threading.Barrier(HANDLERS)

    def work(client, token: str) -> None:
        start.wait()
        for n in range(ROUNDS):
            page = client.get(url)
            statuses.append(page.status_code)
            version = VERSION.search(page.get_data(as_text=True)).group(1)
            statuses.append(client.post(f"{url}/note", data={
                "csrf_token": token, "version": version, "text": f"Note {n}."}).status_code)

    threads = [threading.Thread(target=work, args=pair)
               for pair in zip(clients, tokens, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert len(statuses) == 2 * HANDLERS * ROUNDS
    assert set(statuses) <= {200, 302, 409}, Counter(statuses)  # 409: another note came first
    session.expire_all()
    assert audit.verify(session) == []
