"""Helpers to walk the report form through the test client, as a browser would."""

from __future__ import annotations

import re

from tests.conftest import CSRF

STEPS = ["safety", "what", "about", "wishes", "review"]
CHOSEN = re.compile(r'name="chosen_channel" value="(\w+)" checked')
ALSO_SHOWN = re.compile(r'name="also_shown" value="(\w*)"')
RECEIPT = re.compile(r'id="receipt-code">([0-9A-Z-]{24})<')
ANSWERS = {
    "safe": "yes",
    "narrative": "A registrar mocked my accent in front of the whole team.",
    "occurred_kind": "month",
    "occurred_month": "2026-09",
    "setting": "clinical_placement",
    "responsible": "clinician",
    "grounds": ["accent_language", "race"],
    "impact": "some",
    "urgency": "medium",
    "wants": ["support"],
    "identity": "anonymous",
}


def start(client, slug: str = "northfield") -> dict:
    """Open the form; return the hidden fields a browser would carry (token, submission id)."""
    page = client.get(f"/s/{slug}/report").get_data(as_text=True)
    return {"csrf_token": CSRF.search(page).group(1),
            "submission_id": re.search(r'name="submission_id" type="hidden" value="([^"]+)"',
                                       page).group(1)}


def post_step(client, step: str, data: dict, slug: str = "northfield", **kwargs):
    """POST one step with everything answered so far."""
    return client.post(f"/s/{slug}/report", data={**data, "step": step}, **kwargs)


def ready_to_send(client, slug: str = "northfield", files=None, **changes) -> dict:
    """Walk every step to the review; return what its Send button posts."""
    data = {**start(client, slug), **ANSWERS, **changes}
    for step in STEPS[:-1]:
        response = post_step(client, step, data, slug)
        assert response.status_code == 200
    # As a browser would: send the team the review page has ticked, unless one was chosen,
    # and the second team the review page named, if any.
    review = response.get_data(as_text=True)
    data.setdefault("chosen_channel", CHOSEN.search(review).group(1))
    data.setdefault("also_shown", ALSO_SHOWN.search(review).group(1))
    if files:
        data["files"] = files
    return data


def file_report(client, slug: str = "northfield", files=None, **changes) -> str:
    """Walk every step and send; return the receipt shown."""
    data = ready_to_send(client, slug, files, **changes)
    sent = post_step(client, "review", data, slug, content_type="multipart/form-data",
                     follow_redirects=True)  # to the receipt's own page (post/redirect/get)
    body = sent.get_data(as_text=True)
    match = RECEIPT.search(body)
    assert match, body[body.find("<main"):][:3000]
    return match.group(1)
