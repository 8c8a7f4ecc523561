"""Communes, EPCI and arrondissements named in running French text.

Pure Python (no Django): built once per process from the shipped reference files
(``data/communes.csv.gz`` and friends), in well under two seconds.

How a place is found:
1. every commune, département, region and EPCI name goes, folded by ``lib.text`` (lower
   case, no accents, hyphens and apostrophes as spaces, "St" read "saint"), into one
   Aho-Corasick automaton; the text is folded the same way with a map back to its own
   offsets, and the longest matches win
   ("Pas-de-Calais" hides "Calais", "Hénin-Beaumont" hides "Beaumont");
2. a match must be capitalised as a proper noun; names that are ordinary French words
   ("Avril", "Salon", "Ligne") also need a place cue ("à", "de", "commune de"…) when they
   open a sentence or are very common words;
3. a fuzzy pass offers capitalised words after a place cue that match nothing
   ("située à Calaisn" → Calais): one edit up to 6 letters, two beyond, candidates from a
   deletion-neighbourhood index, scored with rapidfuzz; first names, company words and
   ordinary words never become communes;
4. several communes share a name: an explicit département in brackets wins
   ("Pontoise (Val d'Oise)", "Saint-Paul (974)"), then the document's dominant département,
   then the series' département, then proximity to the other places, then population.
"""

from __future__ import annotations

import gc
import math
import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

import ahocorasick
from rapidfuzz.distance import Levenshtein

from solidaire.lib.text import fold, fold_with_map, original_offset

from . import evidence
from .reference import read_rows, read_words

COMMON_WORD_MAX_POPULATION = 20_000
# A département named in the text weighs as much as one of its communes for the dominant one.
NAMED_DEPARTMENT_VOTE = 1.0
FUZZY_PREFIX = 7


@lru_cache(maxsize=65536)
def fold_key(name: str) -> str:
    """The automaton key of a name: folded, saints spelled out.

    >>> fold_key("L'Haÿ-les-Roses"), fold_key("St-Omer")
    ('l hay les roses', 'saint omer')
    """
    return fold(name, saints=True)


# Single words (first names, company words, fuzzy candidates) keep "St" as written: a
# lone "St" is no place name to correct.
word_key = lru_cache(maxsize=65536)(fold)


def _accents_differ(surface: str, name: str) -> bool:
    """A lower-case letter of the name written with another accent (capitals often lose
    theirs: "Eloi" for "Éloi" is no sign).

    >>> _accents_differ("Maire", "Mairé"), _accents_differ("Saint Eloi", "Saint-Éloi")
    (True, False)
    """
    if len(surface) != len(name):
        return False
    return any(
        a != b and a.islower() and b.islower() and fold(a) == fold(b)
        for a, b in zip(surface, name, strict=True)
    )


class CommuneRecord(NamedTuple):
    insee: str
    name: str
    department: str
    arrondissement: str
    epci: str
    epci_name: str
    population: int
    latitude: float
    longitude: float


@dataclass
class PlaceMatch:
    """A place found in the text; ``start``/``end`` are offsets in that text."""

    kind: str  # commune | epci | arrondissement | department
    code: str
    name: str
    start: int
    end: int
    text: str
    method: str = "exact"  # exact | fuzzy | acronym | context
    candidates: int = 1
    epci_type: str = ""  # for method "context": CU, CA, CC or Métropole
    score: float = 1.0  # for a commune: the evidence's probability (evidence.py)
    features: dict = field(default_factory=dict, repr=False)


@dataclass
class Rejection:
    start: int
    end: int
    text: str
    reason: str


@dataclass
class FindResult:
    places: list[PlaceMatch] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    # Communes whose evidence is just below the threshold: shown to the moderator.
    possible: list[PlaceMatch] = field(default_factory=list)
    # Every commune candidate weighed, whatever its score (to fit and study the weights).
    scored: list[PlaceMatch] = field(default_factory=list)


@dataclass(slots=True)
class Candidate:
    """One commune mention before its evidence is weighed."""

    start: int
    end: int
    codes: list[str]
    method: str  # exact | fuzzy | variant
    edits: int = 0
    form: str = ""  # for a variant: short | contracted | suffixless | no_de
    source_key: str = ""  # the folded words as written
    features: dict | None = None
    code: str = ""
    score: float = 0.0
    alternates: tuple = ()  # the same words, without a suffix
    qualifier: frozenset | set = frozenset()  # départements of a bracket right after


# Cues that a capitalised word names a place ("à Salon", "commune de Ligne", "CCAS de Don").
_CUE_RE = re.compile(
    r"(?:\b(?:à|a|au|aux|en|de|des|du|d['’]|l['’]|sur|vers|près de|commune de|ville de|mairie de|"
    r"CCAS de|secteur de|habitants de|située? à|basée? à|basée? sur)\s*|\bd['’])$",
    re.IGNORECASE,
)
_STRONG_CUE_RE = re.compile(
    r"(?:\b(?:à|a|aux?|commune de|communes de|ville de|mairie de|CCAS de|CIAS de|secteur de|"
    r"habitants de|habitants d['’]|maire de|maire d['’]|territoire de|près de|proche de|"
    r"située? à|basée? à|basés à|domiciliée? à|résidant à|installée? à|lieu-dit|"
    r"sur la commune de|la commune d['’]|commune d['’])\s*)$",
    re.IGNORECASE,
)
_WEAK_CUE_RE = re.compile(r"(?:\b(?:de|des|du|d['’]|en|sur|vers|l['’])\s*)$", re.IGNORECASE)
_POSTCODE_BEFORE_RE = re.compile(r"\b(\d{5})\s+$")
# Nouns after which a capitalised name names a building, an event, a body or a thing, not a
# place of the text ("collège Jean-Moulin", "tempête Alex", "Immeuble des Manères").
_ORG_WORDS = frozenset(
    [
        "fondation",
        "agence",
        "association",
        "asso",
        "collège",
        "college",
        "lycée",
        "lycee",
        "école",
        "ecole",
        "écoles",
        "gymnase",
        "immeuble",
        "résidence",
        "residence",
        "résidences",
        "maison",
        "retraite",
        "ehpad",
        "salle",
        "centre",
        "espace",
        "rue",
        "avenue",
        "boulevard",
        "bd",
        "place",
        "allée",
        "allee",
        "chemin",
        "impasse",
        "quai",
        "route",
        "quartier",
        "tempête",
        "tempete",
        "ouragan",
        "cyclone",
        "plan",
        "club",
        "syndicat",
        "bassin",
        "vallée",
        "vallee",
        "vallées",
        "stade",
        "parc",
        "hôpital",
        "hopital",
        "clinique",
        "église",
        "eglise",
        "chapelle",
        "pont",
        "cabinet",
        "société",
        "societe",
        "entreprise",
        "groupe",
        "magasin",
        "hypermarché",
        "supermarché",
        "banque",
        "comité",
        "comite",
        "institut",
        "médiathèque",
        "bibliothèque",
        "cinéma",
        "théâtre",
        "musée",
        "forêt",
        "foret",
        "massif",
        "lac",
        "château",
        "hôtel",
        "hotel",
        "restaurant",
        "camping",
        "opération",
        "dispositif",
        "projet",
        "programme",
        "festival",
        "ordre",
        "vigilance",
        "alerte",
        "niveau",
        "monsieur",
        "madame",
        "mme",
        "mr",
        "m",
        "docteur",
        "dr",
        "famille",
        "journal",
        "bulletin",
        "label",
        "prix",
        "trophée",
        "cuisine",
        "atelier",
    ]
)
_LINK_WORDS = frozenset(["de", "du", "des", "d", "l", "la", "le", "les", "et"])
_ELIDED = ("l'", "l’", "d'", "d’")
# Words of address before a person's name.
_CIVILITIES = frozenset(
    ["m", "mme", "mlle", "mr", "monsieur", "madame", "mademoiselle", "dr", "docteur", "me",
     "maitre", "pr", "professeur"]
)  # fmt: skip
_PREVIOUS_WORDS_RE = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*|[.;:!?()\n]")
_WORD_BEFORE_END_RE = re.compile(r"([^\W\d_]+)[ \t]+$")
_WORD_AFTER_RE = re.compile(r"[ \t]+([^\W\d_]+)")
_NAME_WORDS_RE = re.compile(r"[^\W\d_]+")

_WORD_BEFORE_RE = re.compile(r"([A-Za-zÀ-ÿœŒ'’.-]+)[\s'’]*$")
_AREA_CUE_RE = re.compile(
    r"\b(?:secteur|arrondissement|sous-préfecture|sous-prefecture|pays)\s+(?:de\s+|d['’]|du\s+)$",
    re.IGNORECASE,
)
# "supporters de Lens", "Racing Club de Lens", "Red Tigers Lens": the club, not the town.
_CLUB_RE = re.compile(
    r"(?:\b(?:supporters?|ultras?|fans?|club|FC|RC|AS|US|SC|ES|Racing|Stade|Olympique|"
    r"Tigers|équipe)\s+(?:de\s+|d['’]|du\s+)?)$",
    re.IGNORECASE,
)
_SENTENCE_START_RE = re.compile(r"(?:^|[.!?:;]\s*|\n\s*\n\s*|^\s*[-•*]\s*|\n\s*[-•*]\s*)$")
_QUALIFIER_RE = re.compile(r"\s*\(\s*([^()]{2,40}?)\s*\)")
_DEMONYM_SUFFIXES = ("ois", "oise", "oises", "ien", "ienne", "iens", "ais", "aise", "aises")
_CAPITALISED_RE = re.compile(r"(?<![\w@./-])([A-ZÀ-Ý][a-zà-ÿœ]+(?:-[A-Za-zà-ÿœ]+)*)\b")
_ARTICLES = {"le", "la", "les", "l"}
# Words that start a commune's suffix: "sur", "en", "les" ("lès"), "de", "du"…
_SUFFIX_LINKS = frozenset(
    ["sur", "sous", "en", "les", "de", "du", "des", "d", "aux", "au", "lez", "pres"]
)
_GENERIC_EPCI_RE = re.compile(
    r"\b(?:la\s+|l['’])?(Communauté\s+[Uu]rbaine|Communauté\s+d['’][Aa]gglomération|"
    r"Communauté\s+de\s+[Cc]ommunes|Métropole)\b(?!\s+(?:de|d['’]|du|des)\s+[A-Z])"
)
_EPCI_TYPES = {
    "CU": "Communauté urbaine",
    "CA": "Communauté d'agglomération",
    "CC": "Communauté de communes",
}
_EPCI_EXPANSIONS = {
    "CU": ["communaute urbaine", "cu"],
    "CA": ["communaute d agglomeration", "agglomeration", "agglo", "ca"],
    "CC": ["communaute de communes", "cc"],
}


def _deletes(word: str, depth: int) -> set[str]:
    """All strings made by deleting up to ``depth`` characters.

    >>> sorted(_deletes("abc", 1))
    ['ab', 'abc', 'ac', 'bc']
    """
    result = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        result |= frontier
    return result


def epci_type(name: str) -> str:
    """'CU', 'CA', 'CC' or 'Métropole' from an official EPCI name.

    >>> epci_type("CU d'Arras"), epci_type("Brest Métropole"), epci_type("CC du Ternois")
    ('CU', 'Métropole', 'CC')
    """
    head = name.split(" ", 1)[0]
    if head in _EPCI_TYPES:
        return head
    return "Métropole" if "étropole" in name else ""


class Gazetteer:
    def __init__(self):
        started = time.perf_counter()
        self.communes: dict[str, CommuneRecord] = {}
        self.names_by_key: dict[str, list[str]] = defaultdict(list)
        self.departments: dict[str, str] = {}
        self.department_keys: dict[str, str] = {}
        self.region_departments: dict[str, list[str]] = defaultdict(list)
        self.arrondissements: dict[str, tuple[str, str]] = {}
        self.arrondissement_keys: dict[str, list[str]] = defaultdict(list)
        self.epcis: dict[str, tuple[str, str]] = {}  # siren -> (name, main département)
        self.epci_keys: dict[str, list[str]] = defaultdict(list)
        self.epci_acronyms: dict[str, list[str]] = defaultdict(list)
        self._load()
        self._build_automaton()
        self._build_fuzzy_index()
        self.build_seconds = time.perf_counter() - started

    # ---- building -------------------------------------------------------------------------
    def _load(self) -> None:
        regions = {row["code"]: row["name"] for row in read_rows("regions.csv")}
        for row in read_rows("departments.csv"):
            self.departments[row["code"]] = row["name"]
            self.department_keys[fold_key(row["name"])] = row["code"]
            self.region_departments[fold_key(regions.get(row["region_code"], ""))].append(
                row["code"]
            )
        for row in read_rows("arrondissements.csv"):
            self.arrondissements[row["code"]] = (row["name"], row["department_code"])
            self.arrondissement_keys[fold_key(row["name"])].append(row["code"])
        epci_departments: dict[str, Counter] = defaultdict(Counter)
        self.postal_codes: dict[str, tuple[str, ...]] = {}
        for row in read_rows("communes.csv"):
            self.postal_codes[row["insee_code"]] = tuple(row["postal_codes"].split(";"))
            record = CommuneRecord(
                row["insee_code"],
                row["name"],
                row["department_code"],
                row["arrondissement_code"],
                row["epci_code"],
                row["epci_name"],
                int(row["population"] or 0),
                float(row["latitude"] or 0),
                float(row["longitude"] or 0),
            )
            self.communes[record.insee] = record
            key = fold_key(record.name)
            self.names_by_key[key].append(record.insee)
            if record.epci:
                epci_departments[record.epci][record.department] += record.population + 1
                if record.epci not in self.epcis:
                    self.epcis[record.epci] = (record.epci_name, "")
        for siren, (name, _) in self.epcis.items():
            main = epci_departments[siren].most_common(1)[0][0]
            self.epcis[siren] = (name, main)
            for key in self._epci_name_keys(name):
                self.epci_keys[key].append(siren)
            acronym = re.search(r"\(([A-Z][A-Z0-9&]{1,9})\)", name)
            if acronym:
                self.epci_acronyms[acronym.group(1)].append(siren)
        for row in read_rows("epci_aliases.csv"):
            if row["siren"] in self.epcis:
                alias = row["alias"]
                if alias.isupper() or any(ch.isdigit() for ch in alias):
                    if row["siren"] not in self.epci_acronyms[alias]:
                        self.epci_acronyms[alias].append(row["siren"])
                else:
                    self.epci_keys[fold_key(alias)].append(row["siren"])
        # A capitalised big town ("Calais", "Paris") is the town, even if the dictionary
        # also knows the word: the common-word caution is for small communes only.
        self.common_words = {
            key
            for key in read_words("commune_common_words.txt")
            if max((self.communes[c].population for c in self.names_by_key.get(key, ())), default=0)
            < COMMON_WORD_MAX_POPULATION
        }
        # Unfiltered: for the evidence, population is a feature of its own.
        self.ordinary_names = read_words("commune_common_words.txt")
        self.cue_words = read_words("commune_cue_words.txt")
        self.countries = {fold_key(w) for w in read_words("countries.txt")}
        self.organisation_keys = {fold_key(w) for w in read_words("organisation_names.txt")}
        self.near_words = read_words("french_words_near_communes.txt.gz")
        self.first_names = {word_key(w) for w in read_words("first_names.txt")}
        self.company_words = {word_key(w) for w in read_words("company_words.txt")}

    @staticmethod
    def _epci_name_keys(name: str) -> list[str]:
        """Folded ways of writing an EPCI: "CU d'Arras", "Communauté urbaine d'Arras"…"""
        bare = re.sub(r"\s*\([^)]*\)", "", name)
        keys = {fold_key(bare)}
        head, _, rest = bare.partition(" ")
        if head in _EPCI_EXPANSIONS and rest:
            for prefix in _EPCI_EXPANSIONS[head]:
                keys.add(f"{prefix} {fold_key(rest)}")
            # "CA Douaisis Agglo" is also just "Douaisis Agglo".
            if not re.match(r"(?:de|du|des|d'|de la|de l')\b", rest):
                keys.add(fold_key(rest))
        return [k for k in keys if len(k) > 4]

    def _variant_keys(self) -> dict[str, list[tuple[str, str]]]:
        """Other ways of writing a commune: folded variant -> [(commune key, form)].

        - contracted article: "du crotoy", "au portel" (Le Crotoy, Le Portel), "des mureaux",
          "aux mureaux" (Les Mureaux);
        - without its "de": "saint jean losne" (Saint-Jean-de-Losne);
        - usual short form of a double name: "charleville" (Charleville-Mézières);
        - without its suffix: "la seyne" (La Seyne-sur-Mer), "boulogne" (Boulogne-sur-Mer).
        The last two are taken only in the bracket's or the document's dominant département.
        """
        variants: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for key in self.names_by_key:
            words = key.split()
            if len(words) >= 2 and words[0] in ("le", "les"):
                rest = " ".join(words[1:])
                for art in ("du", "au") if words[0] == "le" else ("des", "aux"):
                    variants[f"{art} {rest}"].append((key, "contracted"))
            if len(words) < 2:
                continue
            inner = [
                w
                for i, w in enumerate(words)
                if not (0 < i < len(words) - 1 and w in ("de", "d", "du", "des"))
            ]
            if len(inner) != len(words):
                variants[" ".join(inner)].append((key, "no_de"))
            links = [i for i, w in enumerate(words) if i > 0 and w in _SUFFIX_LINKS]
            head = words[: links[0]] if links else words[:1]
            if head[0] in ("saint", "sainte") and len(head) < 2:
                continue
            if head[0] in _ARTICLES and len(head) < 2:
                continue
            short = " ".join(head)
            if short != key and len(short.replace(" ", "")) >= 4:
                variants[short].append((key, "suffixless" if links else "short"))
        # A short form that is also another commune's exact name ("Bully", "Boulogne") is
        # kept as an alternate of that name: taken when the exact homonyms are all outside
        # the bracket's or the dominant département.
        self.alternates = {
            v: [
                c
                for key, form in forms
                if form in ("short", "suffixless")
                for c in self.names_by_key[key]
            ]
            for v, forms in variants.items()
            if v in self.names_by_key
        }
        return {
            v: forms
            for v, forms in variants.items()
            if v not in self.names_by_key and v not in self.department_keys
        }

    def _build_automaton(self) -> None:
        automaton = ahocorasick.Automaton()
        entries: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for key in self.names_by_key:
            entries[key].append(("commune", key))
        self.variants = self._variant_keys()
        for key in self.variants:
            entries[key].append(("variant", key))
        # A national organisation's name is matched as a whole, so that the commune names
        # inside it ("Fondation de France", "Croix-Rouge") are no mention of a place.
        for key in self.organisation_keys:
            entries[key].append(("organisation", key))
        for key, code in self.department_keys.items():
            entries[key].append(("department", code))
        for key in self.region_departments:
            if key:
                entries[key].append(("region", key))
        for key in self.epci_keys:
            entries[key].append(("epci", key))
        for key, values in entries.items():
            automaton.add_word(f" {key} ", (key, tuple(values)))
        automaton.make_automaton()
        self.automaton = automaton

    def _build_fuzzy_index(self) -> None:
        # SymSpell-style: one-deletion neighbourhood of each name's first FUZZY_PREFIX letters;
        # queries add up to two deletions, so names one or two edits away share an entry and
        # rapidfuzz then checks the whole name. A bucket is a list of name keys.
        by_prefix: dict[str, list[str]] = defaultdict(list)
        for key in self.names_by_key:
            compact = key.replace(" ", "")
            if len(compact) >= 4:
                by_prefix[compact[:FUZZY_PREFIX]].append(key)
        index: dict[str, list[str]] = defaultdict(list)
        for prefix, keys in by_prefix.items():
            variants = {prefix[:i] + prefix[i + 1 :] for i in range(len(prefix))}
            variants.add(prefix)
            for variant in variants:
                index[variant].extend(keys)
        self.fuzzy_index = dict(index)

    # ---- querying -------------------------------------------------------------------------
    def fuzzy_candidates(self, word: str) -> list[tuple[str, int]]:
        """Commune keys within one edit (names up to 6 letters) or two (longer names).

        >>> get_gazetteer().fuzzy_candidates("calaisn")[0]
        ('calais', 1)
        """
        compact = word_key(word).replace(" ", "")
        if len(compact) < 4:
            return []
        found: dict[str, int] = {}
        for variant in _deletes(compact[:FUZZY_PREFIX], 2):
            for key in self.fuzzy_index.get(variant, ()):
                if key in found:
                    continue
                target = key.replace(" ", "")
                allowed = 1 if len(target) <= 6 else 2
                distance = Levenshtein.distance(compact, target, score_cutoff=allowed)
                if distance <= allowed and key[0] == compact[0]:
                    found[key] = distance
        return sorted(found.items(), key=lambda kv: (kv[1], kv[0]))

    def find(
        self,
        text: str,
        *,
        exclude: list[tuple[int, int]] = (),
        department: str | None = None,
        series_department: str | None = None,
    ) -> FindResult:
        """Places named in ``text`` (offsets are ``text``'s own).

        >>> [p.code for p in get_gazetteer().find("Des masques à Hénin-Beaumont et à Lens.").places]
        ['62427', '62498']
        """
        folded, anchors = fold_with_map(text, saints=True)
        result = FindResult()
        # One byte per character: 1 where a URL or e-mail is, 2 where a place was taken.
        mask = bytearray(len(text) + 1)
        for s, e in exclude:
            mask[s:e] = b"\x01" * (e - s)
        raw = []
        for end, (key, values) in self.automaton.iter(f" {folded} "):
            # Padded key " key " ended at ``end`` in the padded haystack.
            start_f = end - len(key) - 1  # folded offset of the key's first char
            raw.append((start_f, start_f + len(key), key, values))
        raw.sort(key=lambda r: (-(r[1] - r[0]), r[0]))
        spans = []
        for start_f, end_f, key, values in raw:
            start = original_offset(anchors, start_f)
            end = original_offset(anchors, end_f - 1) + 1
            if mask.find(2, start, end) != -1:
                continue
            if mask.find(1, start, end) != -1:
                result.rejected.append(Rejection(start, end, text[start:end], "url_or_email"))
                continue
            mask[start:end] = b"\x02" * (end - start)
            spans.append((start, end, key, values))
        spans.sort()
        pending = []
        candidates: list[Candidate] = []
        for start, end, key, values in spans:
            kinds = {kind for kind, _ in values}
            surface = text[start:end]
            if "organisation" in kinds:
                result.rejected.append(Rejection(start, end, surface, "organisation"))
                continue
            if kinds & {"department", "region"} and "commune" not in kinds:
                # Not a commune: "Pas-de-Calais" is not Calais; kept to read qualifiers.
                result.rejected.append(Rejection(start, end, surface, "department_or_region"))
                continue
            # An EPCI's name carries a capital somewhere ("communauté d'agglomération
            # (Douaisis Agglo)"); an all-lowercase "agglomération" is a common noun.
            if "epci" in kinds and any(ch.isupper() for ch in surface):
                sirens = self.epci_keys[next(v for k, v in values if k == "epci")]
                pending.append(("epci", start, end, list(sirens), "exact"))
                continue
            if "commune" in kinds:
                commune_key = next(v for k, v in values if k == "commune")
                reason = self._reject_reason(text, start, end, commune_key)
                if reason:
                    result.rejected.append(Rejection(start, end, surface, reason))
                    continue
                before = text[max(0, start - 40) : start]
                if _AREA_CUE_RE.search(before) and commune_key in self.arrondissement_keys:
                    pending.append(
                        (
                            "arrondissement",
                            start,
                            end,
                            self.arrondissement_keys[commune_key],
                            "exact",
                        )
                    )
                    continue
                codes = list(self.names_by_key[commune_key])
                candidate = Candidate(start, end, codes, "exact", source_key=key)
                candidate.alternates = self.alternates.get(commune_key, ())
                candidates.append(candidate)
                continue
            if "variant" in kinds:
                candidate = self._variant_candidate(text, start, end, key)
                if candidate is not None:
                    candidates.append(candidate)
        pending.extend(self._acronyms(text, mask))
        candidates.extend(self._fuzzy(text, mask, result))
        candidates.sort(key=lambda c: c.start)
        dominant = self._weigh(
            text, folded, anchors, candidates, result, department, series_department
        )
        pending.sort(key=lambda p: p[1])
        self._resolve(text, pending, result, department, series_department, dominant)
        for m in _GENERIC_EPCI_RE.finditer(text):
            if mask[m.start(1)]:
                continue
            kind_word = m.group(1).lower()
            etype = (
                "CU"
                if "urbaine" in kind_word
                else "CA"
                if "agglom" in kind_word
                else "CC"
                if "communes" in kind_word
                else "Métropole"
            )
            result.places.append(
                PlaceMatch(
                    "epci",
                    "",
                    m.group(1),
                    m.start(1),
                    m.end(1),
                    m.group(1),
                    method="context",
                    candidates=0,
                    epci_type=etype,
                )
            )
        result.places.sort(key=lambda p: p.start)
        return result

    def _variant_candidate(self, text, start, end, key) -> Candidate | None:
        """A commune written another way ("du Crotoy", "Charleville"), or None."""
        surface = text[start:end]
        words = surface.replace("'", " ").replace("’", " ").split()
        forms = self.variants[key]
        form = forms[0][1]
        if form == "contracted":
            # The name is what follows "du"/"au"/"des"/"aux"; it must be capitalised.
            offset = surface.index(words[1], len(words[0]))
            start += offset
            if not text[start : start + 1].isupper():
                return None
        elif not words[0][:1].isupper() and not (
            fold_key(words[0]) in _ARTICLES and len(words) > 1 and words[1][:1].isupper()
        ):
            return None
        if text[end : end + 1].isalnum() or text[max(0, start - 1) : start].isalnum():
            return None
        codes = [c for commune_key, _ in forms for c in self.names_by_key[commune_key]]
        return Candidate(start, end, codes, "variant", form=form, source_key=key)

    def _weigh(self, text, folded, anchors_map, candidates, result, department, series_department):
        """Score every commune candidate; keep the confident ones, offer the near ones.

        Two passes: the first, without geography, finds the confident communes that set the
        document's dominant département; the second adds the geography and decides. Returns
        the dominant département.
        """
        if not candidates:
            return department or series_department
        weights = evidence.model()
        threshold, possible = weights["threshold"], weights["possible"]
        kept = []
        for c in candidates:
            qualifier = self._qualifier(text, c.end) if "(" in text[c.end : c.end + 3] else set()
            postcode = (
                _POSTCODE_BEFORE_RE.search(text[max(0, c.start - 8) : c.start])
                if text[c.start - 2 : c.start - 1].isdigit()
                else None
            )
            if postcode:
                code = postcode.group(1)
                by_postcode = [x for x in c.codes if code in self.postal_codes.get(x, ())]
                if by_postcode:
                    c.codes = by_postcode
                    qualifier = {self.communes[by_postcode[0]].department}
            if qualifier:
                # A département in brackets always restricts the candidates to it; a short
                # name's suffixed commune there wins over its exact homonyms elsewhere.
                codes = [x for x in c.codes if self.communes[x].department in qualifier]
                if not codes:
                    codes = [x for x in c.alternates if self.communes[x].department in qualifier]
                    c.alternates = ()
                    if codes:
                        c.method = "variant"
                if not codes:
                    continue
                c.codes = codes
            c.features = self._features(text, c, qualifier)
            c.qualifier = qualifier
            kept.append(c)
        candidates = kept

        def choose(c, dominant, anchors):
            pool = c.codes
            wanted = c.qualifier or ({dominant, department} - {None})
            if (
                wanted
                and c.alternates
                and not any(self.communes[x].department in wanted for x in pool)
            ):
                # "Bully" in a text of the Pas-de-Calais is Bully-les-Mines, not Bully (42).
                local = [x for x in c.alternates if self.communes[x].department in wanted]
                if local:
                    c.features["variant_form"] = 1.0
                    return self._choose_commune(local, set(), dominant, series_department, anchors)
            if c.form in ("short", "suffixless"):
                # Without its suffix only in the bracket's or the dominant département.
                pool = [x for x in pool if self.communes[x].department in wanted]
                if not pool:
                    return ""
            return self._choose_commune(pool, set(), dominant, series_department, anchors)

        dominant = department or series_department
        for c in candidates:
            c.code = choose(c, dominant, [])
            c.score = evidence.probability(c.features, weights["weights"]) if c.code else 0.0
        votes: Counter = Counter()
        # One vote per commune, however often it is named: "L'Union des maires", three times
        # in a text, must not make its own département the text's.
        own: dict[str, tuple[str, float]] = {}
        for c in candidates:
            if c.code and c.score >= threshold:
                depts = {self.communes[x].department for x in c.codes}
                weight = 1.0 if len(depts) == 1 else 0.5
                if weight > own.get(c.code, ("", 0.0))[1]:
                    own[c.code] = (self.communes[c.code].department, weight)
        for dept, weight in own.values():
            votes[dept] += weight
        # A département the text names ("l'Ain", "en Dordogne") says where it is, as a
        # commune of it would: "Saint Eloi" in a text about the Ain is Saint-Éloi (01).
        for code in self._named_departments(result):
            votes[code] += NAMED_DEPARTMENT_VOTE
        if department:
            votes[department] += 0.5
        dominant = votes.most_common(1)[0][0] if votes else series_department
        confident = list(
            {
                c.code: self.communes[c.code] for c in candidates if c.code and c.score >= threshold
            }.values()
        )
        near: dict[str, float] = {}  # near_others depends on the commune only
        top3 = votes.most_common(3)
        top = [(d, n) for d, n in top3[:1] if n > 0]
        for c in candidates:
            c.code = choose(c, dominant, confident)
            if not c.code:
                continue
            record = self.communes[c.code]
            features = dict(c.features)
            # The dominant département of the OTHER communes: a name does not vote for itself.
            others = top
            if c.code in own:
                dept, weight = own[c.code]
                left = [(d, n - weight if d == dept else n) for d, n in top3]
                others = [(d, n) for d, n in sorted(left, key=lambda x: -x[1]) if n > 0][:1]
            if others:
                features["same_department"] = 1.0 if record.department == others[0][0] else -1.0
            if record.insee not in near:
                near[record.insee] = float(
                    any(
                        o.insee != record.insee
                        and evidence.distance_km(
                            o.latitude, o.longitude, record.latitude, record.longitude
                        )
                        <= 40
                        for o in confident
                    )
                )
            features["near_others"] = near[record.insee]
            features["population"] = math.log10(record.population + 1) / 5
            other_reading = "fuzzy_edits" in features or (
                "place_cue" not in features
                and ("common_word" in features or "first_name" in features)
            )
            if (
                other_reading
                and not features["near_others"]
                and features.get("same_department", 0.0) <= 0
                and "bracket_match" not in features
            ):
                features["doubtful_alone"] = 1.0
            if "common_word" in features and record.population >= COMMON_WORD_MAX_POPULATION:
                # A capitalised big town ("Paris", "Rennes") is the town more often than the
                # ordinary word: the word counts for a quarter.
                features["common_word"] = 0.25
            c.features = features
            c.score = evidence.probability(features, weights["weights"])
            match = PlaceMatch(
                "commune",
                c.code,
                record.name,
                c.start,
                c.end,
                text[c.start : c.end],
                c.method,
                len(c.codes),
                score=round(c.score, 3),
                features=features,
            )
            result.scored.append(match)
            if c.score >= threshold:
                result.places.append(match)
            elif c.score >= possible:
                result.possible.append(match)
            else:
                result.rejected.append(Rejection(c.start, c.end, match.text, "weak_evidence"))
        return dominant

    def _named_departments(self, result) -> set[str]:
        """The départements named as such in the text (kept aside as rejections)."""
        named = set()
        for rejection in result.rejected:
            if rejection.reason != "department_or_region":
                continue
            key = fold_key(rejection.text)
            head, _, rest = key.partition(" ")
            code = self.department_keys.get(key) or (
                self.department_keys.get(rest) if head in _ARTICLES else None
            )
            if code:
                named.add(code)
        return named

    def _features(self, text, c: Candidate, qualifier) -> dict[str, float]:
        """The features of ``evidence.FEATURES`` that do not depend on the chosen commune."""
        surface = text[c.start : c.end]
        words = _NAME_WORDS_RE.findall(surface)
        significant = [
            w for w in words if fold_key(w) not in _ARTICLES | _LINK_WORDS | _SUFFIX_LINKS
        ] or words
        before = text[max(0, c.start - 40) : c.start]
        key = c.source_key or fold_key(surface)
        name_words = key.split()
        bare = (
            " ".join(name_words[1:]) if name_words[0] in _ARTICLES and len(name_words) > 1 else key
        )
        f: dict[str, float] = {}
        if c.method == "fuzzy":
            f["fuzzy_edits"] = float(c.edits)
        if c.method == "variant":
            f["variant_form"] = 1.0
        letters = "".join(significant)
        if len(letters) > 3 and letters.isupper():
            f["all_caps"] = 1.0
        if fold_key(words[0]) in _ARTICLES and words[0][:1].islower() and c.form != "contracted":
            f["lower_article"] = 1.0
        if any(w[:1].islower() for w in significant):
            f["lower_word"] = 1.0
        near = before[-26:]  # every cue, club word or sentence end fits in it
        if c.start == 0 or _SENTENCE_START_RE.search(near):
            f["sentence_start"] = 1.0
        if c.form == "contracted" or _STRONG_CUE_RE.search(near):
            f["place_cue"] = 1.0
        elif _WEAK_CUE_RE.search(near):
            f["weak_cue"] = 1.0
        if qualifier:
            f["bracket_match"] = 1.0
        if _CLUB_RE.search(near):
            f["club"] = 1.0
        # "l'école Sainte-Anne": the word is "école", its elided article aside.
        previous = [
            w[2:] if w[:2].lower() in _ELIDED and len(w) > 2 else w
            for w in _PREVIOUS_WORDS_RE.findall(before[-30:])[-4:]
        ]
        # "collège Jean-Moulin", "Immeuble des Manères", "tempête Alex" name a thing after the
        # name; "magasin de Camon", "collège de Lens" say where it is.
        named = previous[:-1] if previous and fold_key(previous[-1]) == "des" else previous
        if named and fold_key(named[-1]) in _ORG_WORDS:
            f["org_before"] = 1.0
        if (
            previous
            and previous[-1][:1].isupper()
            and all(part in self.first_names for part in fold_key(previous[-1]).split())
        ):
            f["first_name_before"] = 1.0
        # "Mme Brest", "Madame Morgane Brest", "M. RENARD": a person, whatever the name.
        civility = [fold_key(w) in _CIVILITIES for w in previous[-2:]]
        if civility and (
            civility[-1] or (len(civility) == 2 and civility[0] and previous[-1][:1].isupper())
        ):
            f["first_name_before"] = 1.5
        tail = before[-30:]
        word_before = _WORD_BEFORE_END_RE.search(tail)
        word_after = _WORD_AFTER_RE.match(text, c.end, c.end + 40)
        if (
            word_before
            and word_before.group(1)[:1].isupper()
            and fold_key(word_before.group(1)) not in _ARTICLES | _LINK_WORDS
            and not _SENTENCE_START_RE.search(tail[: word_before.start()])
        ) or (
            word_after
            and word_after.group(1)[:1].isupper()
            and fold_key(word_after.group(1)) not in _LINK_WORDS
        ):
            f["capitalised_run"] = 1.0
        if f.get("all_caps"):
            line_start = text.rfind("\n", 0, c.start) + 1
            line_end = text.find("\n", c.end)
            line = text[line_start : line_end if line_end != -1 else len(text)]
            others = [w for w in re.findall(r"\b[A-ZÀ-Ý]{3,}\b", line) if w not in surface]
            if len(others) >= 2:
                f["caps_list"] = 1.0
        if len(name_words) == 1 and key in self.first_names:
            f["first_name"] = 1.0
        if key in self.ordinary_names or bare in self.ordinary_names or bare in self.near_words:
            f["common_word"] = 1.0
        if key in self.company_words:
            f["org_name"] = 1.0
        if key in self.countries or bare in self.countries:
            f["country"] = 1.0
        if key in self.department_keys or key in self.region_departments:
            f["department_name"] = 1.0
        if len(c.codes) > 1:
            f["ambiguous"] = math.log(len(c.codes))
        if c.method == "exact" and _accents_differ(surface, self.communes[c.codes[0]].name):
            f["accents_differ"] = 1.0
        return f

    def _reject_reason(self, text: str, start: int, end: int, key: str) -> str:
        """Why a name match is no commune mention at all: all in lower case, or inside a word.

        Everything else (a club, an ordinary word, a first name…) is evidence, weighed by
        ``_weigh`` with the rest.
        """
        surface = text[start:end]
        words = surface.replace("'", " ").replace("’", " ").split()
        significant = [w for w in words if fold_key(w) not in _ARTICLES] or words
        if not (surface[:1].isupper() or significant[0][:1].isupper()):
            return "lowercase"
        if text[end : end + 1].isalnum() or text[max(0, start - 1) : start].isalnum():
            return "inside_word"
        return ""

    def _acronyms(self, text, mask):
        if not hasattr(self, "_acronym_re"):
            names = sorted(self.epci_acronyms, key=len, reverse=True)
            self._acronym_re = re.compile(
                r"(?<![\w@./-])(" + "|".join(map(re.escape, names)) + r")(?![\w@-])"
            )
        found = []
        for m in self._acronym_re.finditer(text):
            if mask.find(1, m.start(), m.end()) != -1 or mask.find(2, m.start(), m.end()) != -1:
                continue
            mask[m.start() : m.end()] = b"\x02" * (m.end() - m.start())
            found.append(
                ("epci", m.start(), m.end(), list(self.epci_acronyms[m.group(1)]), "acronym")
            )
        return found

    def _fuzzy(self, text, mask, result):
        found = []
        for m in _CAPITALISED_RE.finditer(text):
            start, end = m.span(1)
            if any(mask[start:end]):
                continue
            word = m.group(1)
            key = word_key(word)
            compact = key.replace(" ", "")
            if len(compact) < 4 or key in self.names_by_key or key in self.variants:
                continue
            before = text[max(0, start - 40) : start]
            # A typo is only looked for after a cue; what else the word is (a first name, a
            # company, an ordinary word, a country) is evidence weighed with the rest.
            if not _CUE_RE.search(before):
                continue
            if any(
                compact.endswith(sfx) and compact[: -len(sfx)] in self.names_by_key
                for sfx in _DEMONYM_SUFFIXES
            ):
                result.rejected.append(Rejection(start, end, word, "demonym"))
                continue
            candidates = self.fuzzy_candidates(word)
            if not candidates:
                continue
            best = candidates[0][1]
            keys = [k for k, d in candidates if d == best]
            insees = [insee for k in keys for insee in self.names_by_key[k]]
            found.append(Candidate(start, end, insees, "fuzzy", edits=best, source_key=key))
        return found

    def _qualifier(self, text: str, end: int) -> set[str]:
        """Départements named right after a place: "(Val d'Oise)", "(974)", "(62)"."""
        m = _QUALIFIER_RE.match(text, end)
        if not m:
            return set()
        inner = m.group(1).strip()
        code = inner.upper()
        if code in self.departments:
            return {code}
        if re.fullmatch(r"\d{5}", inner):  # a postal code
            return {inner[:3]} if inner[:2] in ("97", "98") else {inner[:2]}
        key = fold_key(inner)
        if key in self.department_keys:
            return {self.department_keys[key]}
        if key in self.region_departments:
            return set(self.region_departments[key])
        return set()

    def _resolve(self, text, pending, result, department, series_department, dominant=None):
        """Areas (EPCI, arrondissements) resolved by the bracket, then the dominant département."""
        dominant = dominant or department or series_department
        anchors = [
            self.communes[codes[0]]
            for kind, _, _, codes, _ in pending
            if kind == "commune" and len(codes) == 1
        ]
        for kind, start, end, codes, method in pending:
            surface = text[start:end]
            qualifier = self._qualifier(text, end)
            if kind == "commune":
                code = self._choose_commune(codes, qualifier, dominant, series_department, anchors)
                name = self.communes[code].name
            elif kind == "arrondissement":
                code = self._choose_by_department(
                    codes, lambda c: self.arrondissements[c][1], qualifier, dominant
                )
                name = self.arrondissements[code][0]
            else:
                code = self._choose_by_department(
                    codes, lambda c: self.epcis[c][1], qualifier, dominant
                )
                name = self.epcis[code][0]
            result.places.append(
                PlaceMatch(kind, code, name, start, end, surface, method, len(codes))
            )

    def _choose_commune(self, codes, qualifier, dominant, series_department, anchors) -> str:
        if len(codes) == 1:
            return codes[0]
        pool = [c for c in codes if self.communes[c].department in qualifier] or codes
        for dept in (dominant, series_department):
            narrowed = [c for c in pool if self.communes[c].department == dept]
            if narrowed:
                pool = narrowed
                break
        if len(pool) > 1 and anchors:
            lat = sum(a.latitude for a in anchors) / len(anchors)
            lon = sum(a.longitude for a in anchors) / len(anchors)
            return min(
                pool,
                key=lambda c: (
                    (self.communes[c].latitude - lat) ** 2 + (self.communes[c].longitude - lon) ** 2
                ),
            )
        return max(pool, key=lambda c: self.communes[c].population)

    @staticmethod
    def _choose_by_department(codes, dept_of, qualifier, dominant) -> str:
        for wanted in (qualifier, {dominant}):
            narrowed = [c for c in codes if dept_of(c) in wanted]
            if narrowed:
                return narrowed[0]
        return codes[0]

    # ---- helpers for callers --------------------------------------------------------------
    def epci_for(
        self, *, etype: str, communes: list[str], arrondissements: list[str], department: str | None
    ) -> str | None:
        """The EPCI of type ``etype`` that a generic mention ("la Communauté Urbaine") means."""
        for insee in communes:
            record = self.communes.get(insee)
            if record and record.epci and epci_type(record.epci_name) == etype:
                return record.epci
        scores: Counter = Counter()
        for record in self.communes.values():
            if not record.epci or epci_type(record.epci_name) != etype:
                continue
            if record.arrondissement in arrondissements:
                scores[record.epci] += record.population + 1
        if scores:
            return scores.most_common(1)[0][0]
        if department:
            same = {
                s
                for s, (name, d) in self.epcis.items()
                if d == department and epci_type(name) == etype
            }
            if len(same) == 1:
                return same.pop()
        return None

    def dominant_department(self, insee_codes: Iterable[str]) -> str | None:
        """The département most of these communes belong to (first seen wins a tie).

        >>> get_gazetteer().dominant_department(["62041", "59350", "62193"])
        '62'
        """
        counts = Counter(
            self.communes[code].department for code in insee_codes if code in self.communes
        )
        return counts.most_common(1)[0][0] if counts else None

    def commune_by_name(self, name: str, department: str | None = None) -> str | None:
        codes = self.names_by_key.get(fold_key(name), [])
        if not codes:
            return None
        return self._choose_commune(codes, set(), department, None, [])


def build_gazetteer() -> Gazetteer:
    gazetteer = Gazetteer()
    # Its hundreds of thousands of objects live as long as the process: moved out of the
    # collector's reach, they no longer make every full collection during a find() slow.
    gc.collect()
    gc.freeze()
    return gazetteer


@lru_cache(maxsize=1)
def get_gazetteer() -> Gazetteer:
    """The process-wide gazetteer, built on first use."""
    return build_gazetteer()
