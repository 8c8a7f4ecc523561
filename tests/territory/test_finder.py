"""The commune finder, table-driven: what people type → the commune they mean."""

from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.test import override_settings

from solidaire.territory import finder
from solidaire.territory.finder import QueryError, find_communes, get_index
from solidaire.territory.management.commands import load_territory as load_command
from solidaire.territory.models import Commune

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _session_index_back_after_each_test(monkeypatch):
    # A test that adds a commune or changes the home département rebuilds the index (seconds);
    # once its changes are rolled back, the next test gets the previous index back instead
    # of rebuilding it again.
    monkeypatch.setattr(finder, "_cached", get_index())


POSTAL_62360 = {
    "62075",
    "62235",
    "62281",
    "62446",
    "62448",
    "62474",
    "62746",
    "62755",
    "62908",
}

# (query, INSEE code expected first)
FIRST = [
    ("Calaisn", "62193"),
    ("calais", "62193"),
    ("CALAIS", "62193"),
    ("saint etienne au mont", "62746"),
    ("St-Étienne-au-Mont", "62746"),
    ("st etienne au mont", "62746"),
    ("Saint-Etienne au Mont", "62746"),
    ("neufchatel hardelot", "62604"),
    ("Neufchâtel-Hardelot", "62604"),
    ("Pontoise", "95500"),
    ("Lens", "62498"),
    ("Boulogne", "62160"),
    ("Hénin Beaumont", "62427"),
    ("henin-beaumon", "62427"),
    ("Bethnue", "62119"),
    ("Boulogn sur mr", "62160"),
    ("portel", "62667"),
    ("hesdin l abbe", "62448"),
    ("Hesdin-l’Abbé", "62448"),
    ("hardelot", "62604"),
    ("62193", "62193"),
    ("62100", "62193"),
    ("2A004", "2A004"),
    ("marseile", "13055"),
]


@pytest.mark.parametrize(("query", "insee"), FIRST)
def test_it_ranks_the_expected_commune_first(query, insee):
    results = find_communes(query)
    assert results, f"nothing found for {query!r}"
    assert results[0].insee_code == insee


def test_a_postal_code_gives_its_communes_not_the_commune_with_that_insee_code():
    # Fréthun's INSEE code is 62360, but 62360 is a postal code: the postal code wins.
    codes = {match.insee_code for match in find_communes("62360")}
    assert codes == POSTAL_62360


def test_62100_gives_calais_first_not_beaurainville():
    results = find_communes("62100")
    assert results[0].insee_code == "62193"
    assert "62100" not in {match.insee_code for match in results}  # Beaurainville


def test_a_postal_code_shared_by_many_communes_lists_them_most_populous_first():
    results = find_communes("62360", limit=50)
    expected = list(
        Commune.objects.filter(postal_codes__contains="62360")
        .order_by("-population", "name")
        .values_list("insee_code", "population")
    )
    assert len(results) == len(expected) > 5
    populations = [match.population for match in results]
    assert populations == sorted(populations, reverse=True)
    assert {m.insee_code for m in results} == {code for code, _ in expected}


def test_five_digits_that_are_only_an_insee_code_still_find_that_commune():
    assert not Commune.objects.filter(postal_codes__contains="62193").exists()
    results = find_communes("62193")
    assert [match.insee_code for match in results] == ["62193"]


def test_lens_comes_before_any_other_commune():
    results = find_communes("Lens")
    assert results[0].insee_code == "62498"
    assert all(match.score < results[0].score for match in results[1:])
    assert "26162" in {match.insee_code for match in results}  # Lens-Lestang, a prefix


def test_exact_ranks_before_prefix_before_fuzzy():
    results = find_communes("Pontoise", limit=5)
    assert [m.insee_code for m in results[:2]] == ["95500", "60507"]
    assert results[0].score > results[1].score
    fuzzy = find_communes("Calaisn")[0]
    assert fuzzy.score < results[1].score


def test_the_home_department_wins_ties_then_population():
    results = find_communes("Boulogne")
    assert results[0].insee_code == "62160"
    # Then, in the same tier, the most populated: Boulogne-Billancourt.
    assert results[1].insee_code == "92012"


@override_settings(HOME_DEPARTMENT="92")
def test_another_home_department_changes_the_tie_break():
    assert find_communes("Boulogne")[0].insee_code == "92012"


def test_a_match_carries_the_commune_identity():
    calais = find_communes("Calais", limit=1)[0]
    assert calais.name == "Calais"
    assert calais.postal_codes == ["62100"]
    assert calais.department_code == "62"
    assert calais.arrondissement_code == "626"
    assert calais.epci_code == "200090751"
    assert calais.population > 60000
    assert 50.9 < calais.latitude < 51.0 and 1.8 < calais.longitude < 1.9


def test_the_limit_is_respected():
    assert len(find_communes("saint", limit=3)) == 3
    assert len(find_communes("saint", limit=10_000)) == finder.MAX_LIMIT


@pytest.mark.parametrize("query", ["", " ", "a", "-", "'", "\u00e9"])
def test_empty_or_one_character_queries_find_nothing(query):
    assert find_communes(query) == []


@pytest.mark.parametrize("query", ["x" * 500, "\x00\x01\x02calais", "ca\ufffdlais"])
def test_it_refuses_garbage_with_a_french_message(query):
    with pytest.raises(QueryError) as error:
        find_communes(query)
    assert "recherche" in str(error.value)


def test_random_words_find_nothing():
    assert find_communes("zzqxwv kkjjq") == []


@override_settings(FINDER_CHECK_SECONDS=0)
def test_the_index_is_cached_and_rebuilt_when_the_communes_change():
    first = get_index()
    assert get_index() is first
    calais = Commune.objects.get(pk="62193")
    Commune.objects.create(
        insee_code="62999",
        name="Calaisville-Test",
        postal_codes="62999",
        department_id="62",
        population=1,
        latitude=calais.latitude,
        longitude=calais.longitude,
    )
    rebuilt = get_index()
    assert rebuilt is not first
    assert find_communes("calaisville")[0].insee_code == "62999"


def test_the_communes_are_counted_at_most_once_per_check_interval(
    monkeypatch, django_assert_num_queries
):
    now = [1000.0]
    monkeypatch.setattr(finder.time, "monotonic", lambda: now[0])
    finder.index_invalidate()
    with django_assert_num_queries(1):
        index = get_index()
    with override_settings(FINDER_CHECK_SECONDS=5), django_assert_num_queries(0):
        for _ in range(50):
            assert get_index() is index
        now[0] += 4.9
        assert find_communes("calais", index=get_index())[0].insee_code == "62193"
    now[0] += 0.2
    with override_settings(FINDER_CHECK_SECONDS=5), django_assert_num_queries(1):
        assert get_index() is index


def test_load_territory_makes_its_own_process_check_at_once(monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(finder.time, "monotonic", lambda: 1000.0)
    get_index()
    with django_assert_num_queries(0):
        get_index()  # within the interval: not counted again
    monkeypatch.setattr(load_command, "load_territory", lambda path: SimpleNamespace(changed=True))
    call_command("load_territory", verbosity=0)
    with django_assert_num_queries(1):
        get_index()
