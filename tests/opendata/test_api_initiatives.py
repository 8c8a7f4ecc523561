import pytest

from solidaire.initiatives.models import Initiative
from solidaire.initiatives.selectors import InitiativeFilters, initiative_search

pytestmark = pytest.mark.django_db

URL = "/api/v1/initiatives/"


def _ids(response):
    return [item["id"] for item in response.json()["results"]]


def test_it_lists_only_published_and_archived_initiatives(visitor, demo):
    response = visitor.get(URL)
    assert response.status_code == 200
    assert set(_ids(response)) == {i.pk for i in demo["public"]}


def test_it_gives_the_same_results_as_the_public_search(visitor, demo):
    for params, filters in [
        ({"department": "62"}, InitiativeFilters(department="62")),
        ({"epci": "200033579"}, InitiativeFilters(epci="200033579")),
        ({"commune": "62041"}, InitiativeFilters(commune="62041")),
        ({"actor_kind": "municipality"}, InitiativeFilters(actor_kind="municipality")),
        ({"status": "archived"}, InitiativeFilters(status="archived")),
        ({"q": "visières"}, InitiativeFilters(q="visières")),
        ({"theme": demo["themes"][0].slug}, InitiativeFilters(theme=demo["themes"][0].slug)),
        ({"owner_department": "59"}, InitiativeFilters(owner_department="59")),
    ]:
        expected = list(initiative_search(filters=filters).values_list("pk", flat=True))
        assert expected, params
        assert _ids(visitor.get(URL, params)) == expected, params


def test_it_orders_newest_first_and_pages_with_a_stable_cursor(visitor, demo):
    seen = []
    response = visitor.get(URL, {"page_size": 2})
    while True:
        body = response.json()
        assert len(body["results"]) <= 2
        seen += [item["id"] for item in body["results"]]
        if not body["next"]:
            break
        response = visitor.get(body["next"])
    expected = list(initiative_search(filters=InitiativeFilters()).values_list("pk", flat=True))
    assert seen == expected
    assert len(seen) == len(set(seen)) == 5


def test_it_serialises_places_with_points_and_quantities(visitor, demo):
    visors, _, _, area, _ = demo["public"]
    body = visitor.get(f"{URL}{visors.pk}/").json()
    assert body["title"] == visors.title
    assert body["places"][0]["code"] == "62193"
    assert body["places"][0]["name"] == "Calais"
    assert round(body["places"][0]["latitude"], 1) == 51.0
    assert body["quantities"][0]["count"] == 1300
    page = "https://www.facebook.com/MDNIduCalaisis/"
    assert body["public_contacts"] == [{"kind": "url", "value": page, "label": page, "url": page}]
    area_body = visitor.get(f"{URL}{area.pk}/").json()
    assert area_body["places"][0]["kind"] == "epci"
    # The CUA's representative point is its most populous commune, Arras.
    assert round(area_body["places"][0]["latitude"], 2) == 50.29


def test_it_hides_non_public_initiatives_in_detail(visitor, demo):
    for initiative in demo["hidden"]:
        response = visitor.get(f"{URL}{initiative.pk}/")
        assert response.status_code == 404
        assert "detail" in response.json()


@pytest.mark.parametrize("raw", ["abc", "-1", "0", "99999999999999999999999", "١٢"])
def test_it_answers_404_json_for_malformed_ids(visitor, raw):
    response = visitor.get(f"{URL}{raw}/")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_it_refuses_unknown_filter_values_listing_the_allowed_ones(visitor, demo):
    response = visitor.get(URL, {"actor_kind": "dragon"})
    assert response.status_code == 400
    message = response.json()["actor_kind"][0]
    assert "dragon" in message and "association" in message and "municipality" in message
    response = visitor.get(URL, {"campaign": "peste"})
    assert response.status_code == 400
    assert "covid-19" in response.json()["campaign"][0]
    response = visitor.get(URL, {"status": "submitted"})
    assert response.status_code == 400
    assert "published" in response.json()["status"][0]
    response = visitor.get(URL, {"commune": "99999"})
    assert response.status_code == 400
    assert "Code INSEE inconnu" in response.json()["commune"][0]


@pytest.mark.parametrize(
    "params, field",
    [
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "201"}, "page_size"),
        ({"page_size": "dix"}, "page_size"),
        ({"cursor": "pas-un-curseur"}, "cursor"),
        # Valid base64 of "p=hello": well encoded but not a position.
        ({"cursor": "cD1oZWxsbw=="}, "cursor"),
        ({"updated_since": "hier"}, "updated_since"),
        ({"q": "x" * 1001}, "q"),
        ({"q": "masque\x00"}, "q"),
        ({"commune": "62\x00041"}, "commune"),
        ({"epci": "2000\x0033579"}, "epci"),
        ({"theme": "\x00"}, "theme"),
    ],
)
def test_it_refuses_bad_parameters_with_a_clear_400(visitor, demo, params, field):
    response = visitor.get(URL, params)
    assert response.status_code == 400
    assert field in response.json()


def test_it_refuses_very_long_query_strings(visitor):
    response = visitor.get(URL, {"theme": "x" * 5000})
    assert response.status_code == 400
    assert "trop longue" in response.json()["detail"]
    response = visitor.get(URL + "?" + "&".join("a" for _ in range(1200)))
    assert response.status_code == 400
    assert "Trop de paramètres" in response.json()["detail"]
    response = visitor.get("/donnees/initiatives.csv?" + "&".join("a" for _ in range(1200)))
    assert response.status_code == 400


def test_it_treats_injection_attempts_in_q_as_plain_text(visitor, demo):
    for q in ["' OR 1=1 --", "%", "_", "\\", "<script>alert(1)</script>", '"; DROP TABLE x; --']:
        response = visitor.get(URL, {"q": q})
        assert response.status_code == 200, q
        expected = initiative_search(filters=InitiativeFilters(q=q)).values_list("pk", flat=True)
        assert _ids(response) == list(expected), q
        assert len(_ids(response)) in (0, 5), q  # nothing, or punctuation ignored
    assert Initiative.objects.count() == 8


def test_it_filters_by_updated_since(visitor, demo):
    assert len(_ids(visitor.get(URL, {"updated_since": "2000-01-01"}))) == 5
    assert _ids(visitor.get(URL, {"updated_since": "2999-01-01T00:00:00+01:00"})) == []


def test_it_lists_in_a_constant_number_of_queries(visitor, demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = visitor.get(URL, {"page_size": 200})
    assert len(response.json()["results"]) == 5


def test_it_throttles_anonymous_clients_with_a_429(visitor, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/min"},
    }
    # Distinct query strings: an answer served from the page cache is not counted
    # (tests/test_page_cache.py), each of these reaches the view.
    assert visitor.get(URL).status_code == 200
    assert visitor.get(f"{URL}?page_size=2").status_code == 200
    response = visitor.get(f"{URL}?page_size=3")
    assert response.status_code == 429
    assert response.json()["detail"]
    assert int(response["Retry-After"]) > 0
