"""The near-me page reads a postal code as a postal code, and "Utiliser ma position"."""

import pytest

from solidaire.lib.geo import haversine_km
from solidaire.territory.models import Commune
from solidaire.territory.selectors import nearest_commune
from tests.factories import make_initiative

pytestmark = pytest.mark.django_db

CALAIS, BEAURAINVILLE = "62193", "62100"
URL = "/pres-de-chez-moi/"


def test_62100_finds_calais_and_the_field_shows_calais(visitor):
    make_initiative(title="Épicerie de Calais", communes=(CALAIS,))
    response = visitor.get(URL, {"commune": "62100"})
    assert response.context["commune"].pk == CALAIS
    html = response.content.decode()
    assert 'value="Calais (62100)"' in html
    assert 'data-insee="62193"' in html
    assert "Beaurainville" not in html
    # The next search, sent as the page now stands, still runs around Calais.
    again = visitor.get(URL, {"commune": "Calais (62100)", "commune__insee": CALAIS})
    assert again.context["commune"].pk == CALAIS


def test_the_nearest_commune_is_computed_from_the_stored_points():
    lat, lon = 50.95, 1.86
    commune = nearest_commune(lat, lon)
    best = min(
        Commune.objects.filter(latitude__range=(50.7, 51.2), longitude__range=(1.5, 2.2)),
        key=lambda c: haversine_km(lat, lon, c.latitude, c.longitude),
    )
    assert commune.pk == best.pk


def test_a_position_shows_the_surroundings_of_the_nearest_commune(visitor):
    calais = Commune.objects.get(pk=CALAIS)
    make_initiative(title="Épicerie de Calais", communes=(CALAIS,))
    response = visitor.get(
        URL, {"lat": str(calais.latitude), "lon": str(calais.longitude), "distance": "5"}
    )
    assert response.status_code == 200
    assert response.context["commune"].pk == CALAIS
    assert response.context["distance"] == 5
    assert [near.initiative.title for near in response.context["results"]] == ["Épicerie de Calais"]
    html = response.content.decode()
    assert 'value="Calais (62100)"' in html and 'data-insee="62193"' in html
    assert 'class="fr-hidden" data-near-me-position' in html  # shown by the script only


def test_a_position_outside_france_says_so_in_french(visitor):
    response = visitor.get(URL, {"lat": "40.71", "lon": "-74.0"})  # New York
    assert response.status_code == 200
    assert response.context["results"] is None
    assert "hors de France" in response.context["position_error"]
    assert "hors de France" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"lat": "abc", "lon": "1.86"},
        {"lat": "50.95"},
        {"lon": "1.86"},
        {"lat": "95", "lon": "1.86"},
        {"lat": "50.95", "lon": "nan"},
        {"lat": "inf", "lon": "1.86"},
        {"lat": "50,95", "lon": "1,86"},
        {"lat": "x" * 500, "lon": "1.86"},
        {"lat": "50.95", "lon": "1.86", "distance": "7"},
    ],
)
def test_a_malformed_position_gets_a_french_error_never_a_500(visitor, params):
    response = visitor.get(URL, params)
    assert response.status_code == 200
    assert response.context["results"] is None
    error = response.context["position_error"]
    assert error and error in response.content.decode().replace("&#x27;", "'")
