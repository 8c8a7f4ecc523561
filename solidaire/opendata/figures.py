"""The figures of /chiffres/ and /api/v1/stats/: counts of public initiatives by theme,
actor kind, arrondissement, EPCI, week and commune, and quantity totals by item."""

import hashlib
import time
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, F, Min, Sum
from django.db.models.functions import Coalesce, TruncWeek
from django.utils import formats, timezone

from solidaire.initiatives.models import ActorKind, Status
from solidaire.initiatives.selectors import InitiativeFilters
from solidaire.territory.models import Arrondissement, Epci

from .selectors import data_version, matching

CACHE_SECONDS = 300


@dataclass
class Chart:
    slug: str
    title: str
    description: str
    label_header: str
    value_header: str
    # (code, label, value): the code identifies the row in the CSV.
    rows: list[tuple[str, str, int]] = field(default_factory=list)
    extra_header: str = ""
    extra: list[int] = field(default_factory=list)  # quantities: initiatives per item

    @property
    def total(self) -> int:
        return sum(value for _, _, value in self.rows)


def _grouped(qs, code: str, **extra) -> list[dict]:
    """Rows of ``qs`` grouped by the expression ``code``, each initiative counted once."""
    return list(
        qs.annotate(code=code)
        .filter(code__isnull=False)
        .values("code")
        .annotate(n=Count("pk", distinct=True), **extra)
        .order_by("-n", "code")
    )


def _by_theme(qs) -> list[tuple[str, str, int]]:
    rows = _grouped(qs, F("themes__slug"), name=Min("themes__name"))
    return [(r["code"], r["name"], r["n"]) for r in rows]


def _by_actor_kind(qs) -> list[tuple[str, str, int]]:
    labels = dict(ActorKind.choices)
    return [
        (r["code"], labels.get(r["code"], r["code"]), r["n"]) for r in _grouped(qs, F("actor_kind"))
    ]


def _by_area(qs, direct: str, via_commune: str, model) -> list[tuple[str, str, int]]:
    """Initiatives placed on the area itself or on one of its communes, each counted once."""
    rows = _grouped(qs, Coalesce(direct, via_commune))
    names = dict(model.objects.filter(pk__in=[r["code"] for r in rows]).values_list("pk", "name"))
    return [(r["code"], names.get(r["code"], r["code"]), r["n"]) for r in rows]


def _by_week(qs) -> list[tuple[str, str, int]]:
    rows = (
        qs.annotate(week=TruncWeek("published_at", tzinfo=timezone.get_current_timezone()))
        .values("week")
        .annotate(n=Count("pk"))
        .order_by("week")
    )
    result = []
    for r in rows:
        day = r["week"].date() if hasattr(r["week"], "date") else r["week"]
        label = "Semaine du " + formats.date_format(day, "j F Y")
        result.append((day.isoformat(), label, r["n"]))
    return result


def _by_commune(qs) -> list[tuple[str, str, int]]:
    rows = _grouped(qs, F("places__commune_id"), name=Min("places__commune__name"))
    rows.sort(key=lambda r: (-r["n"], r["name"]))
    return [(r["code"], r["name"], r["n"]) for r in rows]


def _quantities(qs) -> tuple[list[tuple[str, str, int]], list[int]]:
    rows = _grouped(
        qs, F("quantities__item_key"), total=Sum("quantities__count"), label=Min("quantities__item")
    )
    rows.sort(key=lambda r: (-r["total"], r["code"]))
    return [(r["code"], r["label"].lower(), r["total"]) for r in rows], [r["n"] for r in rows]


def compute_figures(*, filters: InitiativeFilters) -> dict:
    ids = matching(filters=filters)
    status_counts = dict(ids.values_list("status").annotate(n=Count("pk")))
    quantity_rows, quantity_initiatives = _quantities(ids)
    charts = [
        Chart(
            "themes",
            "Initiatives par thème",
            "Nombre d'initiatives publiques par thème.",
            "Thème",
            "Initiatives",
            _by_theme(ids),
        ),
        Chart(
            "types-de-porteur",
            "Initiatives par type de porteur",
            "Nombre d'initiatives publiques par type de porteur.",
            "Type de porteur",
            "Initiatives",
            _by_actor_kind(ids),
        ),
        Chart(
            "arrondissements",
            "Initiatives par arrondissement",
            "Initiatives placées dans l'arrondissement ou dans l'une de ses communes.",
            "Arrondissement",
            "Initiatives",
            _by_area(
                ids,
                "places__arrondissement_id",
                "places__commune__arrondissement_id",
                Arrondissement,
            ),
        ),
        Chart(
            "epci",
            "Initiatives par intercommunalité (EPCI)",
            "Initiatives placées dans l'intercommunalité ou dans l'une de ses communes.",
            "Intercommunalité",
            "Initiatives",
            _by_area(ids, "places__epci_id", "places__commune__epci_id", Epci),
        ),
        Chart(
            "semaines",
            "Initiatives publiées par semaine",
            "Nombre d'initiatives publiées chaque semaine (semaine commençant le lundi).",
            "Semaine",
            "Initiatives publiées",
            _by_week(ids),
        ),
        Chart(
            "quantites",
            "Quantités annoncées par objet",
            "Total des quantités annoncées par les porteurs, par objet (visières, masques, "
            "repas…), les variantes d'écriture regroupées.",
            "Objet",
            "Total annoncé",
            quantity_rows,
            "Initiatives",
            quantity_initiatives,
        ),
        Chart(
            "communes",
            "Initiatives par commune",
            "Initiatives placées directement dans la commune.",
            "Commune",
            "Initiatives",
            _by_commune(ids),
        ),
    ]
    return {
        "total": sum(status_counts.values()),
        "published": status_counts.get(Status.PUBLISHED, 0),
        "archived": status_counts.get(Status.ARCHIVED, 0),
        "charts": {chart.slug: chart for chart in charts},
    }


def figures(*, filters: InitiativeFilters) -> tuple[dict, str]:
    """The figures and their version, at most CACHE_SECONDS old.

    Counting a national base takes seconds, so a page view reads the cache without any
    query; after CACHE_SECONDS, the data's version is checked and the figures recomputed
    only if the data changed.
    """
    key = "opendata:figures:" + hashlib.sha256(repr(filters).encode()).hexdigest()
    cached = cache.get(key)
    if cached is not None and cached["fresh_until"] > time.time():
        return cached["result"], cached["etag"]
    etag, _ = data_version(filters=filters, salt="figures")
    if cached is not None and cached["etag"] == etag:
        result = cached["result"]
    else:
        result = compute_figures(filters=filters)
    entry = {"result": result, "etag": etag, "fresh_until": time.time() + CACHE_SECONDS}
    cache.set(key, entry, CACHE_SECONDS * 12)
    return result, etag


CHART_SLUGS = [
    "themes",
    "types-de-porteur",
    "arrondissements",
    "epci",
    "semaines",
    "quantites",
    "communes",
]
