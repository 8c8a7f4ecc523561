"""How sure a commune mention is: its features, combined into one score with one threshold.

Every candidate mention the gazetteer finds (an exact name, a usual short form, an article
contracted into "du"/"au"/"des", a name without its suffix, a typo one or two letters away)
gets the same features (``FEATURES``): how it is written, the words around it, what else the
name is, the geography of the document, and for a typo its edit distance. A logistic model
turns them into a probability; a mention at or above ``threshold`` is a commune of the text,
one at or above ``possible`` is shown to the moderator as a possible commune.

The weights live in ``data/commune_weights.json``: fitted on the tuning half of the corpus
by ``scripts/fit_commune_weights.py`` or set by hand (``HAND_WEIGHTS``), whichever does
better on the check half (the file says which). No Django, no scikit-learn here.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache

from .reference import DATA_DIR

FEATURES = (
    "fuzzy_edits",  # 0 for an exact reading, else the edit distance of the typo
    "variant_form",  # usual short form, contracted article, name without its suffix
    "all_caps",  # "RAVES", "BAILLY"
    "lower_article",  # "le Plan": a name's own article is capitalised ("Le Portel")
    "lower_word",  # "Le plan national": a significant word of the name in lower case
    "sentence_start",
    "place_cue",  # "à", "commune de", "mairie de", "CCAS de", "habitants de"…
    "weak_cue",  # "de", "du", "en", "sur", "vers"
    "bracket_match",  # "(62)", "(Pas-de-Calais)", "(62100)" right after, or "62100 " before
    "org_before",  # "Fondation", "collège", "gymnase", "immeuble", "tempête"… right before
    "club",  # "supporters de", "Racing Club de", "FC": the club, not the town
    "first_name_before",  # "Charly Gaillard": a surname
    "capitalised_run",  # inside a longer run of capitalised words ("Repair Café")
    "caps_list",  # one of several words in capitals on the line (a list of names)
    "first_name",  # the name is also a first name ("Alex", "Charly")
    "common_word",  # the name (without its article) is an ordinary French word
    "country",  # "France", "Malte" (a commune a typo away, or of the same name)
    "department_name",  # a commune named like a département or region
    "org_name",  # a company word ("Carrefour"); a national organisation hides its names
    "ambiguous",  # log of the number of communes of that name
    "same_department",  # +1 in the document's dominant département, -1 elsewhere
    "near_others",  # within 40 km of another confident commune of the text
    "population",  # log10 of the population, over 5
    # A reading that has another explanation (a typo, or an ordinary word or first name with
    # no place cue before it) that nothing corroborates: no bracket, no other confident
    # commune within 40 km, not in the département of the text's other communes.
    "doubtful_alone",
    "accents_differ",  # "Maire" for Mairé: a lower-case letter written without its accent
)

# Hand-set weights, in the logit of "this mention is a commune of the text".
HAND_WEIGHTS = {
    "bias": 1.6,
    "fuzzy_edits": -1.6,
    "variant_form": -1.0,
    "all_caps": -0.8,
    "lower_article": -2.5,
    "lower_word": -3.0,
    "sentence_start": -0.4,
    "place_cue": 1.6,
    "weak_cue": 0.5,
    "bracket_match": 3.0,
    "org_before": -4.5,
    "club": -5.0,
    "first_name_before": -3.0,
    "capitalised_run": -1.8,
    "caps_list": -2.2,
    "first_name": -2.2,
    "common_word": -2.0,
    "country": -4.0,
    "department_name": -1.8,
    "org_name": -4.0,
    "ambiguous": -0.25,
    "same_department": 0.9,
    "near_others": 0.8,
    "population": 0.8,
    "doubtful_alone": -2.0,
    "accents_differ": -1.5,
}
# The threshold sits in the middle, in logit, of the tuning half's margin between the most
# confident wrong commune (0.43) and the least confident right one (0.82).
HAND_MODEL = {"method": "hand", "weights": HAND_WEIGHTS, "threshold": 0.65, "possible": 0.2}


@lru_cache(maxsize=1)
def model() -> dict:
    """The weights in use: ``data/commune_weights.json``, else the hand-set ones."""
    path = DATA_DIR / "commune_weights.json"
    if path.exists():
        data = json.loads(path.read_text(encoding="utf-8"))
        return data["models"][data["use"]]
    return HAND_MODEL


def probability(features: dict[str, float], weights: dict[str, float] | None = None) -> float:
    """The logistic score of a mention's features.

    >>> round(probability({"place_cue": 1.0}, {"bias": 0.0, "place_cue": 2.0}), 3)
    0.881
    >>> probability({}, {"bias": 0.0})
    0.5
    """
    weights = model()["weights"] if weights is None else weights
    z = weights.get("bias", 0.0) + sum(weights.get(k, 0.0) * v for k, v in features.items())
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine).

    >>> round(distance_km(50.29, 2.78, 50.95, 1.86))  # Arras to Calais
    98
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))
