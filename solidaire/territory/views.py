"""Territory pages: "Trouver ma commune" and the outlines (the commune map is maps.py).

The commune page itself lists initiatives, so it lives in the initiatives app
("initiatives:commune") and includes territory/_commune_identity.html and _commune_map.html.
"""

import gzip
import hashlib
from functools import cache

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_GET
from django.views.decorators.vary import vary_on_headers

from .finder import QueryError, find_communes
from .forms import CommuneSearchForm
from .reference import outline_file


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


# Served by a view rather than collectstatic: the repository keeps the 14 MB of gzip files,
# not the 49 MB of GeoJSON whitenoise would need beside them. The names are stable (reusers
# and the map link them), so a week's cache with an ETag rather than a far-future expiry.
OUTLINE_MAX_AGE = 7 * 86400


@cache
def _outline(name: str) -> tuple[bytes, str] | None:
    """(gzip bytes, ETag) of a shipped outline file, read once per process."""
    path = outline_file(name)
    if path is None:
        return None
    compressed = path.read_bytes()
    return compressed, '"' + hashlib.sha256(compressed).hexdigest()[:32] + '"'


def _outline_etag(request, name):
    found = _outline(name)
    return found[1] if found else None


@require_GET
@cache_control(public=True, max_age=OUTLINE_MAX_AGE)
@vary_on_headers("Accept-Encoding")
@condition(etag_func=_outline_etag)
def outline_geojson(request, name: str):
    """The outlines of a département's communes, of the départements or of the regions."""
    found = _outline(name)
    if found is None:
        raise Http404("Aucun contour pour ce territoire.")
    compressed, _ = found
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        response = HttpResponse(compressed, content_type="application/geo+json")
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(gzip.decompress(compressed), content_type="application/geo+json")
    return response
