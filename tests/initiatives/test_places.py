import pytest

from solidaire.initiatives.models import Initiative, Status
from solidaire.initiatives.nearby import haversine_km
from solidaire.territory.models import Commune
from solidaire.territory.reference import area_point
from tests.factories import make_initiative
from tests.initiatives.factories import make_many

pytestmark = pytest.mark.django_db

CALAIS, LILLERS, BURBURE, BETHUNE, ARRAS = "62193", "62516", "62188", "62119", "62041"


def titles(items):
    return {getattr(item, "initiative", item).title for item in items}


@pytest.fixture
def lillers_world():
    lillers = Commune.objects.get(pk=LILLERS)
    return {
        "here": make_initiative(title="CCAS de Lillers", communes=(LILLERS,)),
        "epci": make_initiative(title="Agglomération", communes=(), epcis=(lillers.epci_id,)),
        "arrondissement": make_initiative(
            title="Arrondissement", communes=(), arrondissements=(lillers.arrondissement_id,)
        ),
        "department": make_initiative(title="Tout le 62", communes=(), departments=("62",)),
        "near": make_initiative(title="Burbure", communes=(BURBURE,)),
        "far": make_initiative(title="Calais", communes=(CALAIS,)),
        "draft": make_initiative(title="Brouillon", communes=(LILLERS,), status=Status.SUBMITTED),
    }


def test_the_commune_page_lists_initiatives_by_how_they_reach_it(visitor, lillers_world):
    response = visitor.get(f"/communes/{LILLERS}/")
    assert response.status_code == 200
    assert titles(response.context["here"]) == {"CCAS de Lillers"}
    assert titles(response.context["covering"]) == {"Agglomération", "Arrondissement", "Tout le 62"}
    nearby = response.context["nearby"]
    assert titles(nearby) == {"Burbure"}
    assert all(near.distance_km <= 15 for near in nearby)
    html = response.content.decode()
    assert "Lillers" in html and "62190" in html


def test_nearby_uses_the_15_km_radius(visitor, db):
    lillers = Commune.objects.get(pk=LILLERS)
    within = Commune.objects.get(pk=BETHUNE)
    assert haversine_km(lillers.latitude, lillers.longitude, within.latitude, within.longitude) < 15
    make_initiative(title="Béthune", communes=(BETHUNE,))
    make_initiative(title="Arras", communes=(ARRAS,))  # about 40 km away
    response = visitor.get(f"/communes/{LILLERS}/")
    assert titles(response.context["nearby"]) == {"Béthune"}


def test_an_area_only_initiative_is_placed_at_its_most_populous_commune(db):
    lillers = Commune.objects.get(pk=LILLERS)
    biggest = (
        Commune.objects.filter(epci_id=lillers.epci_id)
        .order_by("-population", "insee_code")
        .first()
    )
    assert area_point("epci", lillers.epci_id) == (biggest.latitude, biggest.longitude)


def test_nearby_finds_area_only_initiatives_of_other_areas(visitor, db):
    # From Calais, the Boulonnais EPCI's point (Boulogne-sur-Mer) is about 35 km away.
    boulogne = Commune.objects.get(pk="62160")
    make_initiative(title="Boulonnais", communes=(), epcis=(boulogne.epci_id,))
    response = visitor.get("/pres-de-chez-moi/?commune=Calais&distance=50")
    assert titles(response.context["results"]) == {"Boulonnais"}
    response = visitor.get("/pres-de-chez-moi/?commune=Calais&distance=15")
    assert titles(response.context["results"]) == set()


def test_an_unknown_commune_is_a_dsfr_404(visitor, db):
    response = visitor.get("/communes/99999/")
    assert response.status_code == 404
    assert "Page non trouvée" in response.content.decode()
    assert "fr-btn" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/epci/000000000/",
        "/epci/abc/",
        "/arrondissements/999/",
        "/communes/x/",
    ],
)
def test_unknown_areas_are_not_found(visitor, db, url):
    assert visitor.get(url).status_code == 404


def test_the_epci_page_lists_its_initiatives_and_communes(visitor, lillers_world):
    lillers = Commune.objects.get(pk=LILLERS)
    response = visitor.get(f"/epci/{lillers.epci_id}/")
    assert response.status_code == 200
    page_titles = titles(response.context["page"].object_list)
    assert {"CCAS de Lillers", "Agglomération", "Burbure"} <= page_titles
    assert "Calais" not in page_titles
    assert f'href="/communes/{LILLERS}/"' in response.content.decode()


@pytest.mark.parametrize("path", ["/epci/200033579/", "/arrondissements/621/"])
def test_area_pages_list_communes_in_french_alphabetical_order(visitor, db, path):
    names = [commune.name for commune in visitor.get(path).context["communes"]]
    assert "Écurie" in names and "Étrun" in names
    assert names.index("Écurie") < names.index("Fampoux")
    assert names.index("Boisleux-au-Mont") < names.index("Boisleux-Saint-Marc")


def test_the_arrondissement_page_lists_its_initiatives(visitor, lillers_world):
    lillers = Commune.objects.get(pk=LILLERS)
    response = visitor.get(f"/arrondissements/{lillers.arrondissement_id}/")
    assert response.status_code == 200
    page_titles = titles(response.context["page"].object_list)
    assert {"CCAS de Lillers", "Arrondissement"} <= page_titles
    assert "Tout le 62" not in page_titles


def test_near_me_lists_the_communes_of_a_shared_postal_code(visitor, lillers_world):
    response = visitor.get("/pres-de-chez-moi/?commune=62190")
    assert response.status_code == 200
    assert "Lillers (62)" in response.context["form"].errors["commune"][0]


def test_near_me_accepts_a_postal_code(visitor, lillers_world):
    response = visitor.get("/pres-de-chez-moi/?commune=Lillers (62190)")
    assert response.status_code == 200
    assert response.context["commune"].insee_code == LILLERS
    results = response.context["results"]
    assert results[0].initiative.title == "CCAS de Lillers"
    assert [near.distance_km for near in results] == sorted(near.distance_km for near in results)


def test_near_me_accepts_a_name_without_accents_or_case(visitor, lillers_world):
    response = visitor.get("/pres-de-chez-moi/?commune=aire sur la lys")
    assert response.context["commune"].insee_code == "62014"


def test_near_me_lists_candidates_of_an_ambiguous_misspelling(visitor, db):
    response = visitor.get("/pres-de-chez-moi/?commune=Calaisn")
    assert "Calais (62)" in response.context["form"].errors["commune"][0]


@pytest.mark.parametrize(
    "query",
    [
        "commune=Xqzwvbkjh",
        "commune=",
        "commune=a&distance=7",
        "commune=" + "x" * 500,
    ],
)
def test_near_me_explains_bad_input_in_french(visitor, db, query):
    response = visitor.get(f"/pres-de-chez-moi/?{query}")
    assert response.status_code == 200
    assert response.context["form"].errors
    assert response.context["results"] is None


def test_the_commune_search_leads_to_the_commune_page_of_this_app(visitor, lillers_world):
    response = visitor.get("/communes/?q=Lillers", follow=True)
    assert response.redirect_chain == [(f"/communes/{LILLERS}/", 302)]
    assert titles(response.context["here"]) == {"CCAS de Lillers"}


def test_the_commune_page_links_to_near_me_by_insee_code(visitor, lillers_world):
    html = visitor.get(f"/communes/{LILLERS}/").content.decode()
    assert f"/pres-de-chez-moi/?commune__insee={LILLERS}" in html
    response = visitor.get(f"/pres-de-chez-moi/?commune__insee={LILLERS}")
    assert response.context["commune"].insee_code == LILLERS


@pytest.mark.parametrize("count", [5, 50])
def test_place_pages_render_in_a_constant_number_of_queries(
    visitor, django_assert_max_num_queries, count, settings
):
    settings.PAGE_CACHE = False  # the views' own queries, not the page cache's hits
    make_many(count)  # in Calais and on the CU d'Arras
    calais = Commune.objects.get(pk=CALAIS)
    visitor.get(f"/communes/{CALAIS}/")  # fills the cached area points
    with django_assert_max_num_queries(16):
        response = visitor.get(f"/communes/{CALAIS}/")
    assert len(response.context["here"]) == min(count, 30)  # a page of the commune's own
    assert response.context["here"].paginator.count == count
    with django_assert_max_num_queries(9):
        response = visitor.get(f"/epci/{calais.epci_id}/")
    assert response.context["page"].paginator.count == count
    with django_assert_max_num_queries(9):
        response = visitor.get("/epci/200033579/")
    assert response.context["page"].paginator.count == count
    with django_assert_max_num_queries(16):
        response = visitor.get("/pres-de-chez-moi/?commune=Calais")
    assert len(response.context["results"]) == count


def test_the_commune_page_paginates_its_own_initiatives(visitor, db):
    make_many(35)  # in Calais and on the CU d'Arras
    first = visitor.get(f"/communes/{CALAIS}/")
    second = visitor.get(f"/communes/{CALAIS}/?page=2")
    assert len(first.context["here"].object_list) == 30
    assert len(second.context["here"].object_list) == 5
    assert titles(first.context["here"]).isdisjoint(titles(second.context["here"]))
    assert 'href="?page=2"' in first.content.decode()
    assert visitor.get(f"/communes/{CALAIS}/?page=3").status_code == 404
    # None of its own initiatives, on any page, comes back as "nearby".
    assert not titles(first.context["nearby"]) & titles(Initiative.objects.public())


def test_the_covering_list_is_bounded_and_links_to_the_areas(visitor, db):
    for i in range(14):
        make_initiative(title=f"Tout le 62, {i}", communes=(), departments=("62",))
    response = visitor.get(f"/communes/{LILLERS}/")
    assert len(response.context["covering"]) == 12
    assert response.context["covering_more"]
    assert 'href="/departements/62/"' in response.content.decode()
