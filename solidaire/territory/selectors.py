"""Reads of the territory that pages need beyond the finder."""

from __future__ import annotations

from solidaire.lib.geo import bounding_box, haversine_km

from .models import Commune

# Farther than this from any commune's point, a position is not in the territory we know.
NEAREST_MAX_KM = 30.0


def communes_in_box(lat: float, lon: float, radius_km: float) -> list[tuple[str, float, float]]:
    """(INSEE code, latitude, longitude) of the communes in the box around (lat, lon) that
    holds the circle of ``radius_km`` (the index on the commune's position)."""
    lat_min, lat_max, lon_min, lon_max = bounding_box(lat, lon, radius_km)
    return list(
        Commune.objects.filter(
            latitude__range=(lat_min, lat_max), longitude__range=(lon_min, lon_max)
        )
        .order_by()
        .values_list("insee_code", "latitude", "longitude")
    )


def nearest_commune(lat: float, lon: float, *, max_km: float = NEAREST_MAX_KM) -> Commune | None:
    """The commune whose stored point is nearest to (lat, lon), or None beyond ``max_km``.

    A bounding box keeps the rows read to the few communes around the point, then the
    great-circle distance picks the nearest.
    """
    lat_min, lat_max, lon_min, lon_max = bounding_box(lat, lon, max_km)
    candidates = Commune.objects.filter(
        latitude__range=(lat_min, lat_max), longitude__range=(lon_min, lon_max)
    ).only("insee_code", "latitude", "longitude")
    best, best_km = None, max_km
    for commune in candidates:
        distance = haversine_km(lat, lon, commune.latitude, commune.longitude)
        if distance < best_km:
            best, best_km = commune, distance
    return None if best is None else Commune.objects.select_related("department").get(pk=best.pk)
