"""The map: the instance's communes (or, for a wider instance, its départements, then a
département's communes) shaded by number of initiatives, points elsewhere."""

from dataclasses import replace

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from solidaire.territory.instance import instance
from solidaire.territory.models import Commune, Department

from . import selectors_map
from .forms_public import InitiativeFilterForm
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


@require_GET
def map_counts(request):
    """The map's counts as JSON (see selectors_map.map_counts)."""
    response = JsonResponse(selectors_map.map_counts(filters=_filters(request)))
    response["Cache-Control"] = "public, max-age=60"
    return response


def map_panel(request, insee: str):
    """The initiatives of one commune (with the list's filters), as an HTML fragment."""
    commune = get_object_or_404(Commune, insee_code=insee.upper())
    filters = _filters(request)
    qs = initiative_search(filters=replace(filters, commune=commune.insee_code))
    initiatives = list(with_list_data(qs)[:50])
    return render(
        request, "initiatives/_map_panel.html", {"commune": commune, "initiatives": initiatives}
    )
