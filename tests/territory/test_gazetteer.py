"""Communes in running text: the gazetteer alone, without the import pipeline."""

import pytest

from solidaire.territory.gazetteer import build_gazetteer, get_gazetteer


@pytest.fixture(scope="module")
def gaz():
    return get_gazetteer()


def codes(gaz, text, **kwargs):
    return [(p.kind, p.code) for p in gaz.find(text, **kwargs).places]


def communes(gaz, text, **kwargs):
    return [code for kind, code in codes(gaz, text, **kwargs) if kind == "commune"]


def test_it_builds_from_the_shipped_files():
    # Its build time is a benchmark figure (bench/import_eval.py), not a test.
    gaz = build_gazetteer()
    assert len(gaz.communes) == 34875


def test_it_prefers_the_longest_name(gaz):
    assert communes(gaz, "Des masques à Hénin-Beaumont et à Boulogne-sur-Mer.") == [
        "62427",
        "62160",
    ]


def test_it_does_not_take_a_departement_for_its_chief_town(gaz):
    assert communes(gaz, "Le préfet du Pas-de-Calais salue les bénévoles.") == []


def test_it_matches_across_accents_hyphens_and_line_breaks(gaz):
    text = "les communes de Le \nPortel et de Saint-Etienne-au-Mont, à Neufchatel-Hardelot"
    assert communes(gaz, text, department="62") == ["62667", "62746", "62604"]


def test_a_typo_after_a_place_cue_is_offered_alone_and_taken_when_corroborated(gaz):
    # Alone, nothing says "Calaisn" is a place: the review screen offers it ("possible").
    found = gaz.find("La maison du numérique, située à Calaisn, a produit des visières.")
    assert found.places == []
    assert [p.text for p in found.possible] == ["Calaisn"]
    # Beside another commune of the same département, the typo is read as Liévin.
    places = gaz.find("À Lens, des bénévoles. À Liévinn, des repas.").places
    assert [(p.code, p.method) for p in places] == [("62498", "exact"), ("62510", "fuzzy")]


def test_it_never_turns_a_first_name_into_a_commune(gaz):
    text = "deux salariés, Antoine et Laurent, et un habitant de Saint-Nicolas (Thomas BARRAIL)"
    assert communes(gaz, text, department="62") == ["62764"]


def test_it_takes_common_words_only_as_capitalised_places(gaz):
    assert communes(gaz, "le club couture de la ville a fait don de masques en avril") == []
    assert communes(gaz, "Les couturières de Couture (16) ont cousu des masques.") == ["16114"]


def test_it_needs_a_cue_for_a_very_common_word_opening_a_sentence(gaz):
    assert communes(gaz, "Place aux bénévoles ! Contre le virus, tous unis.") == []


def test_a_bracketed_departement_wins_over_the_dominant_one(gaz):
    text = "À Arras, Lens et Liévin, et au centre hospitalier de Pontoise (Val d'Oise)."
    assert communes(gaz, text) == ["62041", "62498", "62510", "95500"]
    assert communes(gaz, "Le CCAS de Saint-Paul (974) et celui de Saint-Paul (60).") == [
        "97415",
        "60591",
    ]


def test_the_dominant_departement_settles_a_shared_name(gaz):
    assert communes(gaz, "À Arras et à Saint-Nicolas, des visières.") == ["62041", "62764"]


def test_a_club_name_is_not_a_place(gaz):
    assert communes(gaz, "les Red Tigers, supporters de Lens, à l'hôpital de Pontoise") == ["95500"]


def test_names_inside_urls_and_emails_are_excluded(gaz):
    text = "Contact : solidarite@cu-arras.org ou https://www.facebook.com/RedTigersLens94/"
    spans = [(text.index("solidarite"), text.index(" ou")), (text.index("https"), len(text))]
    assert communes(gaz, text, exclude=spans) == []


def test_a_demonym_is_not_a_place(gaz):
    assert communes(gaz, "le barbier lensois Gerdan, installé à Lensois") == []


def test_a_sector_names_the_arrondissement_and_acronyms_the_epci(gaz):
    found = codes(gaz, "Sur le secteur d'Arras, avec la CUA et la CALL.", department="62")
    assert found == [("arrondissement", "621"), ("epci", "200033579"), ("epci", "246200364")]


def test_an_official_epci_name_is_an_area(gaz):
    found = codes(gaz, "La Communauté d'agglomération du Boulonnais distribue des masques.")
    assert found == [("epci", "246200729")]


def test_a_generic_epci_mention_is_left_for_context(gaz):
    places = gaz.find("avec le concours de la Communauté Urbaine").places
    assert [(p.kind, p.code, p.epci_type) for p in places] == [("epci", "", "CU")]
    assert gaz.epci_for(etype="CU", communes=["62764"], arrondissements=[], department="62") == (
        "200033579"
    )


def test_offsets_point_into_the_original_text(gaz):
    text = "Aide aux aînés à  Saint-Étienne-au-Mont\net à Wimereux."
    for place in gaz.find(text).places:
        assert text[place.start : place.end] == place.text
