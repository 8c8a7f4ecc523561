"""Find a commune from what people type: "Calaisn", "St Etienne au Mont", "62360".

``find_communes`` is a pure function over an in-memory ``FinderIndex`` built once from the
database (``get_index``) and kept per process. Lookups go, in order of trust:

1. exact: folded name (case, accents, hyphens, apostrophes and "St"/"Ste" ignored), postal
   code or INSEE code. Five characters are a postal code first (its communes, most populous
   first): an INSEE code only when no commune has that postal code, because people type the
   code on their letters, and "62100" is Calais' postal code but Beaurainville's INSEE code;
2. prefix of the whole name (bisection in a sorted key list), then prefix of a later word
   of the name ("hardelot" finds Neufchâtel-Hardelot);
3. fuzzy (rapidfuzz), only when 1 and 2 found nothing, over candidates that share trigrams
   with the query (an inverted index, never a scan of every commune).

Within a tier, the instance's home département comes first, then the larger population:
communes are numbered once in that order, so "best" is simply "smallest number".
"""

from __future__ import annotations

import bisect
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from itertools import chain

from rapidfuzz import fuzz, process

from solidaire.lib.text import fold

MAX_QUERY_LENGTH = 100
MAX_LIMIT = 50
MIN_QUERY_LENGTH = 2

SCORE_EXACT = 100.0
SCORE_PREFIX = 90.0
SCORE_WORD_PREFIX = 80.0
# Fuzzy scores are rapidfuzz ratios scaled into [0, 75] so they never outrank a prefix.
FUZZY_SCALE = 0.75
FUZZY_CUTOFF = 70.0
FUZZY_CANDIDATES = 60
# Fuzzy candidates are counted over the query's rarest trigrams, within this many postings.
POSTINGS_BUDGET = 6000
MIN_TRIGRAMS = 4

_CODE_RE = re.compile(r"^(?:\d{2}|2a|2b)\d{0,3}$")
_ARTICLES = ("l ", "le ", "la ", "les ")


class QueryError(ValueError):
    """The query cannot be searched; the message is French and safe to show."""


@dataclass(frozen=True, slots=True)
class CommuneMatch:
    """A commune of the index (``score`` 0) or one found for a query."""

    insee_code: str
    name: str
    postal_codes: list[str]
    department_code: str
    epci_code: str
    arrondissement_code: str
    latitude: float
    longitude: float
    population: int
    score: float = 0.0


@dataclass
class FinderIndex:
    """Lookup tables over communes numbered by rank (home département, then population)."""

    communes: list[CommuneMatch]
    exact: dict[str, list[int]] = field(default_factory=dict)
    codes: dict[str, list[int]] = field(default_factory=dict)
    postal: dict[str, list[int]] = field(default_factory=dict)
    insee: dict[str, int] = field(default_factory=dict)
    code_keys: list[str] = field(default_factory=list)
    prefix_keys: list[str] = field(default_factory=list)
    prefix_ids: list[int] = field(default_factory=list)
    word_keys: list[str] = field(default_factory=list)
    word_ids: list[int] = field(default_factory=list)
    trigrams: dict[str, list[int]] = field(default_factory=dict)
    fuzzy_keys: list[str] = field(default_factory=list)
    source_count: int = 0
    home_department: str = ""

    def __len__(self):
        return len(self.communes)


def normalize(text: str) -> str:
    """Fold a name or a query the same way: lower case, no accents, saints spelled out.

    >>> normalize("St-Étienne-au-Mont")
    'saint etienne au mont'
    >>> normalize("  NEUFCHÂTEL  hardelot ")
    'neufchatel hardelot'
    >>> normalize("L'Haÿ-les-Roses")
    'l hay les roses'
    """
    return fold(text, saints=True)


def strip_article(key: str) -> str:
    """Drop a leading French article, so "portel" finds "Le Portel".

    >>> strip_article("le portel")
    'portel'
    >>> strip_article("l abergement clemenciat")
    'abergement clemenciat'
    >>> strip_article("lens")
    'lens'
    """
    for article in _ARTICLES:
        if key.startswith(article) and len(key) > len(article):
            return key[len(article) :]
    return key


def trigrams(key: str) -> set[str]:
    """Character trigrams of a folded key, padded so word edges count.

    >>> sorted(trigrams("lens"))
    ['  l', ' le', 'ens', 'len', 'ns ']
    """
    padded = f"  {key} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def build_index(rows, home_department: str) -> FinderIndex:
    """Build the index from ``(insee, name, postal_codes, dept, epci, arr, lat, lon, pop)`` rows."""
    communes = [
        CommuneMatch(
            insee_code=insee,
            name=name,
            postal_codes=[code for code in (postal or "").split(";") if code],
            department_code=dept,
            epci_code=epci or "",
            arrondissement_code=arr or "",
            latitude=lat,
            longitude=lon,
            population=pop or 0,
        )
        for insee, name, postal, dept, epci, arr, lat, lon, pop in rows
    ]
    communes.sort(key=lambda c: (c.department_code != home_department, -c.population, c.name))
    index = FinderIndex(
        communes=communes, source_count=len(communes), home_department=home_department
    )
    prefix_pairs, word_pairs = [], []
    trigram_sets: dict[str, list[int]] = {}
    for number, commune in enumerate(communes):
        key = normalize(commune.name)
        keys = {key, strip_article(key)}
        for k in keys:
            index.exact.setdefault(k, []).append(number)
            prefix_pairs.append((k, number))
        words = key.split(" ")
        for start in range(1, len(words)):
            word_pairs.append((" ".join(words[start:]), number))
        index.fuzzy_keys.append(key)
        for gram in trigrams(key):
            trigram_sets.setdefault(gram, []).append(number)
        index.codes.setdefault(commune.insee_code.lower(), []).append(number)
        index.insee[commune.insee_code.lower()] = number
        for code in commune.postal_codes:
            index.codes.setdefault(code, []).append(number)
            index.postal.setdefault(code, []).append(number)
    for numbers in index.postal.values():
        # A postal code's communes, most populous first, whatever the home département.
        numbers.sort(key=lambda n: (-communes[n].population, n))
    prefix_pairs.sort()
    word_pairs.sort()
    index.prefix_keys = [k for k, _ in prefix_pairs]
    index.prefix_ids = [n for _, n in prefix_pairs]
    index.word_keys = [k for k, _ in word_pairs]
    index.word_ids = [n for _, n in word_pairs]
    index.trigrams = trigram_sets
    index.code_keys = sorted(index.codes)
    return index


def clean_query(query) -> str:
    """Return the normalized query, or raise ``QueryError`` with a French message.

    Too short a query gives an empty string (nothing to search, not an error).

    >>> clean_query("  Calaisn ")
    'calaisn'
    >>> clean_query("a")
    ''
    >>> clean_query("x" * 500)
    Traceback (most recent call last):
    ...
    solidaire.territory.finder.QueryError: La recherche est trop longue (100 caractères au maximum).
    """
    if not isinstance(query, str):
        raise QueryError("La recherche doit être un texte.")
    if len(query) > MAX_QUERY_LENGTH:
        raise QueryError(
            f"La recherche est trop longue ({MAX_QUERY_LENGTH} caractères au maximum)."
        )
    if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in query) or "\ufffd" in query:
        raise QueryError("La recherche contient des caractères invalides.")
    folded = normalize(query)
    if len(folded.replace(" ", "")) < MIN_QUERY_LENGTH:
        return ""
    return folded


def _prefix_range(keys: list[str], ids: list[int], prefix: str) -> list[int]:
    lo = bisect.bisect_left(keys, prefix)
    hi = bisect.bisect_left(keys, prefix + "\uffff", lo)
    return ids[lo:hi]


def _code_matches(index: FinderIndex, code: str) -> tuple[list[int], list[int]]:
    if len(code) == 5:
        if code in index.postal:
            return list(index.postal[code]), []
        return ([index.insee[code]] if code in index.insee else []), []
    exact = index.codes.get(code, [])
    lo = bisect.bisect_left(index.code_keys, code)
    hi = bisect.bisect_left(index.code_keys, code + "\uffff", lo)
    prefix = list(chain.from_iterable(index.codes[k] for k in index.code_keys[lo:hi] if k != code))
    return exact, prefix


def _fuzzy(index: FinderIndex, key: str, limit: int) -> list[tuple[int, float]]:
    postings = sorted(
        (p for p in (index.trigrams.get(gram) for gram in trigrams(key)) if p), key=len
    )
    if not postings:
        return []
    # Rarest trigrams first, up to a budget of postings: they discriminate best and keep
    # the counting cheap; a typo spoils at most three trigrams, so enough good ones remain.
    chosen, budget = [], 0
    for posting in postings:
        if len(chosen) >= MIN_TRIGRAMS and budget + len(posting) > POSTINGS_BUDGET:
            break
        chosen.append(posting)
        budget += len(posting)
    postings = chosen
    counts = Counter(chain.from_iterable(postings))
    candidates = [number for number, _ in counts.most_common(FUZZY_CANDIDATES)]
    choices = {number: index.fuzzy_keys[number] for number in candidates}
    # A typo in a name still being typed: also compare with the name cut to the query's length.
    scored = {}
    for _, score, number in process.extract(
        key, choices, scorer=fuzz.ratio, limit=None, score_cutoff=FUZZY_CUTOFF
    ):
        scored[number] = score
    cut = {n: k[: len(key) + 1] for n, k in choices.items() if len(k) > len(key) + 1}
    for _, score, number in process.extract(
        key, cut, scorer=fuzz.ratio, limit=None, score_cutoff=FUZZY_CUTOFF + 5
    ):
        scored[number] = max(scored.get(number, 0.0), score * 0.95)
    # Round so that near-equal scores fall back to the rank order (home, population).
    ranked = sorted(scored.items(), key=lambda item: (-round(item[1]), item[0]))
    return [(number, score * FUZZY_SCALE) for number, score in ranked[:limit]]


def find_communes(query: str, limit: int = 10, *, index: FinderIndex | None = None):
    """Communes matching ``query``, best first, as ``CommuneMatch`` objects.

    Raises ``QueryError`` for unusable input (too long, control characters); a query
    too short to mean anything gives an empty list.
    """
    key = clean_query(query)
    limit = max(1, min(int(limit), MAX_LIMIT))
    if not key:
        return []
    if index is None:
        index = get_index()

    found: dict[int, float] = {}

    def add(numbers, score, ordered=False):
        for number in numbers if ordered else sorted(numbers):
            if number not in found:
                found[number] = score
            if len(found) >= limit:
                return True
        return False

    compact = key.replace(" ", "")
    if _CODE_RE.match(compact):
        exact, prefix = _code_matches(index, compact)
        if not add(exact, SCORE_EXACT, ordered=True):
            add(prefix, SCORE_PREFIX)
    else:
        done = add(index.exact.get(key, []), SCORE_EXACT)
        done = done or add(_prefix_range(index.prefix_keys, index.prefix_ids, key), SCORE_PREFIX)
        done = done or add(_prefix_range(index.word_keys, index.word_ids, key), SCORE_WORD_PREFIX)
        if not found:
            for number, score in _fuzzy(index, key, limit):
                found[number] = round(score, 1)
    # Stable on insertion order: a postal code's communes keep their population order.
    ranked = sorted(found.items(), key=lambda item: -item[1])
    return [_match(index.communes[number], score) for number, score in ranked[:limit]]


def find_by_insee(code: str, *, index: FinderIndex | None = None) -> CommuneMatch | None:
    """The commune with exactly this INSEE code (never read as a postal code), or None."""
    index = index if index is not None else get_index()
    number = index.insee.get(code.strip().lower())
    return None if number is None else _match(index.communes[number], SCORE_EXACT)


def _match(commune: CommuneMatch, score: float) -> CommuneMatch:
    # A copy of the postal codes: the index's own list must not change under a caller.
    return replace(commune, postal_codes=list(commune.postal_codes), score=score)


# --- the per-process index -------------------------------------------------------------

_lock = threading.Lock()
_cached: FinderIndex | None = None
# When the communes were last counted (time.monotonic()).
_checked_at = float("-inf")


def index_rows() -> list[tuple]:
    """The communes as ``build_index`` reads them."""
    from .models import Commune

    return list(
        Commune.objects.values_list(
            "insee_code",
            "name",
            "postal_codes",
            "department_id",
            "epci_id",
            "arrondissement_id",
            "latitude",
            "longitude",
            "population",
        ).order_by()
    )


def index_from_database(home_department: str | None = None) -> FinderIndex:
    from django.conf import settings

    return build_index(index_rows(), home_department or settings.HOME_DEPARTMENT)


def get_index() -> FinderIndex:
    """The cached index, rebuilt when the number of communes in the database changed.

    The COUNT that keeps every process in step with ``load_territory`` runs at most once
    every ``FINDER_CHECK_SECONDS`` (it was 98 % of a lookup's time on PostgreSQL); in the
    process that ran ``load_territory``, ``index_invalidate`` forces it at the next call.
    """
    global _cached, _checked_at
    from django.conf import settings

    from .models import Commune

    index = _cached
    now = time.monotonic()
    interval = settings.FINDER_CHECK_SECONDS
    if (
        index is not None
        and index.home_department == settings.HOME_DEPARTMENT
        and now - _checked_at < interval
    ):
        return index
    wanted = (Commune.objects.count(), settings.HOME_DEPARTMENT)
    if index is not None and (index.source_count, index.home_department) == wanted:
        _checked_at = now
        return index
    with _lock:
        if _cached is None or (_cached.source_count, _cached.home_department) != wanted:
            _cached = index_from_database()
        _checked_at = now
        return _cached


def index_invalidate() -> None:
    """Check the communes at the next ``get_index`` call, whatever the interval."""
    global _checked_at
    _checked_at = float("-inf")
