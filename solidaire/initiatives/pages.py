"""Which cached public pages show an initiative: the versions its changes bump.

The services that change what the public sees of initiatives (transitions, edits, erasure)
call ``initiative_pages_touch`` once, at the start of their transaction: the pages that
show the initiatives as they are (their places before an edit) are bumped at once, and
those that show them as they are after the commit (their new places, a new publication)
once it has committed. Only public initiatives are on public pages.

An initiative is shown by the lists and the API (``LISTS``), its own page, its campaign's
feed, and the pages of its places: a commune's page (and map panel, and feed) lists those
placed in the commune, on an area that covers it, or within ``NEARBY_KM``; an area's page
lists those placed in it or in its communes.
"""

from collections.abc import Iterable

from django.db import transaction

from solidaire.lib.geo import bounding_box, haversine_km
from solidaire.pagecache.versions import (
    LISTS,
    campaign_key,
    initiative_key,
    place_key,
    versions_bump,
)
from solidaire.territory.models import Commune
from solidaire.territory.reference import area_points

from .models import PUBLIC_STATUSES, Initiative, Place, PlaceKind, VolunteerCall
from .views_places import NEARBY_KM

AREA_FIELD = {
    PlaceKind.EPCI: "epci_id",
    PlaceKind.ARRONDISSEMENT: "arrondissement_id",
    PlaceKind.DEPARTMENT: "department_id",
}


def _communes_near(lat: float, lon: float) -> set[str]:
    lat_min, lat_max, lon_min, lon_max = bounding_box(lat, lon, NEARBY_KM)
    rows = Commune.objects.filter(
        latitude__range=(lat_min, lat_max), longitude__range=(lon_min, lon_max)
    ).values_list("insee_code", "latitude", "longitude")
    return {code for code, clat, clon in rows if haversine_km(lat, lon, clat, clon) <= NEARBY_KM}


def _area_keys(communes) -> set[str]:
    """The pages of the areas the communes lie in (EPCI, arrondissement, département, région)."""
    keys = set()
    for epci, arrondissement, department, region in communes.values_list(
        "epci_id", "arrondissement_id", "department_id", "department__region_id"
    ):
        keys |= {place_key("department", department), place_key("region", region)}
        if epci:
            keys.add(place_key("epci", epci))
        if arrondissement:
            keys.add(place_key("arrondissement", arrondissement))
    return keys


def initiative_page_keys(ids: Iterable[int]) -> set[str]:
    """The version keys of every page that shows one of the public initiatives ``ids``."""
    public = Initiative.objects.filter(pk__in=set(ids), status__in=PUBLIC_STATUSES)
    rows = list(public.values_list("pk", "campaign__slug"))
    if not rows:
        return set()
    keys = {LISTS}
    for pk, slug in rows:
        keys |= {initiative_key(pk), campaign_key(slug)}
    places = Place.objects.filter(initiative_id__in=[pk for pk, _ in rows])
    placed: set[str] = set()  # communes the initiatives are in
    shown: set[str] = set()  # communes whose pages list them as covering or nearby
    points = area_points()
    for kind, commune, *areas in places.values_list(
        "kind", "commune_id", "epci_id", "arrondissement_id", "department_id"
    ):
        if kind == PlaceKind.COMMUNE:
            placed.add(commune)
            continue
        code = areas[list(AREA_FIELD).index(kind)]
        keys.add(place_key(kind, code))
        inside = Commune.objects.filter(**{AREA_FIELD[kind]: code})
        for insee, department, region in inside.values_list(
            "pk", "department_id", "department__region_id"
        ):
            # Its communes list it as covering them; the départements and régions above.
            shown.add(insee)
            keys |= {place_key("department", department), place_key("region", region)}
        if point := points.get(kind, {}).get(code):
            shown |= _communes_near(*point)
    # A call for volunteers may name a commune of its own: its page has a "Bénévolat" block.
    shown |= set(
        VolunteerCall.objects.filter(initiative_id__in=[pk for pk, _ in rows])
        .exclude(commune=None)
        .values_list("commune_id", flat=True)
    )
    in_communes = Commune.objects.filter(pk__in=placed)
    keys |= _area_keys(in_communes)
    for lat, lon in in_communes.values_list("latitude", "longitude"):
        shown |= _communes_near(lat, lon)
    return keys | {place_key("commune", code) for code in placed | shown}


def initiative_pages_touch(*, ids: Iterable[int]) -> None:
    """Bump the pages that show the initiatives ``ids`` now, and after the commit.

    Called inside the service's transaction, before it writes: "now" is the initiatives
    as they were (their old places), "after the commit" as they have become.
    """
    ids = set(ids)
    if not ids:
        return
    before = initiative_page_keys(ids)
    versions_bump(before)
    transaction.on_commit(lambda: versions_bump(initiative_page_keys(ids) - before), robust=True)
