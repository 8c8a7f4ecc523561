"""The runner's steps leave their input as it was: each returns what it made."""

import copy
from pathlib import Path

from solidaire.imports import steps
from solidaire.imports.pipeline import STEPS, run
from solidaire.territory.gazetteer import get_gazetteer

SAMPLE = Path(__file__).resolve().parents[2] / (
    "solidaire/imports/samples/pas-de-calais-solidaire-n06-2020-04-24.txt"
)


def test_marking_and_grouping_do_not_change_their_input():
    text = steps.normalise(SAMPLE.read_text(encoding="utf-8")).text
    paragraphs = steps.split_paragraphs(text)
    kept = copy.deepcopy(paragraphs)
    header, marked = steps.mark_header(paragraphs)
    assert paragraphs == kept
    kept = copy.deepcopy(marked)
    sections, marked_again = steps.mark_kinds(marked)
    assert marked == kept and sections
    places = get_gazetteer().find(text, department="62").places
    kept_places = copy.deepcopy(places)
    kept = copy.deepcopy(marked_again)
    grouping = steps.group_initiatives(marked_again, places)
    assert marked_again == kept and places == kept_places
    assert len(grouping.initiatives) == 11


def test_grouping_and_filling_are_recorded_steps():
    result = run(SAMPLE.read_text(encoding="utf-8"), department="62")
    assert [step.name for step in result.log] == list(STEPS)
    grouping = next(step for step in result.log if step.name == "initiatives")
    assert grouping.summary.startswith("11 initiatives")


def test_a_paragraph_ending_with_a_colon_keeps_its_own_commune():
    text = (
        "À Lens, la mairie et trois restaurateurs du centre-ville livrent chaque jour des "
        "repas aux aînés isolés, avec l'aide des bénévoles du CCAS :\n\n"
        "Les bénévoles ont aussi livré des fleurs aux résidents."
    )
    result = run(text, department="62").as_json()
    assert [i["communes"] for i in result["initiatives"]] == [["62498"]]
