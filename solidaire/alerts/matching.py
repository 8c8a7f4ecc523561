"""Which alerts a set of published or ended initiatives concern: one pass for all alerts.

An alert's area, as the pages list it:

- a commune: initiatives placed on it and those covering it (placed on its EPCI, its
  arrondissement or its département), like the commune page;
- an EPCI, an arrondissement, a département: ``initiative_search`` with that filter, like
  the area pages (the area itself or any commune inside it; a département also gets its
  arrondissements and the EPCI with a commune inside it);
- "près de chez moi": the commune's own and covering initiatives, and every initiative
  within the distance, as ``initiatives/nearby.py`` measures it (its communes' points, or
  an area-only initiative's area point);
- with themes, only initiatives with one of them (a parent theme covers its sub-themes).

Rather than one query per alert (``alert_initiatives``, the reference, kept for tests and
the benchmark), the engine turns each event into the set of areas it reaches and then
looks alerts up in dictionaries: a constant number of queries whatever the alerts.
"""

import math
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from solidaire.initiatives.models import Initiative, Place, Status
from solidaire.initiatives.nearby import nearest_distances
from solidaire.initiatives.selectors import (
    InitiativeFilters,
    initiative_search,
    initiatives_covering_commune,
    initiatives_in_commune,
)
from solidaire.lib.geo import bounding_box, haversine_km
from solidaire.territory.models import Arrondissement, Commune
from solidaire.territory.reference import area_points

from .models import Alert, AlertScope

CHUNK = 2000
CELL_DEGREES = 0.25


@dataclass
class Event:
    initiative_id: int
    ended: bool
    at: datetime


@dataclass
class Reach:
    """The areas ("commune"|"epci"|"arrondissement"|"department", code) an initiative
    belongs to, its points and its themes (with their parents)."""

    targets: set = field(default_factory=set)
    points: list = field(default_factory=list)
    themes: set = field(default_factory=set)


@dataclass(frozen=True)
class AlertRow:
    """What matching needs of an alert (read in bulk)."""

    pk: int
    scope: str
    code: str
    since: datetime
    lat: float | None = None
    lon: float | None = None
    distance_km: int | None = None
    themes: frozenset = frozenset()


def _chunks(values: list, size: int = CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def window_events(since: datetime, until: datetime) -> list[Event]:
    """Initiatives published, and initiatives ended, in (since, until]."""
    # Listed ones only: one hidden as probably ended is announced to nobody.
    published = (
        Initiative.objects.listed()
        .filter(published_at__gt=since, published_at__lte=until)
        .values_list("pk", "published_at")
    )
    ended = Initiative.objects.filter(
        status=Status.ARCHIVED, archived_at__gt=since, archived_at__lte=until
    ).values_list("pk", "archived_at")
    events = [Event(pk, False, at) for pk, at in published]
    events += [Event(pk, True, at) for pk, at in ended]
    return events


def initiatives_reach(ids: Iterable[int]) -> dict[int, Reach]:
    """Each initiative's areas, points and themes, in a few queries per 2,000 initiatives."""
    ids = sorted(set(ids))
    reach = {pk: Reach() for pk in ids}
    places = []
    for chunk in _chunks(ids):
        places += Place.objects.filter(initiative_id__in=chunk).values_list(
            "initiative_id", "kind", "commune_id", "epci_id", "arrondissement_id", "department_id"
        )
        through = Initiative.themes.through
        for initiative_id, theme_id, parent_id in through.objects.filter(
            initiative_id__in=chunk
        ).values_list("initiative_id", "theme_id", "theme__parent_id"):
            reach[initiative_id].themes.update(x for x in (theme_id, parent_id) if x)

    communes = {p[2] for p in places if p[2]}
    epcis = {p[3] for p in places if p[3]}
    arrondissements = {p[4] for p in places if p[4]}
    departments = {p[5] for p in places if p[5]}
    commune_info = {}
    for chunk in _chunks(sorted(communes)):
        for insee, epci, arr, dep, lat, lon in Commune.objects.filter(
            insee_code__in=chunk
        ).values_list(
            "insee_code", "epci_id", "arrondissement_id", "department_id", "latitude", "longitude"
        ):
            commune_info[insee] = (epci, arr, dep, lat, lon)
    # Communes (and départements) inside each area placed on: covered by it.
    inside = defaultdict(set)
    if epcis:
        for insee, epci, dep in Commune.objects.filter(epci_id__in=epcis).values_list(
            "insee_code", "epci_id", "department_id"
        ):
            inside[("epci", epci)].update({("commune", insee), ("department", dep)})
    if arrondissements:
        for insee, arr in Commune.objects.filter(arrondissement_id__in=arrondissements).values_list(
            "insee_code", "arrondissement_id"
        ):
            inside[("arrondissement", arr)].add(("commune", insee))
        for code, dep in Arrondissement.objects.filter(code__in=arrondissements).values_list(
            "code", "department_id"
        ):
            inside[("arrondissement", code)].add(("department", dep))
    if departments:
        for insee, dep in Commune.objects.filter(department_id__in=departments).values_list(
            "insee_code", "department_id"
        ):
            inside[("department", dep)].add(("commune", insee))

    points = area_points()
    area_only = defaultdict(list)
    for initiative_id, kind, commune, epci, arr, dep in places:
        r = reach[initiative_id]
        if kind == "commune":
            if commune not in commune_info:
                continue
            c_epci, c_arr, c_dep, lat, lon = commune_info[commune]
            r.targets.add(("commune", commune))
            r.targets.update(
                (k, v)
                for k, v in (("epci", c_epci), ("arrondissement", c_arr), ("department", c_dep))
                if v
            )
            r.points.append((lat, lon))
        else:
            key = (kind, {"epci": epci, "arrondissement": arr, "department": dep}[kind])
            r.targets.add(key)
            r.targets.update(inside[key])
            point = points.get(kind, {}).get(key[1])
            if point:
                area_only[initiative_id].append(point)
    # As nearby.py: an initiative with a commune is where its communes are.
    for initiative_id, area_points_ in area_only.items():
        if not reach[initiative_id].points:
            reach[initiative_id].points = area_points_
    return reach


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return math.floor(lat / CELL_DEGREES), math.floor(lon / CELL_DEGREES)


def alerts_match(
    alerts: Iterable[AlertRow], events: list[Event], reach: dict[int, Reach]
) -> dict[int, tuple[list[int], list[int]]]:
    """{alert pk: (published initiative ids, ended initiative ids)} for the alerts concerned,
    each alert seeing only the events after its own ``since``, oldest first."""
    # Events in time order: an event's index is its rank, so an alert's candidates sort as
    # integers and those before its ``since`` are cut by one bisection.
    events = sorted(events, key=lambda event: (event.at, event.initiative_id))
    moments = [event.at for event in events]
    by_target = defaultdict(list)
    grid = defaultdict(list)
    for index, event in enumerate(events):
        r = reach.get(event.initiative_id)
        if r is None:
            continue
        for target in r.targets:
            by_target[target].append(index)
        for lat, lon in r.points:
            grid[_cell(lat, lon)].append((index, lat, lon))
    near = str(AlertScope.NEAR)
    out = {}
    for alert in alerts:
        scope = str(alert.scope)
        if scope == near:
            candidates = set(by_target.get(("commune", alert.code), ()))
            lat_min, lat_max, lon_min, lon_max = bounding_box(
                alert.lat, alert.lon, alert.distance_km
            )
            (c0, d0), (c1, d1) = _cell(lat_min, lon_min), _cell(lat_max, lon_max)
            for i in range(c0, c1 + 1):
                for j in range(d0, d1 + 1):
                    for index, lat, lon in grid.get((i, j), ()):
                        if index not in candidates and (
                            haversine_km(alert.lat, alert.lon, lat, lon) <= alert.distance_km
                        ):
                            candidates.add(index)
            ranked = sorted(candidates)
        else:
            ranked = by_target.get((scope, alert.code))
            if not ranked:
                continue
        first = bisect_right(moments, alert.since)
        if first:
            ranked = ranked[bisect_left(ranked, first) :]
        if not ranked:
            continue
        published, ended = [], []
        for index in ranked:
            event = events[index]
            if alert.themes and not (alert.themes & reach[event.initiative_id].themes):
                continue
            (ended if event.ended else published).append(event.initiative_id)
        if published or ended:
            out[alert.pk] = (published, ended)
    return out


def alert_rows(alerts: QuerySet) -> list[AlertRow]:
    """The rows of ``alerts`` for matching: two queries per 2,000 alerts."""
    values = list(
        alerts.values_list(
            "pk",
            "scope",
            "commune_id",
            "epci_id",
            "arrondissement_id",
            "department_id",
            "distance_km",
            "sent_until",
            "commune__latitude",
            "commune__longitude",
        )
    )
    themes = defaultdict(set)
    through = Alert.themes.through
    for chunk in _chunks([v[0] for v in values]):
        for alert_id, theme_id in through.objects.filter(alert_id__in=chunk).values_list(
            "alert_id", "theme_id"
        ):
            themes[alert_id].add(theme_id)
    rows = []
    for pk, scope, commune, epci, arr, dep, distance, since, lat, lon in values:
        code = {"epci": epci, "arrondissement": arr, "department": dep}.get(scope, commune)
        rows.append(
            AlertRow(
                pk=pk,
                scope=scope,
                code=code,
                since=since,
                lat=lat,
                lon=lon,
                distance_km=distance,
                themes=frozenset(themes.get(pk, ())),
            )
        )
    return rows


def alerts_compute(alerts: QuerySet, *, until: datetime) -> dict[int, tuple[list, list]]:
    """What each of ``alerts`` has to say up to ``until`` (since its own ``sent_until``)."""
    rows = alert_rows(alerts)
    if not rows:
        return {}
    events = window_events(min(row.since for row in rows), until)
    reach = initiatives_reach(event.initiative_id for event in events)
    return alerts_match(rows, events, reach)


# The reference: one query per alert (the benchmark's baseline, the engine's test oracle).


def _in_area(alert: Alert) -> Q:
    if alert.scope in (AlertScope.COMMUNE, AlertScope.NEAR):
        return Q(pk__in=initiatives_in_commune(alert.commune).values("pk")) | Q(
            pk__in=initiatives_covering_commune(alert.commune).values("pk")
        )
    filters = InitiativeFilters(**{alert.scope: alert.code})
    return Q(pk__in=initiative_search(filters=filters).values("pk"))


def alert_initiatives(alert: Alert, *, since: datetime, until: datetime) -> tuple[list, list]:
    """(published ids, ended ids) of one alert in (since, until], by plain queries."""
    # Listed ones only: one hidden as probably ended is announced to nobody.
    published = Initiative.objects.listed().filter(published_at__gt=since, published_at__lte=until)
    ended = Initiative.objects.filter(
        status=Status.ARCHIVED, archived_at__gt=since, archived_at__lte=until
    )
    theme_ids = list(alert.themes.values_list("pk", flat=True))
    out = []
    for qs, moment in ((published, "published_at"), (ended, "archived_at")):
        if theme_ids:
            through = Initiative.themes.through
            qs = qs.filter(
                Exists(
                    through.objects.filter(
                        Q(theme_id__in=theme_ids) | Q(theme__parent_id__in=theme_ids),
                        initiative=OuterRef("pk"),
                    )
                )
            )
        ids = set(qs.filter(_in_area(alert)).values_list("pk", flat=True))
        if alert.scope == AlertScope.NEAR:
            commune = alert.commune
            ids |= set(
                nearest_distances(commune.latitude, commune.longitude, alert.distance_km, base=qs)
            )
        rows = qs.filter(pk__in=ids).order_by(moment, "pk").values_list("pk", flat=True)
        out.append(list(rows))
    return out[0], out[1]
