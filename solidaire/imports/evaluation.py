"""Compare an import result with an expected JSON file, by the rules of samples/README.md.

- initiatives are paired one to one, by shared communes, then shared URLs;
- communes, URLs, e-mails and phones are compared as sets (a missing list is empty);
- a commune counts only on the right initiative: those of an unpaired found initiative are
  false positives, those of an unpaired expected one are misses;
- a quantity matches on its count and its item up to accents, case and plural.
No Django here.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from solidaire.lib.text import fold


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, found: set, expected: set) -> None:
        self.tp += len(found & expected)
        self.fp += len(found - expected)
        self.fn += len(expected - found)

    def __str__(self):
        return (
            f"P={self.precision:.3f} R={self.recall:.3f} F1={self.f1:.3f} "
            f"(tp={self.tp} fp={self.fp} fn={self.fn})"
        )


@dataclass
class Score:
    found: int
    expected: int
    paired: int
    tallies: dict[str, Tally] = field(default_factory=dict)
    sections_ok: bool = True
    details: list[str] = field(default_factory=list)


def _quantity_key(q: dict) -> tuple[int, str]:
    words = fold(q.get("item", "")).split()
    return q["count"], " ".join(w[:-1] if len(w) > 3 and w[-1] in "sx" else w for w in words)


def _sets(initiative: dict, name: str) -> set:
    if name == "quantities":
        return {_quantity_key(q) for q in initiative.get("quantities") or []}
    return set(initiative.get(name) or [])


def pair(found: list[dict], expected: list[dict]) -> list[tuple[int, int]]:
    """Pairs (found index, expected index): shared communes first, then shared URLs.

    >>> pair([{"communes": ["1"]}, {"urls": ["u"]}], [{"urls": ["u"]}, {"communes": ["1", "2"]}])
    [(0, 1), (1, 0)]
    """
    candidates = []
    for i, f in enumerate(found):
        for j, e in enumerate(expected):
            shared = (
                len(_sets(f, "communes") & _sets(e, "communes")),
                len(_sets(f, "urls") & _sets(e, "urls")),
            )
            if shared > (0, 0):
                candidates.append((shared, -abs(i - j), i, j))
    candidates.sort(reverse=True)
    used_f, used_e, pairs = set(), set(), []
    for _, _, i, j in candidates:
        if i not in used_f and j not in used_e:
            used_f.add(i)
            used_e.add(j)
            pairs.append((i, j))
    return sorted(pairs)


def compare(result: dict, expected: dict) -> Score:
    found_list = result.get("initiatives", [])
    expected_list = expected.get("initiatives", [])
    pairs = pair(found_list, expected_list)
    score = Score(len(found_list), len(expected_list), len(pairs))
    names = ("communes", "urls", "emails", "phones", "quantities")
    score.tallies = {name: Tally() for name in names}
    paired_f = {i for i, _ in pairs}
    paired_e = {j for _, j in pairs}
    for i, j in pairs:
        for name in names:
            f, e = _sets(found_list[i], name), _sets(expected_list[j], name)
            score.tallies[name].add(f, e)
            if f != e:
                score.details.append(
                    f"initiative {j}: {name} found {sorted(f)} expected {sorted(e)}"
                )
    for i, f in enumerate(found_list):
        if i not in paired_f:
            for name in names:
                score.tallies[name].add(_sets(f, name), set())
            score.details.append(f"unpaired found initiative {i}: {_sets(f, 'communes')}")
    for j, e in enumerate(expected_list):
        if j not in paired_e:
            for name in names:
                score.tallies[name].add(set(), _sets(e, name))
            score.details.append(f"missed expected initiative {j}: {_sets(e, 'communes')}")
    clean = [re.sub(r"\s+", " ", fold(s)) for s in result.get("sections", [])]
    wanted = [re.sub(r"\s+", " ", fold(s)) for s in expected.get("sections", [])]
    score.sections_ok = clean == wanted
    return score


# ---- the corpus of real texts (tests/imports/corpus/, see its README) ----------------------


def corpus_half(file_name: str) -> str:
    """'check' when the first byte of sha256(file name) is odd, else 'tuning'.

    >>> corpus_half("mandeure-la-crue.txt"), corpus_half("flers-agglo-plan-canicule.txt")
    ('check', 'tuning')
    """
    return "check" if hashlib.sha256(file_name.encode()).digest()[0] % 2 else "tuning"


def normalise_source(address: str) -> str:
    """An address as the excluded-sources list hashes it: lower case; no scheme, no leading
    www. / m. / fr-fr., no query, fragment or trailing slash.

    >>> normalise_source("https://www.Example.fr/a/b/?x=1")
    'example.fr/a/b'
    """
    address = address.strip().lower()
    parts = urlsplit(address if "://" in address else "//" + address)
    host = parts.netloc
    for prefix in ("www.", "m.", "fr-fr."):
        if host.startswith(prefix):
            host = host[len(prefix) :]
            break
    return host + parts.path.rstrip("/")


def excluded_sources(addresses, excluded_hashes) -> list[str]:
    """The addresses whose normalised form's sha256 is in ``excluded_hashes``.

    >>> h = hashlib.sha256(b"example.fr/a/b").hexdigest()
    >>> excluded_sources(["http://example.fr/a/b/", "https://example.fr/c"], {h})
    ['http://example.fr/a/b/']
    """
    return [
        a
        for a in addresses
        if hashlib.sha256(normalise_source(a).encode()).hexdigest() in excluded_hashes
    ]


def document_communes(result: dict) -> set[str]:
    """Every commune of a result's initiatives: what a document-level score compares.

    >>> sorted(document_communes({"initiatives": [{"communes": ["2"]}, {"communes": ["1", "2"]}]}))
    ['1', '2']
    """
    return {c for i in result.get("initiatives", []) for c in i.get("communes") or []}


def score_document(found: set, expected: dict, tally: Tally) -> None:
    """Add one document to a document-level tally; optional communes count neither way."""
    optional = set(expected.get("optional_communes") or [])
    tally.add(set(found) - optional, set(expected.get("communes") or []) - optional)
