"""One template draws every group of checkboxes and radio buttons (initiatives, bulletins,
alerts): the DSFR's markup, one group per option with its label inside, and a fieldset that
the error summary's link reaches."""

import re

import pytest

from solidaire.alerts.forms import AlertForm
from solidaire.bulletins.forms import CrisisForm
from solidaire.initiatives.forms import InitiativeForm
from tests.factories import make_campaign, make_theme

pytestmark = pytest.mark.django_db

CHOICE_WIDGETS = ("CheckboxSelectMultiple", "RadioSelect")


def choice_fields(form):
    return [name for name, f in form.fields.items() if type(f.widget).__name__ in CHOICE_WIDGETS]


@pytest.mark.parametrize(
    ("form_class", "names"),
    [
        (AlertForm, {"scope", "themes", "frequency"}),
        (InitiativeForm, {"themes"}),
        (CrisisForm, {"departments"}),
    ],
)
def test_every_choice_group_is_drawn_by_the_shared_template(form_class, names):
    make_theme()
    form = form_class()
    assert set(choice_fields(form)) == names
    for name in names:
        assert form.fields[name].template_name == "initiatives/fields/choices.html"
        html = form[name].as_field_group()
        kind = "radio" if type(form.fields[name].widget).__name__ == "RadioSelect" else "checkbox"
        groups = re.findall(rf'<div class="fr-{kind}-group">(.*?)</div>', html, re.S)
        assert groups, name
        for group in groups:
            # The input, then its own label, inside the one group (the DSFR draws the box
            # from "input + label").
            assert re.search(r'<input type="' + kind + r'"[^>]*id="([^"]+)"[^>]*>\s*<label', group)
        assert f'<fieldset class="fr-fieldset" id="{form[name].auto_id}"' in html


def test_an_error_on_a_group_is_a_dsfr_message_linked_from_the_fieldset():
    make_campaign()
    form = AlertForm(data={"scope": "ailleurs", "frequency": "immediate"})
    assert not form.is_valid()
    html = form["scope"].as_field_group()
    assert 'class="fr-fieldset fr-fieldset--error" id="id_scope"' in html
    assert 'aria-labelledby="id_scope-legend id_scope-desc-error"' in html
    assert re.search(
        r'id="id_scope-desc-error".*<p class="fr-message fr-message--error">', html, re.S
    )
