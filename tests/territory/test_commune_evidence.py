"""Commune recognition by evidence (territory/evidence.py, Gazetteer.find): one score, one threshold.

Sentences written for these tests, one per kind of evidence; none is a corpus text.
"""

import pytest

from solidaire.territory import evidence
from solidaire.territory.gazetteer import get_gazetteer


def communes(text, **kwargs):
    return [p.code for p in get_gazetteer().find(text, **kwargs).places if p.kind == "commune"]


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Les bénévoles du Crotoy ont cousu des masques.", ["80228"]),  # Le Crotoy
        ("Une collecte au Portel (62).", ["62667"]),  # Le Portel
        ("Les jeunes des Mureaux livrent des repas.", ["78440"]),  # Les Mureaux
        ("À Charleville (08), des repas livrés.", ["08105"]),  # Charleville-Mézières
        ("À Boulogne (62), une collecte.", ["62160"]),  # Boulogne-sur-Mer
        ("À Saint-Jean-Losne (21), une collecte.", ["21554"]),  # Saint-Jean-de-Losne
        ("Des repas à Saint-Paul (974).", ["97415"]),
        ("Des masques à Paris et à Lyon.", ["75056", "69123"]),  # Paris is a département too
        # A typo is taken when another commune of the text corroborates it (Lens, 62).
        ("À Lens, des bénévoles. À Liévinn, des repas.", ["62498", "62510"]),
    ],
)
def test_written_forms_and_brackets(text, codes):
    assert communes(text) == codes


@pytest.mark.parametrize(
    "text",
    [
        "La tempête Alex a touché la vallée.",  # an event named with a first name
        "Rdv sur place, Charly Gaillard y est déjà.",  # a person
        "Le plan canicule est activé en France.",  # an ordinary word, a country
        "Les dons de la Fondation de France.",  # a national organisation
        "Les supporters de Lens ont collecté des denrées.",  # the club, not the town
        "Présents : MM. BAILLY ; ROYER ; GAILLARD ; LOMBARD.",  # a list of surnames
    ],
)
def test_names_that_are_not_places_of_the_text(text):
    assert communes(text) == []


def test_a_bracket_restricts_the_candidates_to_its_departement():
    assert communes("Les habitants de Vienne (38) ont aidé.") == ["38544"]
    assert communes("Une collecte à Saint-Paul (06).") == ["06128"]


def test_a_short_name_is_the_suffixed_commune_of_the_texts_departement():
    assert communes("À Lens et à Bully, des masques.", department="62") == ["62498", "62186"]


def test_a_name_just_below_the_threshold_is_possible_not_taken():
    found = get_gazetteer().find("À Lens, des bénévoles partis à Ligne.")
    assert [p.code for p in found.places] == ["62498"]
    assert [p.text for p in found.possible] == ["Ligne"]
    model = evidence.model()
    assert all(model["possible"] <= p.score < model["threshold"] for p in found.possible)


def test_the_weights_in_use_say_how_they_were_set():
    assert evidence.model()["method"] in ("hand", "fitted")
    assert set(evidence.model()["weights"]) <= {"bias", *evidence.FEATURES}
