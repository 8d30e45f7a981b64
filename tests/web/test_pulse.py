"""The pulse through the test client: no cookie until the student answers, once a term,
altered or forged forms refused with a message, and the admin's pages school-scoped."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from reporting.domain.disclosure import FEWER
from reporting.domain.pulse.answers import CHANGED, UNANSWERED
from reporting.domain.pulse.items import DEFAULT_ITEMS
from reporting.domain.roles import Role
from reporting.models import AuditEntry, PulseResponse
from reporting.pulse import form_token
from reporting.pulse.student_views import EXPIRED
from reporting.services.pulse.answers import ALREADY
from reporting.services.pulse.items import current_items
from tests import factories
from tests.conftest import post_form

URL = "/s/northfield/pulse"


def token_of(client) -> str:
    """The signed token of the pulse form as the page shows it."""
    html = client.get(URL).get_data(as_text=True)
    match = re.search(r'<input[^>]*name="token"[^>]*value="([^"]+)"', html)
    assert match, html
    return match.group(1)


def full_answer(session, school, agreement: str = "4") -> dict:
    """Every current statement answered (the default items written in first, if need be)."""
    items = current_items(session, school.id)
    session.commit()
    return {f"item_{item.id}": agreement for item in items}


def test_reading_the_pulse_sets_no_cookie_and_answering_sets_one(client, session, school):
    """Does the pulse page set no cookie, and only sending an answer set one?"""
    first = client.get(URL)
    assert first.status_code == 200 and "Set-Cookie" not in first.headers
    assert DEFAULT_ITEMS[0] in first.text
    sent = client.post(URL, data={"token": token_of(client), "tags": ["race"],
                                  **full_answer(session, school)})
    assert sent.status_code == 303 and "Set-Cookie" in sent.headers
    assert "HttpOnly" in sent.headers["Set-Cookie"]
    response = session.scalars(select(PulseResponse)).one()
    assert response.tags == "race" and response.term.endswith(("spring", "summer", "autumn"))
    assert "You have answered this term" in client.get(URL).text


def test_the_second_answer_in_a_term_is_refused(client, app, session, school):
    """Is the same browser refused a second answer, with a fresh token from another page?"""
    client.post(URL, data={"token": token_of(client), **full_answer(session, school)})
    fresh = token_of(app.test_client())
    again = client.post(URL, data={"token": fresh, **full_answer(session, school, "1")})
    assert again.status_code == 409 and str(ALREADY) in again.text
    assert len(session.scalars(select(PulseResponse)).all()) == 1


def test_the_same_form_sent_twice_without_a_cookie_counts_once(app, session, school):
    """Sent twice from two cookie-less clients, does the same form count once?"""
    token = token_of(app.test_client())
    data = {"token": token, **full_answer(session, school)}
    assert app.test_client().post(URL, data=data).status_code == 303
    second = app.test_client().post(URL, data=data)
    assert second.status_code == 409 and str(ALREADY) in second.text
    assert 'name="token"' not in second.text  # the thank-you, not a fresh form
    assert len(session.scalars(select(PulseResponse)).all()) == 1


@pytest.mark.parametrize("token", ["", "forged", "WzEsIjIwMjYtYXV0dW1uIiwieCJd.abc.def"])
def test_a_forged_or_missing_token_is_refused_with_a_message(client, session, school, token):
    """Is a missing or forged token a 400 with plain words, not a 500, and nothing kept?"""
    response = client.post(URL, data={"token": token, **full_answer(session, school)})
    assert response.status_code == 400 and str(EXPIRED) in response.text
    assert "Set-Cookie" not in response.headers
    assert session.scalars(select(PulseResponse)).all() == []


def test_another_schools_token_is_refused(client, app, session, school):
    """Is a token signed for another school's pulse refused here?"""
    factories.make_school(session, slug="southbank")
    session.commit()
    html = app.test_client().get("/s/southbank/pulse").text
    token = re.search(r'<input[^>]*name="token"[^>]*value="([^"]+)"', html).group(1)
    response = client.post(URL, data={"token": token, **full_answer(session, school)})
    assert response.status_code == 400 and str(EXPIRED) in response.text


@pytest.mark.parametrize("change", [{"item_999999": "4"}, {"first": "9"}, {"first": "x"},
                                    {"tags": "not-an-identity"}, {"item_abc": "3"}])
def test_altered_fields_are_refused_with_a_message(client, session, school, change):
    """Is an answer with a statement not shown, a value off the scale or an unknown identity
    a 400 that says so, with nothing kept?"""
    data = {"token": token_of(client), **full_answer(session, school)}
    if "first" in change:
        data[next(iter(data.keys() - {"token"}))] = change["first"]
    else:
        data |= change
    response = client.post(URL, data=data)
    assert response.status_code == 400 and str(CHANGED) in response.text
    assert session.scalars(select(PulseResponse)).all() == []


def test_a_statement_left_out_keeps_the_other_answers(client, session, school):
    """Left one statement unanswered, is the student asked to finish, the rest kept?"""
    data = {"token": token_of(client), **full_answer(session, school, "5")}
    left_out = sorted(k for k in data if k.startswith("item_"))[-1]
    del data[left_out]
    response = client.post(URL, data=data)
    assert response.status_code == 400 and str(UNANSWERED) in response.text
    assert response.text.count('value="5" checked') == len(DEFAULT_ITEMS) - 1


def test_a_post_from_another_site_is_refused(client, session, school):
    """Is a pulse answer that another site started refused before the view?"""
    response = client.post(URL, data={"token": token_of(client),
                                      **full_answer(session, school)},
                           headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403
    assert session.scalars(select(PulseResponse)).all() == []


def test_the_admin_changes_the_items_for_their_school_only(login_as, session, school):
    """Is a change saved and audited for the admin's school, another school's admin seeing
    their own default items; and is a published scale without citation refused?"""
    other = factories.make_school(session, slug="southbank")
    session.commit()
    admin = login_as(Role.ADMIN)
    outsider = login_as(Role.ADMIN, at_school=other, email="outsider@test.example")
    page = "/admin/pulse/items"
    refused = post_form(admin, page, {"items": "One.", "source": "published", "citation": "",
                                      "licence": ""})
    assert refused.status_code == 400 and "citation" in refused.text
    saved = post_form(admin, page, {"items": "I feel at home here.", "source": "published",
                                    "citation": "Author A (2020). A scale.",
                                    "licence": "CC BY 4.0"})
    assert saved.status_code == 303
    assert "I feel at home here." in admin.get(page).text
    assert "I feel at home here." not in outsider.get(page).text
    assert DEFAULT_ITEMS[0] in outsider.get(page).text
    assert session.scalars(select(AuditEntry).where(AuditEntry.action == "pulse.items")).one()
    student = admin.application.test_client().get(URL).text
    assert "Author A (2020). A scale." in student and "I feel at home here." in student


def test_the_results_page_shows_a_few_answers_as_fewer_than_five(app, login_as, session,
                                                                 school):
    """With three answers this term, does the admin see "fewer than 5" and no share?"""
    for _ in range(3):
        client = app.test_client()
        client.post(URL, data={"token": token_of(client), **full_answer(session, school)})
    page = login_as(Role.ADMIN).get("/admin/pulse").text
    assert str(FEWER) in page and "Belonging over time" in page
    assert "100%" in page and "75%" not in page  # the axis label, never a share


def test_an_expired_form_is_refused_with_a_message(client, session, school, monkeypatch):
    """Is a form older than its token's day refused with plain words?"""
    token = token_of(client)
    monkeypatch.setattr(form_token, "MAX_AGE", -1)
    response = client.post(URL, data={"token": token, **full_answer(session, school)})
    assert response.status_code == 400 and str(EXPIRED) in response.text


@pytest.mark.parametrize("url", [URL, "/admin/pulse", "/admin/pulse/items"])
def test_pulse_pages_have_unique_ids_and_one_label_per_control(login_as, session, school,
                                                               url):
    """On each pulse page, is every id used once, and does each control have one label?"""
    client = login_as(Role.ADMIN)
    html = client.get(url).text
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    control = r'<(?:input|textarea|select)\b(?![^>]*type="hidden")[^>]*\sid="([^"]+)"'
    controls = re.findall(control, html)
    labels = re.findall(r'<label[^>]*\sfor="([^"]+)"', html)
    assert controls or url == "/admin/pulse"  # the results page has no form
    assert all(labels.count(c) == 1 for c in controls)


def test_changing_the_items_needs_the_csrf_token(login_as, session, school):
    """Is a change to the statements posted without its CSRF token refused, nothing saved?"""
    admin = login_as(Role.ADMIN)
    response = admin.post("/admin/pulse/items", data={"items": "Changed.", "source": "own"})
    assert response.status_code == 400
    assert "Changed." not in admin.get("/admin/pulse/items").text
