"""The outline map of a commune, shown by any page that includes territory/_commune_map.html."""

from django.conf import settings
from django.urls import reverse

from .reference import OUTLINED_DEPARTMENTS


def commune_map_context(commune) -> dict:
    """What ``territory/_commune_map.html`` needs, as ``{"map": …}`` (None: no outline).

    A commune page adds it to its context and includes the template.
    """
    if commune.department_id not in OUTLINED_DEPARTMENTS:
        return {"map": None}
    return {
        "map": {
            "geojson_url": reverse("territory:geojson-62"),
            "insee": commune.pk,
            "name": commune.name,
            "latitude": commune.latitude,
            "longitude": commune.longitude,
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        }
    }
