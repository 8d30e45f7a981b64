"""A student who wants a peer sees why, chooses another team, and is shown matching support."""

from __future__ import annotations

from sqlalchemy import select

from reporting.domain.directory import EntryFields, Kind
from reporting.models import Case
from reporting.services.directory import create_entry
from tests.browser.conftest import assert_accessible, choose, press_button, tab_to, tick


def test_student_overrides_the_recommendation_and_sees_matching_support(page, session, school):
    """Keyboard only: reasons shown, a different team chosen, matching entries afterwards."""
    for name, tags, channels in (("BAME Medics", ("race",), ("peer", "pastoral")),
                                 ("Chaplaincy", ("religion_belief",), ("pastoral",))):
        create_entry(session, "test", school, EntryFields(
            Kind.PEER_NETWORK.value, name, f"What {name} offers.", tags=tags,
            channels=channels, url="https://support.example.ac.uk/"))
    session.commit()

    page.goto("/s/northfield/report")
    choose(page, "safe", "yes")
    press_button(page, "Continue")
    tab_to(page, "#narrative")
    page.keyboard.type("Comments about my skin colour in the anatomy lab.")
    choose(page, "occurred_kind", "unsure")
    choose(page, "setting", "teaching")
    choose(page, "responsible", "student")
    press_button(page, "Continue")
    tick(page, "grounds", "race")
    choose(page, "impact", "some")
    choose(page, "urgency", "low")
    press_button(page, "Continue")
    tick(page, "wants", "peer")
    choose(page, "identity", "anonymous")
    press_button(page, "Continue")

    page.wait_for_selector("text=Step 5 of 5")
    assert page.get_by_text("You asked to talk to a student who has been through something "
                            "similar.").is_visible()
    assert page.locator("input[name=chosen_channel][value=peer]").is_checked()
    assert_accessible(page)
    choose(page, "chosen_channel", "pastoral")
    press_button(page, "Send my report")

    page.wait_for_selector("#receipt-code")
    assert page.get_by_text("BAME Medics").first.is_visible()
    assert page.get_by_text("Chaplaincy").count() == 0  # not a ground of this report
    assert_accessible(page)
    case = session.scalar(select(Case))
    assert (case.report.recommended_channel, case.report.chosen_channel) == ("peer", "pastoral")
