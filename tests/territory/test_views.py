"""Territory pieces of public pages: identity and map includes, the 62 outlines."""

import gzip
import json

import pytest
from django.template.loader import render_to_string
from django.test import override_settings

from solidaire.territory.maps import commune_map_context
from solidaire.territory.models import Commune

pytestmark = pytest.mark.django_db


def test_the_search_page_shows_the_autocomplete_form(visitor):
    response = visitor.get("/communes/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Trouver ma commune</h1>" in html
    assert "data-commune-autocomplete" in html
    assert "data-submit-on-select" in html


def test_a_single_exact_match_goes_straight_to_the_commune_page(visitor):
    response = visitor.get("/communes/", {"q": "calais"})
    assert response.status_code == 302
    assert response["Location"] == "/communes/62193/"


def test_the_code_chosen_in_the_autocomplete_goes_to_that_commune(visitor):
    response = visitor.get("/communes/", {"q": "Calais (62100)", "q__insee": "62193"})
    assert response["Location"] == "/communes/62193/"


def test_an_ambiguous_search_lists_the_candidates(visitor):
    response = visitor.get("/communes/", {"q": "Saint-Omer"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Plusieurs communes correspondent" in html
    assert 'href="/communes/62765/"' in html and 'href="/communes/14635/"' in html


def test_a_typo_lists_the_closest_communes_first(visitor):
    response = visitor.get("/communes/", {"q": "Calaisn"})
    results = response.content.decode().split('id="resultats-titre"')[1]
    assert results.index('href="/communes/62193/"') < results.index("Chalais")


def test_an_unknown_search_says_so(visitor):
    response = visitor.get("/communes/", {"q": "Zzyzxqwv"})
    assert response.status_code == 200
    assert "Aucune commune trouvée" in response.content.decode()


def test_garbage_in_the_search_is_a_form_error_not_a_500(visitor):
    # NUL bytes stop at the boundary (solidaire/middleware.py), with a French 400.
    response = visitor.get("/communes/", {"q": "\x00" * 20})
    assert response.status_code == 400
    assert "caractère invisible non autorisé" in response.content.decode()
    response = visitor.get("/communes/?q=" + "x" * 600)
    assert response.status_code == 200
    assert "trop long" in response.content.decode()


def render_commune(insee):
    commune = Commune.objects.select_related("department__region", "arrondissement", "epci").get(
        pk=insee
    )
    context = {"commune": commune, **commune_map_context(commune)}
    return render_to_string("territory/_commune_identity.html", context) + render_to_string(
        "territory/_commune_map.html", context
    )


def test_the_identity_include_shows_codes_population_epci_arrondissement_department():
    html = render_commune("62193")
    for text in (
        "Code postal",
        "62100",
        "62193",
        "67\u00a0571 habitants",
        "CA Grand Calais Terres et Mers",
        "200090751",
        "Arrondissement",
        "(626)",
        "Pas-de-Calais (62)",
        "Hauts-de-France",
    ):
        assert text in html, text


def test_the_identity_include_handles_several_postal_codes_and_no_epci():
    assert "Codes postaux" in render_commune("95500")
    assert "95000, 95300" in render_commune("95500")
    island = render_commune("29155")  # Ouessant belongs to no EPCI
    assert "Intercommunalité (EPCI)</dt>\n    <dd>Aucune" in island


def test_the_map_include_points_at_the_outlines_for_a_commune_of_the_62():
    html = render_commune("62193")
    assert "data-commune-map" in html and 'data-insee="62193"' in html
    assert 'data-geojson-url="/territoire/communes-62.geojson"' in html
    assert "leaflet.js" in html
    assert "data-tile-url" not in html


@override_settings(MAP_TILE_URL="https://tuiles.example/{z}/{x}/{y}.png")
def test_a_configured_tile_server_is_passed_to_the_map():
    html = render_commune("62498")
    assert 'data-tile-url="https://tuiles.example/{z}/{x}/{y}.png"' in html


def test_a_commune_outside_the_62_has_no_map():
    assert "data-commune-map" not in render_commune("95500")


def test_every_page_loads_the_commune_autocomplete(visitor):
    html = visitor.get("/accessibilite/").content.decode()
    assert "js/commune-autocomplete.js" in html


@pytest.mark.parametrize("code", ["99999", "abc"])
def test_an_unknown_commune_is_a_dsfr_404(visitor, code):
    response = visitor.get(f"/communes/{code}/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page non trouvée" in html and "fr-header" in html


def test_the_62_outlines_are_served_gzipped_and_cached(visitor):
    response = visitor.get("/territoire/communes-62.geojson", HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert response["Content-Type"] == "application/geo+json"
    assert "max-age" in response["Cache-Control"]
    data = json.loads(gzip.decompress(response.content))
    assert len(data["features"]) == 887
    etag = response["ETag"]
    again = visitor.get("/territoire/communes-62.geojson", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304


def test_the_62_outlines_are_served_plain_to_clients_without_gzip(visitor):
    response = visitor.get("/territoire/communes-62.geojson")
    assert "Content-Encoding" not in response
    data = json.loads(response.content)
    assert {f["properties"]["insee_code"] for f in data["features"]} >= {"62193", "62498"}
