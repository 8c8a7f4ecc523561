"""NUL and other control characters stop at the boundary: a French 400 for an address, a
French form error for a field; text areas keep their line breaks and tabs."""

import pytest

from solidaire.initiatives.models import Initiative
from tests.initiatives.factories import propose_data

pytestmark = pytest.mark.django_db

URLS_WITH_NUL = [
    "/initiatives/suivi/abc%00def/",
    "/initiatives/suivi/abc%00def/modifier/",
    "/bulletins/desabonnement/abc%00def/",
    "/bulletins/abonnement/confirmer/abc%00def/",
    "/comptes/invitation/abc%00def/",
    "/flux/communes/62%00041/rss/",
    "/flux/communes/62%00041/atom/",
    "/initiatives/?q__insee=62%0041",
    "/initiatives/?q=visi%1Bres",
    "/initiatives/?q%00=1",
    "/donnees/initiatives.csv?commune=62%00041",
    # Once answered by each view (a 404, a form error), now refused before any view.
    "/initiatives/?arrondissement=%00",
    "/carte/compteurs.json?epci=%00",
    "/communes/%00/",
    "/epci/%00/",
    "/arrondissements/62%00/",
    "/carte/communes/%00/",
    "/pres-de-chez-moi/?commune=%00",
    "/pres-de-chez-moi/?commune=Lillers&distance=%00",
]


@pytest.mark.parametrize("url", URLS_WITH_NUL)
def test_it_refuses_an_address_with_a_control_character_with_a_french_400(client, url):
    response = client.get(url)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Demande incorrecte" in html
    assert "caractère invisible non autorisé" in html


def test_the_api_refuses_a_control_character_in_json_naming_the_parameter(client):
    response = client.get("/api/v1/initiatives/?q__insee=62%0041&page_size=10")
    assert response.status_code == 400
    body = response.json()
    assert "caractères de contrôle non autorisés (caractère nul)" in body["detail"]
    assert list(body) == ["detail", "q__insee"]


def test_it_drops_a_cookie_with_a_nul_rather_than_reading_the_session_with_it(client):
    client.cookies["sessionid"] = "abc\x00defghijkl"
    assert client.get("/initiatives/").status_code == 200


def test_it_refuses_a_nul_in_the_form_communes_with_a_french_error_and_keeps_the_input(client):
    response = client.post(
        "/initiatives/proposer/", propose_data(communes=["62\x00193"], title="Visières\x00")
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    for field in ("communes", "title"):
        assert "caractère invisible non autorisé (caractère nul)" in errors[field][0]
    html = response.content.decode()
    assert "Production de **visières**" in html  # the rest of the input is kept
    assert not Initiative.objects.exists()


def test_it_refuses_a_tab_in_a_one_line_field_but_not_line_breaks_in_a_text_area(client):
    response = client.post("/initiatives/proposer/", propose_data(title="Visières\tpour tous"))
    assert response.status_code == 400
    assert "caractère invisible non autorisé (tabulation)" in response.content.decode()

    text = "Première ligne\r\n\tdeuxième ligne"
    response = client.post("/initiatives/proposer/", propose_data(description=text))
    assert response.status_code == 302
    assert Initiative.objects.get().description.replace("\r\n", "\n") == text.replace("\r\n", "\n")


def test_it_refuses_an_escape_character_even_in_a_text_area(client):
    response = client.post("/initiatives/proposer/", propose_data(description="Texte \x1b[31m"))
    assert response.status_code == 400
    assert "caractère de contrôle U+001B" in response.content.decode()


def test_a_key_no_integer_column_holds_is_an_invalid_choice_not_a_server_error(client):
    # SQLite cannot bind 2**64 (OverflowError): the form refuses it first, in French.
    data = propose_data(themes=["18446744073709551616"])
    response = client.post("/initiatives/proposer/", data)
    assert response.status_code == 400
    assert "18446744073709551616" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["9" * 30, "-" + "9" * 30])
def test_a_choice_of_rows_refuses_a_key_too_large_for_the_database(value):
    from django import forms

    from solidaire.forms import DsfrBaseForm
    from solidaire.initiatives.models import Theme

    class Form(DsfrBaseForm):
        themes = forms.ModelMultipleChoiceField(queryset=Theme.objects.all())
        theme = forms.ModelChoiceField(queryset=Theme.objects.all())

    form = Form({"themes": [value], "theme": value})
    assert not form.is_valid()
    assert set(form.errors) == {"themes", "theme"}
    assert "Sélectionnez un choix valide" in form.errors["themes"][0]
