"""Reads behind the API, the exports and the figures. Everything starts from
``initiative_search`` so that a filter means the same thing on every page."""

import hashlib
from dataclasses import replace

from django.db.models import Count, Max, Prefetch, QuerySet

from solidaire.initiatives.models import Initiative, Place
from solidaire.initiatives.selectors import (
    InitiativeFilters,
    initiative_search,
    volunteer_calls_open,
)
from solidaire.territory.reference import area_point


def public_initiatives(*, filters: InitiativeFilters) -> QuerySet[Initiative]:
    """``initiative_search`` with everything a serialiser or an export row reads, prefetched
    (chunk by chunk when iterated with ``.iterator(chunk_size=…)``). Initiatives hidden for
    staleness stay in the API and the exports, with their state."""
    places = Place.objects.select_related(
        "commune", "epci", "arrondissement", "department"
    ).order_by("position", "id")
    return (
        initiative_search(filters=replace(filters, include_hidden=True))
        .select_related("campaign", "owner_department")
        .prefetch_related(
            "themes",
            Prefetch("places", queryset=places),
            "quantities",
            "contacts",
            # The calls the public pages show, as ``open_calls``.
            Prefetch(
                "volunteer_calls",
                queryset=volunteer_calls_open().select_related(None).order_by("position", "id"),
                to_attr="open_calls",
            ),
        )
    )


def matching(*, filters: InitiativeFilters) -> QuerySet[Initiative]:
    """The matching initiatives, unordered, for aggregates.

    Aggregates group this queryset itself rather than ``pk__in`` a subquery: the search's
    full-text condition names the initiatives table and must stay in the outer query.
    """
    return initiative_search(filters=filters).order_by()


def data_version(*, filters: InitiativeFilters, salt: str = "") -> tuple[str, object]:
    """(ETag, Last-Modified) of the data matching ``filters``.

    Any publication, edit or archiving bumps ``updated_at``; the count catches rows that
    leave the public set (hidden ones included: the exports keep them).
    """
    stamp = matching(filters=replace(filters, include_hidden=True)).aggregate(
        last=Max("updated_at"), count=Count("pk")
    )
    raw = f"{salt}|{filters}|{stamp['last']}|{stamp['count']}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32], stamp["last"]


def place_point(place: Place) -> tuple[float, float] | None:
    if place.commune_id:
        return (place.commune.latitude, place.commune.longitude)
    code = place.epci_id or place.arrondissement_id or place.department_id
    return area_point(place.kind, code)


def place_code(place: Place) -> str:
    return place.commune_id or place.epci_id or place.arrondissement_id or place.department_id


def place_name(place: Place) -> str:
    area = place.area
    return area.name if area is not None else ""
