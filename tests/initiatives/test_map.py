import pytest

from solidaire.territory.reference import area_point
from tests.factories import make_campaign, make_initiative
from tests.initiatives.factories import make_many

pytestmark = pytest.mark.django_db

CALAIS, LILLERS, LILLE = "62193", "62516", "59350"


@pytest.fixture
def world():
    floods = make_campaign(slug="inondations", name="Inondations")
    return {
        "calais": make_initiative(title="Visières de Calais", communes=(CALAIS,)),
        "calais2": make_initiative(title="Sacs de sable", communes=(CALAIS,), campaign=floods),
        "lillers": make_initiative(title="CCAS de Lillers", communes=(LILLERS,)),
        "lille": make_initiative(title="Lille", communes=(LILLE,), owner="59"),
        "cua": make_initiative(title="CUA", communes=(), epcis=("200033579",)),
    }


def test_the_map_page_wires_the_map_and_lists_the_same_results(visitor, world):
    response = visitor.get("/carte/?campaign=inondations")
    html = response.content.decode()
    assert response.status_code == 200
    assert "data-map" in html
    assert 'data-map-counts="/carte/compteurs.json?campaign=inondations"' in html
    assert "/static/js/map.js" in html
    assert [i.title for i in response.context["page"].object_list] == ["Sacs de sable"]
    assert "<table>" in html


def test_the_counts_shade_communes_and_place_points(visitor, world):
    data = visitor.get("/carte/compteurs.json").json()
    # The instance's communes are shaded; the Nord's initiative is counted at its
    # département's point, the area-only initiative at its EPCI's.
    assert data["communes"] == {CALAIS: 2, LILLERS: 1}
    assert data["points"] == {
        "commune": {},
        "epci": {"200033579": 1},
        "arrondissement": {},
        "department": {"59": 1},
    }
    places = visitor.get("/carte/lieux.json").json()
    lat, lon = area_point("epci", "200033579")
    assert places["epci"]["200033579"][:2] == [lat, lon]
    assert places["department"]["59"][2:] == ["Nord", "/departements/59/"]
    assert places["epci"]["200033579"][3] == "/epci/200033579/"


def test_the_counts_honour_the_list_filters(visitor, world):
    data = visitor.get("/carte/compteurs.json?campaign=inondations").json()
    assert data["communes"] == {CALAIS: 1}
    assert data["points"] == {"commune": {}, "epci": {}, "arrondissement": {}, "department": {}}
    assert "partial" not in data


@pytest.mark.parametrize("instance", ["62", "*"])
def test_the_stored_and_the_live_counts_agree(visitor, world, instance, settings):
    settings.INSTANCE_DEPARTMENTS = instance
    stored = visitor.get("/carte/compteurs.json").json()
    # A filter that keeps everything: counted live from the initiatives.
    live = visitor.get("/carte/compteurs.json?campaign=").json()
    assert live == stored
    for status in ("published", "archived"):
        stored = visitor.get(f"/carte/compteurs.json?status={status}").json()
        theme_less = visitor.get(f"/carte/compteurs.json?status={status}&q=").json()
        assert stored == theme_less


def test_a_filtered_map_beyond_its_limit_says_it_is_partial(visitor, world, monkeypatch):
    from solidaire.initiatives import selectors_map

    monkeypatch.setattr(selectors_map, "MAP_FILTERED_LIMIT", 2)
    data = visitor.get("/carte/compteurs.json?actor_kind=other").json()
    assert data["partial"] is True
    assert sum(data["communes"].values()) + sum(data["points"]["epci"].values()) <= 2


def test_the_communes_of_a_departement_come_apart(visitor, world):
    data = visitor.get("/carte/compteurs.json?communes_de=59").json()
    assert data == {"communes": {LILLE: 1}}
    filtered = visitor.get("/carte/compteurs.json?communes_de=62&campaign=inondations").json()
    assert filtered == {"communes": {CALAIS: 1}}
    response = visitor.get("/carte/compteurs.json?communes_de=00")
    assert response.status_code == 404
    assert response.json() == {"detail": "Département inconnu."}


def test_bad_filters_do_not_break_the_counts(visitor, world):
    response = visitor.get("/carte/compteurs.json?campaign=nope&epci=zz&q=" + "x" * 2000)
    assert response.status_code == 200
    assert response.json()["communes"][LILLERS] == 1


def test_clicking_a_commune_lists_its_initiatives(visitor, world):
    response = visitor.get(f"/carte/communes/{LILLERS}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "CCAS de Lillers" in html
    assert "Visières de Calais" not in html
    assert "<html" not in html


def test_the_panel_honours_the_filters(visitor, world):
    html = visitor.get(f"/carte/communes/{CALAIS}/?campaign=inondations").content.decode()
    assert "Sacs de sable" in html
    assert "Visières de Calais" not in html


def test_the_panel_of_an_unknown_commune_is_not_found(visitor, db):
    assert visitor.get("/carte/communes/99999/").status_code == 404


def test_the_map_uses_the_outlines_served_by_the_territory_app(visitor, db):
    html = visitor.get("/carte/").content.decode()
    assert 'data-map-geojson="/territoire/communes-62.geojson"' in html


@pytest.mark.parametrize("count", [5, 50])
def test_map_endpoints_use_a_constant_number_of_queries(
    visitor, django_assert_max_num_queries, count, settings
):
    settings.PAGE_CACHE = False  # the views' own queries, not the page cache's hits
    make_many(count)
    visitor.get("/carte/")  # fills the cached filter choices and area points
    visitor.get("/carte/compteurs.json")
    with django_assert_max_num_queries(6):
        response = visitor.get("/carte/")
    assert response.context["page"].paginator.count == count
    with django_assert_max_num_queries(8):
        data = visitor.get("/carte/compteurs.json").json()
    assert data["communes"] == {CALAIS: count}
    with django_assert_max_num_queries(5):
        visitor.get(f"/carte/communes/{CALAIS}/")
