"""Golden cases as data: each text beside its expected JSON, scored by the README rules.

The sample bulletin of the Pas-de-Calais plus texts of the same genre written for these
tests (tests/imports/golden/). No word of any of them is special-cased in the pipeline.
"""

import json
from pathlib import Path

import jsonschema
import pytest

from solidaire.imports.evaluation import compare
from solidaire.imports.pipeline import run
from solidaire.initiatives.demo import EXPECTED as SAMPLE_EXPECTED

SAMPLES = Path(__file__).resolve().parents[2] / "solidaire/imports/samples"
GOLDEN = Path(__file__).resolve().parent / "golden"
SCHEMA = json.loads((SAMPLES / "import-result.schema.json").read_text(encoding="utf-8"))
CASES = sorted([*SAMPLES.glob("*.txt"), *GOLDEN.glob("*.txt")])


def _expected(path: Path) -> dict:
    # The sample's expected result is the demo's description of the n°6.
    beside = path.with_name(path.stem + ".expected.json")
    expected = beside if beside.exists() else SAMPLE_EXPECTED.with_name(beside.name)
    return json.loads(expected.read_text(encoding="utf-8"))


def _run(path: Path) -> dict:
    expected = _expected(path)
    department = expected.get("department", "62")
    return run(path.read_text(encoding="utf-8"), department=department).as_json(source=path.name)


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_it_finds_every_initiative_and_attributes_its_communes(path):
    score = compare(_run(path), _expected(path))
    assert (score.found, score.paired) == (score.expected, score.expected), score.details
    communes = score.tallies["communes"]
    assert (communes.fp, communes.fn) == (0, 0), score.details


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_it_finds_the_contacts_and_quantities(path):
    score = compare(_run(path), _expected(path))
    for name in ("urls", "emails", "phones", "quantities"):
        tally = score.tallies[name]
        assert (name, tally.fp, tally.fn) == (name, 0, 0), score.details


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_it_reads_the_header_and_the_sections(path):
    result, expected = _run(path), _expected(path)
    assert result["bulletin"] == expected["bulletin"]
    assert compare(result, expected).sections_ok, result["sections"]
    sections = [i["section"] for i in result["initiatives"]]
    assert sorted(sections, key=lambda s: -1 if s is None else s) == sorted(
        (i["section"] for i in expected["initiatives"]), key=lambda s: -1 if s is None else s
    )


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_its_result_validates_against_the_schema(path):
    result = _run(path)
    jsonschema.validate(result, SCHEMA)
    text = path.read_text(encoding="utf-8")
    for initiative in result["initiatives"]:
        for evidence in initiative["evidence"]:
            # Evidence spans point into the ORIGINAL text.
            found = text[evidence["start"] : evidence["end"]]
            if evidence["kind"] in ("url", "email"):
                assert found == evidence["value"]
            elif evidence["kind"] == "commune":
                assert found and found[0].isupper(), evidence


def test_the_sample_keeps_the_dateline_place_out_of_the_initiatives():
    path = SAMPLES / "pas-de-calais-solidaire-n06-2020-04-24.txt"
    result = _run(path)
    assert result["bulletin"]["place_insee"] == "62041"
    assert all("62041" not in i["communes"] for i in result["initiatives"])
    calls = result["calls_to_action"]
    assert [c["urls"] for c in calls] == [["https://covid19.reserve-civique.gouv.fr/"]]
