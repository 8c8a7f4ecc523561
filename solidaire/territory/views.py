"""Territory pages and pieces: "Trouver ma commune", the commune map context, the 62 outlines.

The commune page itself lists initiatives, so it lives in the initiatives app
("initiatives:commune") and includes territory/_commune_identity.html and _commune_map.html.
"""

import gzip
import hashlib
from functools import lru_cache

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from .finder import QueryError, find_communes
from .forms import CommuneSearchForm
from .reference import OUTLINED_DEPARTMENTS, outline_path


@require_GET
def commune_search(request):
    form = CommuneSearchForm(request.GET or None)
    query = request.GET.get("q", "").strip()
    results = []
    if form.is_bound and form.is_valid():
        return redirect("initiatives:commune", insee=form.cleaned_data["q"].pk)
    if query:
        # Beside the form's error, list every candidate: the visitor picks one.
        try:
            results = find_communes(query, 20)
        except QueryError:
            results = []
    return render(
        request,
        "territory/commune_search.html",
        {"title": "Trouver ma commune", "form": form, "query": query, "results": results},
    )


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


@lru_cache(maxsize=1)
def _geojson_62() -> tuple[bytes, bytes, str]:
    """(gzip bytes, plain bytes, ETag), read once per process."""
    compressed = outline_path("62").read_bytes()
    return compressed, gzip.decompress(compressed), hashlib.sha256(compressed).hexdigest()[:32]


@require_GET
def communes_62_geojson(request):
    compressed, plain, digest = _geojson_62()
    etag = f'"{digest}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    elif "gzip" in request.headers.get("Accept-Encoding", ""):
        response = HttpResponse(compressed, content_type="application/geo+json")
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(plain, content_type="application/geo+json")
    response["ETag"] = etag
    response["Vary"] = "Accept-Encoding"
    response["Cache-Control"] = "public, max-age=86400"
    return response
