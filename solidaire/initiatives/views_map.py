"""The map: the instance's communes (or, for a wider instance, its départements, then a
département's communes) shaded by number of initiatives, points elsewhere."""

import json
from contextlib import nullcontext
from dataclasses import replace

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from solidaire.territory.instance import instance
from solidaire.territory.models import Commune, Department

from . import selectors_map
from .forms_public import InitiativeFilterForm
from .search import search_work_mem
from .selectors import InitiativeFilters, initiative_search, with_list_data
from .views_public import filtered_page


def map_page(request):
    form, page = filtered_page(request, per_page=50)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "initiatives/map.html",
        {
            "title": "Carte des initiatives",
            "form": form,
            "page": page,
            "counts_url": reverse("initiatives:map_counts") + "?" + query.urlencode(),
            "places_url": reverse("initiatives:map_places"),
            "panel_url": reverse("initiatives:map_panel", args=["00000"]),
            "panel_query": query.urlencode(),
            **_territory_context(),
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        },
    )


def _territory_context() -> dict:
    """Where the map starts: a département's communes, else the instance's départements,
    each of which opens onto its communes."""
    territory = instance()
    if territory.kind == "department":
        code = territory.single
        return {
            "territory": territory,
            "map_level": "communes",
            "geojson_url": reverse("territory:outline", args=[f"communes-{code}"]),
            "map_departments": [],
        }
    return {
        "territory": territory,
        "map_level": "departements",
        "geojson_url": reverse("territory:outline", args=["departements"]),
        "communes_url": reverse("territory:outline", args=["communes-00"]),
        "map_departments": list(
            Department.objects.filter(code__in=territory.departments).order_by("code")
        ),
        "department_codes": ",".join(territory.departments),
    }


def _filters(request) -> InitiativeFilters:
    form = InitiativeFilterForm(request.GET)
    form.is_valid()
    return form.filters()


# The département whose communes a wider map opened (not a filter: the list stays whole).
COMMUNES_OF = "communes_de"


@require_GET
def map_counts(request):
    """The map's counts as JSON (see selectors_map.map_counts)."""
    department = request.GET.get(COMMUNES_OF, "")
    if department and not Department.objects.filter(code=department[:3].upper()).exists():
        return JsonResponse({"detail": "Département inconnu."}, status=404)
    filters = _filters(request)
    with search_work_mem() if filters.q else nullcontext():
        counts = selectors_map.map_counts(filters=filters, department=department.upper())
    response = JsonResponse(counts)
    response["Cache-Control"] = "public, max-age=60"
    return response


_places_document: bytes | None = None


@require_GET
@cache_control(public=True, max_age=86400)
def map_places(request):
    """Where each point of the counts is drawn (see selectors_map.map_places): reference
    data, built once per process (the geography changes once a year)."""
    global _places_document
    document = _places_document
    if document is None:
        places = selectors_map.map_places()
        document = json.dumps(places, ensure_ascii=False, separators=(",", ":")).encode()
        if any(places.values()):
            _places_document = document
    return HttpResponse(document, content_type="application/json")


def map_panel(request, insee: str):
    """The initiatives of one commune (with the list's filters), as an HTML fragment."""
    commune = get_object_or_404(Commune, insee_code=insee.upper())
    filters = _filters(request)
    qs = initiative_search(filters=replace(filters, commune=commune.insee_code))
    initiatives = list(with_list_data(qs)[:50])
    return render(
        request, "initiatives/_map_panel.html", {"commune": commune, "initiatives": initiatives}
    )
