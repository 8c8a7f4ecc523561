"""Duplicates before they happen: a document that is a number of a series already recorded,
or whose initiatives are mostly published already (same communes, close text).

Read-only: the review screen and ``import_bulletin`` show the warnings, and
``document_import`` creates nothing while there is one, unless told to (``force``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from django.db.models import Prefetch
from rapidfuzz import fuzz

from solidaire.bulletins.models import Bulletin, BulletinItem, BulletinSeries
from solidaire.initiatives.models import PUBLIC_STATUSES, Initiative, Place

# A found initiative matches a published one of one of its communes when their texts are
# this close (rapidfuzz token_set_ratio, 0-100): the same story retold, not two actions.
TEXT_THRESHOLD = 70
SERIES_TITLE_THRESHOLD = 85


def _norm(text: str) -> str:
    return " ".join((text or "").replace("’", "'").split()).lower()


def recorded_number(*, result: Mapping, series: BulletinSeries | None = None) -> Bulletin | None:
    """The bulletin already recorded as this document's number, if any: in ``series``, or
    without one in a series whose title is the document's."""
    header = result.get("bulletin") or {}
    number = header.get("number")
    if not number:
        return None
    bulletins = Bulletin.objects.filter(number=number).select_related("series")
    if series is not None:
        return bulletins.filter(series=series).first()
    title = _norm(header.get("title") or "")
    if not title:
        return None
    for bulletin in bulletins:
        if fuzz.token_set_ratio(title, _norm(bulletin.series.title)) >= SERIES_TITLE_THRESHOLD:
            return bulletin
    return None


def published_matches(*, result: Mapping) -> dict[int, Initiative]:
    """{index of a found initiative: the published initiative it retells}."""
    found = result.get("initiatives") or []
    codes = {code for item in found for code in item.get("communes") or []}
    if not codes:
        return {}
    candidates = (
        Initiative.objects.filter(
            status__in=PUBLIC_STATUSES, places__kind="commune", places__commune_id__in=codes
        )
        .distinct()
        .only("pk", "title", "description")
        .prefetch_related(
            Prefetch("places", queryset=Place.objects.filter(kind="commune").only("commune_id")),
            Prefetch("bulletin_items", queryset=BulletinItem.objects.only("paragraph")),
        )
    )
    by_commune: dict[str, list[tuple[Initiative, list[str]]]] = defaultdict(list)
    for initiative in candidates:
        texts = [_norm(f"{initiative.title} {initiative.description}")]
        texts += [_norm(item.paragraph) for item in initiative.bulletin_items.all()]
        for place in initiative.places.all():
            by_commune[place.commune_id].append((initiative, texts))
    matches = {}
    for index, item in enumerate(found):
        text = _norm(item.get("description_with_names") or item.get("text") or "")
        best, best_score = None, 0.0
        for code in item.get("communes") or []:
            for initiative, texts in by_commune.get(code, []):
                score = max(fuzz.token_set_ratio(text, other) for other in texts)
                if score > best_score:
                    best, best_score = initiative, score
        if best is not None and best_score >= TEXT_THRESHOLD:
            matches[index] = best
    return matches


def duplicate_warnings(*, result: Mapping, series: BulletinSeries | None = None) -> list[str]:
    """Why importing this document would create duplicates, in French; empty when it would not."""
    warnings = []
    bulletin = recorded_number(result=result, series=series)
    if bulletin is not None:
        warnings.append(
            f"Ce document est le n°{bulletin.number} de la série « {bulletin.series.title} », "
            "déjà enregistré : l'importer créerait ses initiatives une seconde fois."
        )
    found = result.get("initiatives") or []
    matches = published_matches(result=result)
    if found and len(matches) * 2 > len(found):
        warnings.append(
            f"{len(matches)} des {len(found)} initiatives trouvées sont déjà publiées "
            "(mêmes communes, texte proche) : ce document a sans doute déjà été importé."
        )
    return warnings
