"""Pages of places: a commune, an EPCI, an arrondissement, a département, a région, France,
and "près de chez moi"."""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from solidaire.lib.text import fold
from solidaire.territory.instance import instance
from solidaire.territory.maps import commune_map_context
from solidaire.territory.models import Arrondissement, Commune, Department, Epci, Region

from .forms_public import NearMeForm, NearMePositionForm
from .nearby import initiatives_near
from .paging import list_page
from .selectors import (
    InitiativeFilters,
    initiative_count_known,
    initiative_search,
    initiatives_covering_commune,
    initiatives_in_commune,
    volunteer_calls_for_commune,
    with_card_data,
)
from .signals import commune_page_actions

NEARBY_KM = 15
NEARBY_LIMIT = 30
AREA_PER_PAGE = 30
# The commune page: its own initiatives by pages, the first of those covering it (the
# area's page lists them all).
COMMUNE_PER_PAGE = 30
COVERING_LIMIT = 12
# The "Bénévolat" block: the latest calls, then a link to all of the commune's.
COMMUNE_CALLS = 3


def commune_detail(request, insee: str):
    commune = get_object_or_404(
        Commune.objects.select_related("department__region", "arrondissement", "epci"),
        insee_code=insee.upper(),
    )
    here = list_page(
        request,
        with_card_data(initiatives_in_commune(commune)),
        COMMUNE_PER_PAGE,
        known=initiative_count_known(filters=InitiativeFilters(commune=commune.insee_code)),
    )
    covering_qs = initiatives_covering_commune(commune)
    covering = list(with_card_data(covering_qs)[: COVERING_LIMIT + 1])
    covering_more = len(covering) > COVERING_LIMIT
    # Neither the commune's own initiatives (on any page) nor those covering it.
    nearby = initiatives_near(
        commune.latitude,
        commune.longitude,
        NEARBY_KM,
        exclude=[initiatives_in_commune(commune).values("pk"), covering_qs.values("pk")],
        limit=NEARBY_LIMIT,
        prepare=with_card_data,
    )
    calls = list(volunteer_calls_for_commune(commune)[: COMMUNE_CALLS + 1])
    # Buttons of apps above this one (a mairie member's "Ajouter une initiative"): for a
    # signed-in visitor only, whose pages the page cache never keeps nor serves.
    actions = []
    if request.user.is_authenticated:
        for _, found in commune_page_actions.send(sender=Commune, commune=commune, request=request):
            actions += found or []
    return render(
        request,
        "initiatives/commune.html",
        {
            "title": f"{commune.name} ({commune.department_id})",
            "commune": commune,
            "here": here,
            "covering": covering[:COVERING_LIMIT],
            "covering_more": covering_more,
            "nearby": nearby,
            "nearby_km": NEARBY_KM,
            "calls": calls[:COMMUNE_CALLS],
            "calls_more": len(calls) > COMMUNE_CALLS,
            "actions": actions,
            "crumbs": _crumbs(commune.department),
            # The outline map of the territory app's include (empty outside the 62).
            **commune_map_context(commune),
        },
    )


def _in_french_order(communes) -> list:
    """Communes by name as a French reader sorts them: Écurie with the E, Boisleux-au-Mont
    before Boisleux-Saint-Marc (the database sorts accented and capital letters apart)."""
    return sorted(communes, key=lambda commune: (fold(commune.name), commune.name))


def _crumbs(department=None, *, region=None) -> list[tuple[str, str]]:
    """France › région › département, above a place's own name."""
    crumbs = [("France", reverse("initiatives:france"))]
    region = region or (department.region if department else None)
    if region is not None:
        crumbs.append((region.name, reverse("initiatives:region", args=[region.code])))
    if department is not None:
        crumbs.append((department.name, reverse("initiatives:department", args=[department.code])))
    return crumbs


def _area_page(request, *, area, kind: str, code: str, crumbs=(), extra=None):
    """An EPCI's, an arrondissement's, a département's or a région's page: its initiatives,
    then its communes (a région: its départements)."""
    filters = InitiativeFilters(**{kind: code})
    qs = with_card_data(initiative_search(filters=filters))
    page = list_page(request, qs, AREA_PER_PAGE, known=initiative_count_known(filters=filters))
    return render(
        request,
        "initiatives/area.html",
        {
            "title": str(area),
            "area": area,
            "kind": kind,
            "page": page,
            "communes": _in_french_order(area.communes.all()) if kind != "region" else [],
            "list_query": f"{kind}={code}" if kind != "region" else "",
            "crumbs": list(crumbs),
            **(extra or {}),
        },
    )


def epci_detail(request, siren: str):
    epci = get_object_or_404(Epci, siren=siren)
    return _area_page(request, area=epci, kind="epci", code=epci.siren)


def arrondissement_detail(request, code: str):
    arrondissement = get_object_or_404(
        Arrondissement.objects.select_related("department"), code=code.upper()
    )
    return _area_page(
        request,
        area=arrondissement,
        kind="arrondissement",
        code=arrondissement.code,
        crumbs=_crumbs(arrondissement.department),
    )


def department_detail(request, code: str):
    department = get_object_or_404(Department.objects.select_related("region"), code=code.upper())
    territory = instance()
    return _area_page(
        request,
        area=department,
        kind="department",
        code=department.code,
        crumbs=_crumbs(region=department.region),
        extra={
            # Served all the same: an initiative may be placed anywhere in France.
            "outside": department.code not in territory.departments,
            "territory": territory,
        },
    )


def region_detail(request, code: str):
    region = get_object_or_404(Region, code=code.upper())
    territory = instance()
    departments = list(region.departments.order_by("code"))
    return _area_page(
        request,
        area=region,
        kind="region",
        code=region.code,
        crumbs=_crumbs(),
        extra={
            "departments": departments,
            "outside": not set(territory.departments) & {d.code for d in departments},
            "territory": territory,
        },
    )


def france(request):
    """The régions and their départements: the top of the breadcrumbs."""
    regions = Region.objects.prefetch_related("departments").order_by("name")
    return render(
        request,
        "initiatives/france.html",
        {"title": "Régions et départements", "regions": regions},
    )


def near_me(request):
    commune = distance = None
    position_error = ""
    if "lat" in request.GET or "lon" in request.GET:
        # "Utiliser ma position": the nearest commune to the browser's coordinates.
        position = NearMePositionForm(request.GET)
        if position.is_valid():
            commune = position.cleaned_data["commune"]
            distance = position.cleaned_data["distance"]
        else:
            position_error = position.first_error
        form = NearMeForm(initial={"commune": commune, "distance": distance or 15})
    else:
        form = NearMeForm(request.GET or None)
        if form.is_valid():
            commune = form.cleaned_data["commune"]
            distance = form.cleaned_data["distance"]
    context = {
        "title": "Près de chez moi",
        "form": form,
        "results": None,
        "position_error": position_error,
    }
    if commune is not None:
        # Area-wide initiatives are listed apart: their point may be far from the visitor.
        covering_qs = initiatives_covering_commune(commune)
        covering = list(with_card_data(covering_qs)[: COVERING_LIMIT + 1])
        results = initiatives_near(
            commune.latitude,
            commune.longitude,
            distance,
            exclude=[covering_qs.values("pk")],
            limit=100,
            prepare=with_card_data,
        )
        context.update(
            commune=commune,
            distance=distance,
            results=results,
            covering=covering[:COVERING_LIMIT],
            covering_more=len(covering) > COVERING_LIMIT,
        )
    return render(request, "initiatives/near_me.html", context)
