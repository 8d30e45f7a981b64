"""The shared form fields: QuickSelect writes what WTForms' own Select writes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from wtforms import Form, SelectField
from wtforms.fields.choices import SelectChoice

from reporting.fields import QuickSelectField

text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)


@given(st.lists(st.tuples(text, text), min_size=1, max_size=6, unique_by=lambda c: c[0]),
       st.data())
def test_quick_select_is_byte_for_byte_wtforms_select(pairs, data):
    """Any values and labels (quotes, ampersands, markup), whichever is chosen."""
    choices = [SelectChoice(value, label) for value, label in pairs]
    chosen = data.draw(st.sampled_from([value for value, _ in pairs]))

    class Both(Form):
        quick = QuickSelectField(choices=choices)
        plain = SelectField(choices=choices)

    form = Both(MultiDict({"quick": chosen, "plain": chosen}))
    plain = str(form.plain(class_="input"))
    assert str(form.quick(class_="input")) == plain.replace('"plain"', '"quick"')


def test_quick_select_writes_odd_values_and_labels_as_wtforms_does():
    """A Markup value keeps WTForms' quoting; a falsy label shows the value."""
    choices = [SelectChoice(Markup('a" onmouseover="alert(1)'), "x"), SelectChoice("b", 0),
               SelectChoice("c", False), SelectChoice("d", Markup("<em>D</em>"))]

    class Both(Form):
        quick = QuickSelectField(choices=choices)
        plain = SelectField(choices=choices)

    form = Both(MultiDict({"quick": "b", "plain": "b"}))
    quick = str(form.quick())
    assert quick == str(form.plain()).replace('"plain"', '"quick"')
    assert 'value="a&quot; onmouseover=&quot;alert(1)"' in quick and ">b</option>" in quick


def test_quick_select_leaves_options_with_attributes_to_wtforms():
    class One(Form):
        pick = QuickSelectField(choices=[SelectChoice("a", "A", render_kw={"disabled": True}),
                                         SelectChoice("b", "<B & C>"), SelectChoice("c", None)])

    html = One(MultiDict({"pick": "b"})).pick()
    assert '<option disabled value="a">A</option>' in html
    assert '<option selected value="b">&lt;B &amp; C&gt;</option>' in html
    assert '<option value="c">c</option>' in html  # no label: the value, as WTForms does
