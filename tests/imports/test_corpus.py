"""The corpus of real texts (tests/imports/corpus/): provenance, split and annotations.

These check the corpus itself, not the importer (bench/import_eval.py measures that).
"""

import hashlib
import json
import re
from pathlib import Path

import pytest

from solidaire.imports.evaluation import corpus_half, excluded_sources, normalise_source
from solidaire.territory.reference import read_rows

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(__file__).resolve().parent / "corpus"
TEXTS = sorted(CORPUS.glob("*.txt"))
README = (CORPUS / "README.md").read_text(encoding="utf-8")
PROVENANCE = re.findall(
    r"^\| `([^`]+\.txt)` \| ([^|]+) \| (\S+) \| ([^|]+) \| ([^|]+) \| ([^|]+) \|", README, re.M
)
# The list of sources kept apart from the project, beside the development checkouts.
EXCLUDED_CANDIDATES = [p / "shared/imports/excluded-sources.sha256" for p in ROOT.parents[:3]]


def _expected(text: Path) -> dict:
    return json.loads(text.with_name(text.stem + ".expected.json").read_text(encoding="utf-8"))


def test_every_text_has_one_provenance_line_and_an_annotation():
    assert len(TEXTS) >= 30
    assert sorted(row[0] for row in PROVENANCE) == [t.name for t in TEXTS]
    for text in TEXTS:
        assert text.with_name(text.stem + ".expected.json").exists(), text.name


def test_the_corpus_spans_departements_and_crises():
    departements = {row[5].strip() for row in PROVENANCE} - {"—"}
    other_crises = [row for row in PROVENANCE if row[4].strip() not in ("Covid-19", "hors crise")]
    assert len(departements) >= 10
    assert len(other_crises) >= 5


def test_annotations_use_communes_of_the_2026_cog_and_the_result_shape():
    codes = {row["insee_code"] for row in read_rows("communes.csv")}
    per_initiative = 0
    for text in TEXTS:
        data = _expected(text)
        assert {"bulletin", "sections", "initiatives", "communes"} <= data.keys(), text.name
        listed = data["communes"] + data.get("optional_communes", [])
        listed += [c for i in data["initiatives"] for c in i["communes"]]
        assert set(listed) <= codes, text.name
        if data.get("per_initiative"):
            per_initiative += 1
            union = {c for i in data["initiatives"] for c in i["communes"]}
            assert union == set(data["communes"]), text.name
    assert per_initiative >= 12


def test_the_check_half_is_frozen():
    frozen = {}
    for line in (CORPUS / "check-half.sha256").read_text().splitlines():
        if line and not line.startswith("#"):
            digest, name = line.split()
            frozen[name] = digest
    check = [t for t in TEXTS if corpus_half(t.name) == "check"]
    assert len(check) >= 10 and len(TEXTS) - len(check) >= 10
    wanted = {n for t in check for n in (t.name, t.stem + ".expected.json")}
    assert set(frozen) == wanted
    for name, digest in frozen.items():
        assert hashlib.sha256((CORPUS / name).read_bytes()).hexdigest() == digest, name


def test_no_excluded_source_is_in_the_corpus():
    found = [p for p in EXCLUDED_CANDIDATES if p.exists()]
    if not found:
        pytest.skip("the list of excluded sources is not beside this checkout")
    hashes = {
        line.strip()
        for line in found[0].read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert excluded_sources([row[2] for row in PROVENANCE], hashes) == []


def test_an_excluded_source_would_be_refused():
    address = "https://www.Mairie-Exemple.fr/actualites/crue/?page=2#haut"
    listed = {hashlib.sha256(b"mairie-exemple.fr/actualites/crue").hexdigest()}
    assert normalise_source(address) == "mairie-exemple.fr/actualites/crue"
    assert excluded_sources([address, "https://autre.fr/crue"], listed) == [address]
