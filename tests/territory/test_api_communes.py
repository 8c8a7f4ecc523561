"""GET /api/v1/communes/: the finder over HTTP, never a 500."""

import pytest

pytestmark = pytest.mark.django_db

URL = "/api/v1/communes/"
FIELDS = {
    "insee_code",
    "name",
    "postal_codes",
    "department_code",
    "epci_code",
    "arrondissement_code",
    "latitude",
    "longitude",
    "score",
}


def test_it_returns_the_best_match_first_with_the_documented_fields(visitor):
    response = visitor.get(URL, {"q": "Calaisn"})
    assert response.status_code == 200
    results = response.json()["results"]
    assert results[0]["insee_code"] == "62193"
    assert set(results[0]) == FIELDS
    assert results[0]["postal_codes"] == ["62100"]
    assert results[0]["epci_code"] == "200090751"


def test_a_postal_code_lists_its_communes(visitor):
    response = visitor.get(URL, {"q": "62360", "limit": "20"})
    codes = {row["insee_code"] for row in response.json()["results"]}
    assert {"62746", "62908"} <= codes
    assert "62360" not in codes  # Fréthun's INSEE code: the postal code comes first
    assert len(codes) == 9


def test_the_limit_caps_the_results(visitor):
    response = visitor.get(URL, {"q": "saint", "limit": "3"})
    assert len(response.json()["results"]) == 3


@pytest.mark.parametrize("query", ["", "a", " "])
def test_an_empty_or_one_character_query_gives_an_empty_list(visitor, query):
    response = visitor.get(URL, {"q": query})
    assert response.status_code == 200
    assert response.json() == {"results": []}


def test_no_query_at_all_gives_an_empty_list(visitor):
    response = visitor.get(URL)
    assert response.status_code == 200
    assert response.json() == {"results": []}


@pytest.mark.parametrize(
    "raw_query",
    [
        "q=" + "x" * 500,
        "q=%00%01%02",
        "q=%FF%FE%FD",
        "q=%ED%A0%80",
        "limit=abc&q=calais",
        "limit=0&q=calais",
        "limit=100000&q=calais",
        "limit=" + "9" * 400 + "&q=calais",
    ],
)
def test_bad_input_is_refused_in_french_never_a_500(visitor, raw_query):
    response = visitor.get(f"{URL}?{raw_query}")
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail
    assert any(word in detail for word in ("recherche", "limit", "caractères", "nombre"))


def test_the_endpoint_is_in_the_openapi_schema():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/communes/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"q", "limit"}
    assert "200" in operation["responses"] and "400" in operation["responses"]


def test_q_reads_five_digits_as_a_postal_code_first(visitor):
    results = visitor.get(URL, {"q": "62100"}).json()["results"]
    assert results[0]["insee_code"] == "62193"
    assert "62100" not in {row["insee_code"] for row in results}


@pytest.mark.parametrize(("code", "name"), [("62100", "Beaurainville"), ("62193", "Calais")])
def test_insee_looks_up_that_exact_insee_code(visitor, code, name):
    response = visitor.get(URL, {"insee": code})
    assert response.status_code == 200
    results = response.json()["results"]
    assert [(row["insee_code"], row["name"]) for row in results] == [(code, name)]


def test_an_unknown_insee_code_gives_an_empty_list(visitor):
    response = visitor.get(URL, {"insee": "62999"})
    assert response.status_code == 200
    assert response.json() == {"results": []}


@pytest.mark.parametrize("raw", ["", "621", "6219300", "abcde", "62 93", "x" * 300])
def test_a_malformed_insee_code_is_refused_in_french(visitor, raw):
    response = visitor.get(URL, {"insee": raw})
    assert response.status_code == 400
    assert "code INSEE" in response.json()["detail"]
