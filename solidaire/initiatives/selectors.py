"""Reads on initiatives. One selector serves the public list, the API and the exports."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet

from .models import PUBLIC_STATUSES, Initiative


@dataclass(frozen=True)
class InitiativeFilters:
    """Validated public filters (codes as strings, empty means no filter)."""

    q: str = ""
    campaign: str = ""  # campaign slug
    theme: str = ""  # theme slug
    commune: str = ""  # INSEE code: initiatives placed in it (directly)
    epci: str = ""  # SIREN
    arrondissement: str = ""
    department: str = ""  # by place
    owner_department: str = ""
    actor_kind: str = ""
    status: str = ""  # "published" or "archived"; empty means both
    updated_since: datetime | None = None


def initiative_search(*, filters: InitiativeFilters) -> QuerySet[Initiative]:
    """Public initiatives matching ``filters``, newest first, stable order.

    Place filters match an initiative placed on the commune itself or on an area
    containing it, and, for areas, on any commune inside.
    """
    qs = Initiative.objects.filter(status__in=PUBLIC_STATUSES)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.campaign:
        qs = qs.filter(campaign__slug=filters.campaign)
    if filters.theme:
        qs = qs.filter(themes__slug=filters.theme)
    if filters.actor_kind:
        qs = qs.filter(actor_kind=filters.actor_kind)
    if filters.owner_department:
        qs = qs.filter(owner_department_id=filters.owner_department)
    if filters.updated_since:
        qs = qs.filter(updated_at__gte=filters.updated_since)
    if filters.commune:
        qs = qs.filter(places__commune_id=filters.commune)
    if filters.epci:
        qs = qs.filter(Q(places__epci_id=filters.epci) | Q(places__commune__epci_id=filters.epci))
    if filters.arrondissement:
        code = filters.arrondissement
        qs = qs.filter(
            Q(places__arrondissement_id=code) | Q(places__commune__arrondissement_id=code)
        )
    if filters.department:
        code = filters.department
        qs = qs.filter(
            Q(places__department_id=code)
            | Q(places__commune__department_id=code)
            | Q(places__arrondissement__department_id=code)
        )
    if filters.q:
        # Placeholder until the stemmed full-text backend lands.
        for word in filters.q.split()[:20]:
            qs = qs.filter(Q(title__icontains=word) | Q(description__icontains=word))
    return qs.distinct().order_by("-published_at", "-id")
