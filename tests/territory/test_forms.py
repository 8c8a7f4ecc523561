"""CommuneField / CommunesField: what a visitor types (with or without JavaScript) → communes."""

import pytest
from django import forms
from django.http import QueryDict

from solidaire.territory.forms import CommuneField, CommunesField

pytestmark = pytest.mark.django_db


class OneCommuneForm(forms.Form):
    commune = CommuneField(label="Commune")


class SeveralCommunesForm(forms.Form):
    communes = CommunesField(label="Communes", max_communes=3)


def commune_form(data):
    return OneCommuneForm(QueryDict(data))


@pytest.mark.parametrize(
    ("typed", "insee"),
    [
        ("commune=Calais", "62193"),
        ("commune=calais", "62193"),
        ("commune=62193", "62193"),
        ("commune=62100", "62193"),
        ("commune=St-Etienne-au-Mont", "62746"),
        ("commune=Calais+%2862100%29", "62193"),  # the label the autocomplete writes back
        ("commune=Saint-Omer+%2862500%29", "62765"),
        ("commune=Lens", "62498"),
        ("commune=hardelot", "62604"),
    ],
)
def test_it_resolves_what_is_typed_without_javascript(typed, insee):
    form = commune_form(typed)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["commune"].pk == insee


def test_the_code_picked_in_the_autocomplete_wins_over_the_text():
    form = commune_form("commune=Calais+%2862100%29&commune__insee=62041")
    assert form.is_valid()
    assert form.cleaned_data["commune"].pk == "62041"


def test_an_ambiguous_name_lists_the_candidates():
    form = commune_form("commune=Saint-Omer")
    assert not form.is_valid()
    message = form.errors["commune"][0]
    assert "Plusieurs communes" in message
    assert "Saint-Omer (62)" in message and "Saint-Omer (14)" in message


def test_a_shared_postal_code_is_ambiguous():
    form = commune_form("commune=62000")
    assert not form.is_valid()
    assert "Arras (62)" in form.errors["commune"][0]
    assert "Dainville (62)" in form.errors["commune"][0]


def test_a_shared_postal_code_lists_its_communes_even_when_it_is_an_insee_code():
    form = commune_form("commune=62190")  # Lillers and 7 others; INSEE code of Busnes
    assert not form.is_valid()
    assert "Lillers (62)" in form.errors["commune"][0]
    assert "Busnes" not in form.errors["commune"][0]


def test_an_unknown_commune_says_so_in_french():
    form = commune_form("commune=Zzyzxqwv")
    assert not form.is_valid()
    assert form.errors["commune"] == [
        "Aucune commune ne correspond à « Zzyzxqwv ». "
        "Vérifiez l'orthographe, ou essayez le code postal ou le code INSEE."
    ]


def test_it_refuses_an_overlong_entry():
    form = commune_form("commune=" + "a" * 300)
    assert not form.is_valid()
    assert "trop long" in form.errors["commune"][0]


def test_it_requires_a_commune_with_a_french_message():
    form = commune_form("commune=")
    assert not form.is_valid()
    assert form.errors["commune"] == ["Indiquez une commune."]


def test_the_widget_renders_a_labelled_text_input_wired_for_the_autocomplete():
    html = str(OneCommuneForm(initial={"commune": "62193"})["commune"])
    assert "data-commune-autocomplete" in html
    assert 'data-api-url="/api/v1/communes/"' in html
    assert 'value="Calais (62100)"' in html
    assert 'maxlength="100"' in html


def test_several_communes_from_codes_and_typed_names():
    form = SeveralCommunesForm(
        QueryDict("communes=62193&communes__search=Arras%2C+neufchatel+hardelot")
    )
    assert form.is_valid(), form.errors
    assert [c.pk for c in form.cleaned_data["communes"]] == ["62193", "62041", "62604"]


def test_several_communes_drops_duplicates():
    form = SeveralCommunesForm(QueryDict("communes=62193&communes__search=Calais"))
    assert form.is_valid()
    assert [c.pk for c in form.cleaned_data["communes"]] == ["62193"]


def test_several_communes_reports_each_unresolved_entry():
    form = SeveralCommunesForm(QueryDict("communes__search=Calais%2C+Zzyzxqwv%2C+Saint-Omer"))
    assert not form.is_valid()
    errors = form.errors["communes"]
    assert len(errors) == 2
    assert "Zzyzxqwv" in errors[0] and "Plusieurs communes" in errors[1]


def test_several_communes_has_a_maximum():
    form = SeveralCommunesForm(QueryDict("communes__search=Calais,Arras,Lens,Liévin"))
    assert not form.is_valid()
    assert form.errors["communes"] == ["Indiquez au plus 3 communes."]


def test_the_multiple_widget_renders_chosen_communes_as_checkboxes_and_keeps_pending_text():
    form = SeveralCommunesForm(QueryDict("communes=62193&communes__search=Zzyzxqwv"))
    assert not form.is_valid()
    html = str(form["communes"])
    assert 'type="checkbox" name="communes" value="62193"' in html
    assert "Calais (62100)" in html
    assert 'name="communes__search" value="Zzyzxqwv"' in html


def test_an_insee_code_picked_in_the_autocomplete_is_never_read_as_a_postal_code():
    # 62100 is Calais' postal code and Beaurainville's INSEE code.
    form = commune_form("commune=Beaurainville+%2862990%29&commune__insee=62100")
    assert form.is_valid()
    assert form.cleaned_data["commune"].name == "Beaurainville"
    several = SeveralCommunesForm(QueryDict("communes=62100"))
    assert several.is_valid()
    assert [c.name for c in several.cleaned_data["communes"]] == ["Beaurainville"]


def test_an_initial_comma_separated_string_shows_as_chosen_communes():
    html = str(SeveralCommunesForm(initial={"communes": "62193, 62041"})["communes"])
    assert 'name="communes" value="62193"' in html
    assert 'name="communes" value="62041"' in html


def test_codes_posted_in_the_field_are_insee_codes_and_anything_else_is_typed_text():
    form = SeveralCommunesForm(QueryDict("communes=95500&communes=62041&communes=Lens"))
    assert form.is_valid(), form.errors
    assert [c.name for c in form.cleaned_data["communes"]] == ["Pontoise", "Arras", "Lens"]


def test_a_postal_code_round_trip_keeps_the_commune():
    # 62100 is Calais' postal code and Beaurainville's INSEE code: the page shows Calais and
    # carries Calais' INSEE code, and sending it again still gives Calais.
    form = commune_form("commune=62100")
    assert form.is_valid()
    html = str(form["commune"])
    assert 'value="Calais (62100)"' in html
    assert 'data-insee="62193"' in html
    assert "Beaurainville" not in html
    again = commune_form("commune=Calais+%2862100%29&commune__insee=62193")
    assert again.is_valid()
    assert again.cleaned_data["commune"].pk == "62193"
    without_js = commune_form("commune=Calais+%2862100%29")
    assert without_js.is_valid()
    assert without_js.cleaned_data["commune"].pk == "62193"


def test_an_unresolved_code_is_shown_as_typed_never_read_as_an_insee_code():
    # 62360 is a postal code shared by several communes and Fréthun's INSEE code.
    form = commune_form("commune=62360")
    assert not form.is_valid()
    html = str(form["commune"])
    assert 'value="62360"' in html
    assert "Fréthun" not in html.split("<input", 1)[1].split(">", 1)[0]
