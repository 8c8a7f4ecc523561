"""Territory pieces of public pages: identity and map includes, the 62 outlines."""

import gzip
import json

import pytest
from django.template.loader import render_to_string
from django.test import override_settings

from solidaire.territory.models import Commune
from solidaire.territory.views import commune_map_context

pytestmark = pytest.mark.django_db


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
