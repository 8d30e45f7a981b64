"""Hostile input in every field of the report form: always an answer, never a 500."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reporting.extensions import limiter
from tests.web.reporting_pages import ANSWERS, STEPS, post_step, start

FIELDS = ["safe", "narrative", "occurred_kind", "occurred_date", "occurred_month", "setting",
          "responsible", "grounds", "other_ground", "impact", "urgency", "wants", "identity",
          "name", "student_id", "contact", "share_identity_with", "chosen_channel",
          "submission_id", "step", "action"]
NASTY = st.one_of(
    st.text(max_size=400),
    st.sampled_from(["' OR 1=1 --", "<script>alert(1)</script>", "\x00", "{{7*7}}",
                     "../../etc/passwd", "A" * 20_000, "\ud7ff\ue000", "change:../../x",
                     "review", "9999-99-99", "0000-00", "-1"]),
    st.lists(st.text(max_size=30), max_size=5),
)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(FIELDS), value=NASTY, step=st.sampled_from(STEPS))
def test_any_value_in_any_field_at_any_step_is_handled(client, school, field, value, step):
    """Does every field take any unicode, control characters, lists, huge or injected text?"""
    limiter.reset()
    data = {**start(client), **ANSWERS, field: value}
    response = post_step(client, data.pop("step", step) if field == "step" else step, data)
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.get_data(as_text=True)
