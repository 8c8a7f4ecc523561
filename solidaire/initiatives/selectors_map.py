"""The map's counts: initiatives per commune, and area-only ones at their area's point."""

from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import Coalesce
from django.urls import reverse

from solidaire.lib.typography import of_name
from solidaire.territory.instance import instance
from solidaire.territory.reference import area_point, has_outline

from .models import Place, PlaceKind
from .selectors import InitiativeFilters, initiative_search

# The columns naming a place's area, for the map and the open-data records alike.
AREA_FIELDS = (
    "epci_id",
    "epci__name",
    "arrondissement_id",
    "arrondissement__name",
    "department_id",
    "department__name",
)


def map_counts(*, filters: InitiativeFilters) -> dict:
    """Counts for the map, honouring the list's filters.

    ``communes``: {insee: count} of initiatives placed on each commune (outlines in the
    instance's départements, points elsewhere); ``points``: communes outside the instance or
    without an outline, then area-only initiatives at their area's representative point.
    A wider instance's map starts on its départements: ``departments``: {code: count} of
    initiatives placed in each (on a commune, an arrondissement or the département itself).
    """
    ids = initiative_search(filters=filters).values("pk")
    territory = instance()
    communes, points = _commune_counts(ids, departments=set(territory.departments))
    counts = {"communes": communes, "points": points + _area_points(ids)}
    if territory.kind != "department":
        counts["departments"] = department_counts(ids)
    return counts


def department_counts(ids) -> dict[str, int]:
    """{code: count} of the initiatives ``ids`` placed in each département (on a commune, an
    arrondissement or the département itself; an EPCI alone may span several)."""
    rows = (
        Place.objects.filter(initiative_id__in=ids)
        .annotate(
            code=Coalesce(
                "commune__department_id", "arrondissement__department_id", "department_id"
            )
        )
        .exclude(code=None)
        .values("code")
        .annotate(count=Count("initiative_id", distinct=True))
        .order_by("code")
    )
    return {row["code"]: row["count"] for row in rows}


def _commune_counts(ids, *, departments: set[str]) -> tuple[dict[str, int], list[dict]]:
    rows = (
        Place.objects.filter(kind=PlaceKind.COMMUNE, initiative_id__in=ids)
        .values(
            "commune_id",
            "commune__name",
            "commune__department_id",
            "commune__latitude",
            "commune__longitude",
        )
        .annotate(count=Count("initiative_id", distinct=True))
        .order_by("commune_id")
    )
    communes, points = {}, []
    for row in rows:
        communes[row["commune_id"]] = row["count"]
        department = row["commune__department_id"]
        if department not in departments or not has_outline(row["commune_id"], department):
            points.append(
                {
                    "kind": "commune",
                    "code": row["commune_id"],
                    "name": row["commune__name"],
                    "lat": row["commune__latitude"],
                    "lon": row["commune__longitude"],
                    "count": row["count"],
                    "url": reverse("initiatives:commune", args=[row["commune_id"]]),
                }
            )
    return communes, points


def _area_points(ids) -> list[dict]:
    """Initiatives placed on areas only (none of their places is a commune)."""
    has_commune = Exists(
        Place.objects.filter(initiative=OuterRef("initiative_id"), kind=PlaceKind.COMMUNE)
    )
    rows = (
        Place.objects.filter(initiative_id__in=ids)
        .exclude(kind=PlaceKind.COMMUNE)
        .exclude(has_commune)
        .values("kind", *AREA_FIELDS)
        .annotate(count=Count("initiative_id", distinct=True))
        .order_by("kind", "epci_id", "arrondissement_id", "department_id")
    )
    points = []
    for row in rows:
        kind = row["kind"]
        code = row[f"{kind}_id"]
        point = area_point(kind, code)
        if point is None:
            continue
        name, url = _area_link(kind, code, row[f"{kind}__name"])
        points.append(
            {
                "kind": kind,
                "code": code,
                "name": name,
                "lat": point[0],
                "lon": point[1],
                "count": row["count"],
                "url": url,
            }
        )
    return points


def _area_link(kind: str, code: str, name: str) -> tuple[str, str]:
    """(label, URL) of an area's point: its page, or the list filtered on the département."""
    if kind == PlaceKind.EPCI:
        return name, reverse("initiatives:epci", args=[code])
    if kind == PlaceKind.ARRONDISSEMENT:
        return f"Arrondissement {of_name(name)}", reverse("initiatives:arrondissement", args=[code])
    return name, reverse("initiatives:list") + f"?department={code}"
