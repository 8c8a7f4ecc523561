"""The map: the 62's communes shaded by number of initiatives, points elsewhere."""

from dataclasses import replace

from django.conf import settings
from django.db.models import Count, Exists, OuterRef
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from solidaire.territory.models import Commune
from solidaire.territory.reference import OUTLINED_DEPARTMENTS, area_point

from .forms_public import InitiativeFilterForm
from .models import Place, PlaceKind
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
            "geojson_url": reverse("territory:geojson-62"),
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        },
    )


def _filters(request) -> InitiativeFilters:
    form = InitiativeFilterForm(request.GET)
    form.is_valid()
    return form.filters()


@require_GET
def map_counts(request):
    """Counts for the map, honouring the list's filters.

    ``communes``: {insee: count} of initiatives placed on each commune (outlines in the 62,
    points elsewhere); ``areas``: area-only initiatives at their area's representative point.
    """
    ids = initiative_search(filters=_filters(request)).values("pk")
    commune_rows = (
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
    for row in commune_rows:
        communes[row["commune_id"]] = row["count"]
        if row["commune__department_id"] not in OUTLINED_DEPARTMENTS:
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
    has_commune = Exists(
        Place.objects.filter(initiative=OuterRef("initiative_id"), kind=PlaceKind.COMMUNE)
    )
    area_rows = (
        Place.objects.filter(initiative_id__in=ids)
        .exclude(kind=PlaceKind.COMMUNE)
        .exclude(has_commune)
        .values(
            "kind",
            "epci_id",
            "epci__name",
            "arrondissement_id",
            "arrondissement__name",
            "department_id",
            "department__name",
        )
        .annotate(count=Count("initiative_id", distinct=True))
        .order_by("kind", "epci_id", "arrondissement_id", "department_id")
    )
    for row in area_rows:
        kind = row["kind"]
        code = row[f"{kind}_id"]
        point = area_point(kind, code)
        if point is None:
            continue
        name = row[f"{kind}__name"]
        if kind == PlaceKind.EPCI:
            url = reverse("initiatives:epci", args=[code])
        elif kind == PlaceKind.ARRONDISSEMENT:
            url, name = (
                reverse("initiatives:arrondissement", args=[code]),
                f"Arrondissement de {name}",
            )
        else:
            url = reverse("initiatives:list") + f"?department={code}"
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
    response = JsonResponse({"communes": communes, "points": points})
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
