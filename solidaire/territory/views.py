"""Territory pages: "Trouver ma commune" and the 62's outlines (the commune map is maps.py).

The commune page itself lists initiatives, so it lives in the initiatives app
("initiatives:commune") and includes territory/_commune_identity.html and _commune_map.html.
"""

import gzip
import hashlib
from functools import lru_cache

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_GET
from django.views.decorators.vary import vary_on_headers

from .finder import QueryError, find_communes
from .forms import CommuneSearchForm
from .reference import outline_path


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


@lru_cache(maxsize=1)
def _geojson_62() -> tuple[bytes, bytes, str]:
    """(gzip bytes, plain bytes, ETag), read once per process."""
    compressed = outline_path("62").read_bytes()
    return compressed, gzip.decompress(compressed), hashlib.sha256(compressed).hexdigest()[:32]


@require_GET
@cache_control(public=True, max_age=86400)
@vary_on_headers("Accept-Encoding")
@condition(etag_func=lambda request: _geojson_62()[2])
def communes_62_geojson(request):
    compressed, plain, _ = _geojson_62()
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        response = HttpResponse(compressed, content_type="application/geo+json")
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(plain, content_type="application/geo+json")
    return response
