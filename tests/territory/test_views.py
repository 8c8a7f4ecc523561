"""Public territory pages: "Trouver ma commune", the commune page and the 62 outlines."""

import gzip
import json

import pytest
from django.test import override_settings

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
    response = visitor.get("/communes/", {"q": "\x00" * 20})
    assert response.status_code == 200
    response = visitor.get("/communes/?q=" + "x" * 600)
    assert response.status_code == 200
    assert "trop long" in response.content.decode()


def test_the_commune_page_shows_its_identity_and_outline(visitor):
    response = visitor.get("/communes/62193/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Calais</h1>" in html
    for text in ("62100", "CA Grand Calais Terres et Mers", "Calais", "Pas-de-Calais (62)"):
        assert text in html
    assert "Hauts-de-France" in html
    assert "67\u00a0571 habitants" in html
    assert "data-commune-map" in html and 'data-insee="62193"' in html
    assert "data-tile-url" not in html


@override_settings(MAP_TILE_URL="https://tuiles.example/{z}/{x}/{y}.png")
def test_a_configured_tile_server_is_passed_to_the_map(visitor):
    html = visitor.get("/communes/62498/").content.decode()
    assert 'data-tile-url="https://tuiles.example/{z}/{x}/{y}.png"' in html


def test_a_commune_outside_the_62_has_no_map(visitor):
    response = visitor.get("/communes/95500/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Pontoise" in html and "95000, 95300" in html
    assert "data-commune-map" not in html


@pytest.mark.parametrize("code", ["99999", "abc", "621930", "6219"])
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
