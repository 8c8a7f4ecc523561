"""Distances between places: area points (cached) and initiatives near a point.

An initiative's position is each of its communes' points. An initiative placed only on areas
(EPCI, arrondissement, département) is drawn at each area's representative point
(``territory.reference.area_points``).
"""

import math
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q

from solidaire.lib.geo import bounding_box, haversine_km
from solidaire.territory.reference import area_points
from solidaire.territory.selectors import communes_in_box

from .models import Initiative, Place, PlaceKind, listed_q


@dataclass
class Near:
    initiative: Initiative
    distance_km: float


# At most this many places are read per query (the newest initiatives first): a crowded
# area's "À moins de 15 km" stays as fast as a quiet one's.
NEARBY_SCAN_LIMIT = 3000
# Newest first, as an expression no index is sorted by: ordered by the column itself, the
# LIMIT led PostgreSQL to walk the whole initiative index backwards for the few places of
# the area (2 s at a million); this way it reads them by their area's index, then sorts.
_NEWEST = F("initiative_id") + 0


def nearest_distances(
    lat: float, lon: float, radius_km: float, *, base=None, exclude_ids=(), exclude=()
) -> dict[int, float]:
    """{initiative id: distance in km} for public initiatives within ``radius_km``.

    Two SQL queries: communes in a bounding box (the index on the place's commune, then
    haversine in Python), and area-only places whose area point is within the radius;
    ``exclude`` holds querysets of initiative ids left out (subqueries, never read here).
    Each reads at most ``NEARBY_SCAN_LIMIT`` places, newest initiatives first.
    """
    base = base if base is not None else Initiative.objects.filter(listed_q())
    base_ids = base.values("pk")
    lat_min, lat_max, lon_min, lon_max = bounding_box(lat, lon, radius_km)
    best: dict[int, float] = {}

    # The communes around the point first (a few dozen, from their own index), then their
    # places by the place's commune index: a join would read every place of the table.
    near_communes = {
        code: d
        for code, clat, clon in communes_in_box(lat, lon, radius_km)
        if (d := haversine_km(lat, lon, clat, clon)) <= radius_km
    }
    commune_rows = (
        Place.objects.filter(
            kind=PlaceKind.COMMUNE,
            initiative_id__in=base_ids,
            commune_id__in=list(near_communes),
        )
        .exclude(initiative_id__in=list(exclude_ids))
        .values_list("initiative_id", "commune_id")
    )
    for excluded in exclude:
        commune_rows = commune_rows.exclude(initiative_id__in=excluded)
    commune_rows = commune_rows.order_by(_NEWEST.desc())[:NEARBY_SCAN_LIMIT]
    for initiative_id, commune_id in commune_rows if near_communes else ():
        distance = near_communes[commune_id]
        if distance < best.get(initiative_id, math.inf):
            best[initiative_id] = distance

    points = area_points()
    near_areas: dict[str, dict[str, float]] = {}
    for kind, by_code in points.items():
        near_areas[kind] = {
            code: d
            for code, (alat, alon) in by_code.items()
            if lat_min <= alat <= lat_max
            and lon_min <= alon <= lon_max
            and (d := haversine_km(lat, lon, alat, alon)) <= radius_km
        }
    condition = Q()
    for kind, field in (
        ("epci", "epci_id"),
        ("arrondissement", "arrondissement_id"),
        ("department", "department_id"),
    ):
        if near_areas[kind]:
            condition |= Q(**{f"{field}__in": list(near_areas[kind])})
    if condition:
        has_commune = Exists(
            Place.objects.filter(initiative=OuterRef("initiative_id"), kind=PlaceKind.COMMUNE)
        )
        area_rows = (
            Place.objects.filter(condition, initiative_id__in=base_ids)
            .exclude(initiative_id__in=list(exclude_ids))
            .exclude(has_commune)
            .values_list("initiative_id", "kind", "epci_id", "arrondissement_id", "department_id")
        )
        for excluded in exclude:
            area_rows = area_rows.exclude(initiative_id__in=excluded)
        area_rows = area_rows.order_by(_NEWEST.desc())[:NEARBY_SCAN_LIMIT]
        for initiative_id, kind, epci, arrondissement, department in area_rows:
            code = {"epci": epci, "arrondissement": arrondissement, "department": department}[kind]
            distance = near_areas[kind].get(code)
            if distance is not None and distance < best.get(initiative_id, math.inf):
                best[initiative_id] = distance
    return best


def initiatives_near(
    lat: float,
    lon: float,
    radius_km: float,
    *,
    exclude_ids=(),
    exclude=(),
    limit: int = 50,
    prepare=None,
) -> list[Near]:
    """Public initiatives within ``radius_km``, nearest first (ties: newest first)."""
    distances = nearest_distances(lat, lon, radius_km, exclude_ids=exclude_ids, exclude=exclude)
    ids = sorted(distances, key=lambda pk: (round(distances[pk], 1), -pk))[:limit]
    qs = Initiative.objects.filter(pk__in=ids)
    if prepare is not None:
        qs = prepare(qs)
    by_id = {initiative.pk: initiative for initiative in qs}
    return [Near(by_id[pk], distances[pk]) for pk in ids if pk in by_id]
