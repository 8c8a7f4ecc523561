"""The outline map of a commune, shown by any page that includes territory/_commune_map.html."""

from django.conf import settings
from django.urls import reverse

from .instance import instance, of_department
from .reference import has_outline, outline_file


def commune_map_context(commune) -> dict:
    """What ``territory/_commune_map.html`` needs, as ``{"map": …}`` (None: no map).

    The communes of the instance's départements have a map; a commune without outline of
    its own (see data/README.md) is drawn as its point among its neighbours. Communes
    outside the instance are served without a map. A commune page adds it to its context
    and includes the template.
    """
    department = commune.department_id
    if department not in instance().departments or outline_file(f"communes-{department}") is None:
        return {"map": None}
    return {
        "map": {
            "geojson_url": reverse("territory:outline", args=[f"communes-{department}"]),
            "insee": commune.pk,
            "name": commune.name,
            "outlined": has_outline(commune.pk, department),
            "department_of": of_department(commune.department.name),
            "latitude": commune.latitude,
            "longitude": commune.longitude,
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        }
    }
