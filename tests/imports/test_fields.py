"""Fields ready to publish, on real texts in the formats mayors send (tests/imports/fields/):
titles that say what is done where, descriptions rejoined and without private names, dates
and counted items. The files' sources are in tests/imports/fields/README.md."""

import json
import re
from pathlib import Path

import pytest

from solidaire.imports.pipeline import run
from solidaire.imports.readers import read_document, split_email

ROOT = Path(__file__).resolve().parents[2]
FIELDS = ROOT / "tests/imports/fields"
CASES = json.loads((FIELDS / "fields.expected.json").read_text(encoding="utf-8"))["cases"]


def _result(case) -> dict:
    path = ROOT / case["file"]
    data = path.read_bytes()
    if path.suffix == ".eml":
        parts, _skipped = split_email(data, path.name)
        assert len(parts) == 1  # the image attachment is not a document
        name, data = parts[0]
    else:
        name = path.name
    text, _fmt = read_document(data, name)
    return run(text, department=case["department"]).as_json()


@pytest.fixture(scope="module", params=CASES, ids=lambda c: Path(c["file"]).stem)
def case(request):
    return request.param, _result(request.param)


def test_it_reads_the_document_date(case):
    spec, result = case
    for key, value in spec["bulletin"].items():
        assert result["bulletin"][key] == value


def test_each_listed_initiative_shows_its_title_description_dates_and_quantities(case):
    spec, result = case
    found = result["initiatives"]
    for index, expected in spec["initiatives"].items():
        item = found[int(index)]
        if "title" in expected:
            assert item["title"] == expected["title"]
        if "actor" in expected:
            assert item["actor"] == expected["actor"]
        for needle in expected.get("contains", []):
            assert needle in item["description"], (needle, item["description"])
        for needle in expected.get("excludes", []):
            assert needle not in item["description"], (needle, item["description"])
        if "dates" in expected:
            assert [d["date"] for d in item["dates"] if d["kind"] == "event"] == expected["dates"]
        if "start_date" in expected:
            assert item["start_date"] == expected["start_date"]
        if "quantities" in expected:
            assert [[q["count"], q["item"]] for q in item["quantities"]] == expected["quantities"]


def test_no_title_is_the_bare_actor_or_a_cut_sentence(case):
    _spec, result = case
    for item in result["initiatives"]:
        title = item["title"]
        assert title and title != item["actor"], item
        assert not title.endswith(("…", ".", ",", " à", " de")), title
        assert len(title) <= 110 and title[0].isupper(), title


def test_descriptions_are_sentences_without_layout(case):
    _spec, result = case
    for item in result["initiatives"]:
        description = item["description"]
        for paragraph in description.split("\n\n"):
            assert "\n" not in paragraph, paragraph
            assert not re.match(r"^\s*[-•*–]", paragraph), paragraph
            assert not re.search(r"\bPage \d+ sur \d+", paragraph), paragraph
            assert paragraph[-1] in ".!?»)…", paragraph
        for name in item["people"]:
            assert name not in description  # unless the moderator keeps them
            assert name in item["description_with_names"] or name not in item["text"]


# The corpus of real texts of every genre (tests/imports/corpus/, when present): whatever
# the document, the rules of titles and descriptions hold.
CORPUS = sorted((ROOT / "tests/imports/corpus").glob("*.txt"))


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_the_rules_hold_on_every_text_of_the_corpus(path):
    result = run(path.read_text(encoding="utf-8")).as_json()
    test_no_title_is_the_bare_actor_or_a_cut_sentence((None, result))
    test_descriptions_are_sentences_without_layout((None, result))
