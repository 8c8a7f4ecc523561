"""The map's counts: initiatives per commune (or département), and points elsewhere."""

from dataclasses import replace

from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.urls import reverse

from solidaire.lib.typography import of_name
from solidaire.territory.instance import instance
from solidaire.territory.models import Arrondissement, Commune, Department, Epci
from solidaire.territory.reference import POINT_ONLY_COMMUNES, area_points

from .models import Place, PlaceCount, PlaceKind
from .selectors import InitiativeFilters, ids_given, initiative_search

# The columns naming a place's area, for the map and the open-data records alike.
AREA_FIELDS = (
    "epci_id",
    "epci__name",
    "arrondissement_id",
    "arrondissement__name",
    "department_id",
    "department__name",
)


# A filtered map counts live; past this many initiatives (newest first) it counts those
# and says so ("partial"), instead of grouping a million places per request.
MAP_FILTERED_LIMIT = 5000
POINT_KINDS = ("commune", "epci", "arrondissement", "department")


def _unfiltered(filters: InitiativeFilters) -> bool:
    return replace(filters, status="") == InitiativeFilters()


def map_counts(*, filters: InitiativeFilters, department: str = "") -> dict:
    """The map's counts, honouring the list's filters: a compact {code: count} document.

    A département's instance (or ``department``, the département a wider map opened):
    ``communes``: {insee: count} of initiatives placed on each of its communes. A wider
    instance's first view: ``departments``: {code: count} of initiatives placed in each of
    its départements (on a commune, an arrondissement or the département itself).
    ``points`` (first view only): {kind: {code: count}} drawn at the positions of
    ``map_places`` — communes without an outline, area-only initiatives at their area's
    point, and the départements outside the instance with what is placed in them.

    Unfiltered (or filtered on the status alone), it reads the per-place counts; filtered,
    it counts the newest ``MAP_FILTERED_LIMIT`` matches and adds ``"partial": true`` when
    there were more.
    """
    territory = instance()
    inside = list(territory.departments)
    source = _Stored(filters.status) if _unfiltered(filters) else _Live(filters)
    if department:
        return {"communes": source.communes([department]), **source.partial()}
    counts: dict = {}
    if territory.kind == "department":
        counts["communes"] = source.communes(inside)
    else:
        counts["departments"] = source.departments(inside)
    points = source.points()
    communes = counts.get("communes") or source.communes_among(POINT_ONLY_COMMUNES, inside)
    points["commune"] = {
        code: n for code, n in communes.items() if code in POINT_ONLY_COMMUNES and n
    }
    outside = {code: n for code, n in source.departments(None).items() if code not in inside}
    points["department"] = {**points.get("department", {}), **outside}
    counts["points"] = {kind: points.get(kind, {}) for kind in POINT_KINDS}
    counts.update(source.partial())
    return counts


def _in_departments(codes: list[str]) -> Q:
    # INSEE codes start with their département's code: a range on the counts' index.
    condition = Q()
    for code in codes:
        condition |= Q(code__gte=code, code__lt=code + "Z")
    return condition


class _Stored:
    """Reads of the per-place counts table."""

    def __init__(self, status: str):
        self.status = status

    def _read(self, kind: str, condition: Q | None = None) -> dict[str, int]:
        rows = PlaceCount.objects.filter(kind=kind)
        if condition is not None:
            rows = rows.filter(condition)
        if self.status:
            rows = rows.filter(status=self.status)
        totals: dict[str, int] = {}
        for code, count in rows.values_list("code", "count"):
            if count:
                totals[code] = totals.get(code, 0) + count
        return dict(sorted(totals.items()))

    def communes(self, departments: list[str]) -> dict[str, int]:
        return self._read("commune", _in_departments(departments))

    def communes_among(self, codes, departments: list[str]) -> dict[str, int]:
        return self._read("commune", Q(code__in=sorted(codes)))

    def departments(self, codes: list[str] | None) -> dict[str, int]:
        return self._read("department", None if codes is None else Q(code__in=codes))

    def points(self) -> dict[str, dict[str, int]]:
        return {kind: self._read(f"point_{kind}") for kind in ("epci", "arrondissement")} | {
            "department": self._read("point_department")
        }

    def partial(self) -> dict:
        return {}


class _Live:
    """Counts of the newest matches of a filter: their places read once (one query, at most
    ``MAP_FILTERED_LIMIT`` initiatives), grouped here."""

    def __init__(self, filters: InitiativeFilters):
        matches = initiative_search(filters=filters)
        # One read of the newest ids (one more than kept says there are more), then their
        # places by the place's initiative index, in no order (they are grouped here).
        ids = list(matches.values_list("pk", flat=True)[: MAP_FILTERED_LIMIT + 1])
        self.more = len(ids) > MAP_FILTERED_LIMIT
        ids = ids[:MAP_FILTERED_LIMIT]
        places: dict[int, list[tuple]] = {}
        rows = (
            Place.objects.filter(initiative_id__in=ids_given(ids))
            .order_by()
            .values_list(
                "initiative_id",
                "kind",
                "commune_id",
                "department_code",
                "epci_id",
                "arrondissement_id",
                "department_id",
            )
        )
        for row in rows:
            places.setdefault(row[0], []).append(row[1:])
        self.places = places

    @staticmethod
    def _count(pairs) -> dict[str, int]:
        counts: dict[str, int] = {}
        for _initiative, code in set(pairs):
            counts[code] = counts.get(code, 0) + 1
        return dict(sorted(counts.items()))

    def _communes(self, keep) -> dict[str, int]:
        return self._count(
            (pk, commune)
            for pk, rows in self.places.items()
            for kind, commune, department, *_rest in rows
            if kind == PlaceKind.COMMUNE and keep(commune, department)
        )

    def communes(self, departments: list[str]) -> dict[str, int]:
        wanted = set(departments)
        return self._communes(lambda commune, department: department in wanted)

    def communes_among(self, codes, departments: list[str]) -> dict[str, int]:
        wanted = set(codes)
        return self._communes(lambda commune, department: commune in wanted)

    def departments(self, codes: list[str] | None) -> dict[str, int]:
        # As the stored counts and the list's filter: the places' own département, and each
        # département where an EPCI placed on has a commune.
        epcis = {row[3] for rows in self.places.values() for row in rows if row[3]}
        spans: dict[str, set[str]] = {}
        pairs = (
            Commune.objects.filter(epci_id__in=sorted(epcis))
            .order_by()
            .values_list("epci_id", "department_id")
        )
        for epci, department in pairs.distinct():
            spans.setdefault(epci, set()).add(department)
        return self._count(
            (pk, department)
            for pk, rows in self.places.items()
            for _kind, _commune, own, epci, *_rest in rows
            for department in ({own} if own else spans.get(epci, set()))
            if codes is None or department in codes
        )

    def points(self) -> dict[str, dict[str, int]]:
        area_only = {
            pk: rows
            for pk, rows in self.places.items()
            if not any(row[0] == PlaceKind.COMMUNE for row in rows)
        }
        columns = {"epci": 3, "arrondissement": 4, "department": 5}
        return {
            kind: self._count(
                (pk, row[column])
                for pk, rows in area_only.items()
                for row in rows
                if row[0] == kind
            )
            for kind, column in columns.items()
        }

    def partial(self) -> dict:
        return {"partial": True} if self.more else {}


def map_places() -> dict:
    """{kind: {code: [lat, lon, label, url]}}: where the map draws each point of
    ``map_counts`` (reference data, the same for every filter: served as a cached file)."""
    from_reference = area_points()
    names = {
        "epci": dict(Epci.objects.values_list("siren", "name")),
        "arrondissement": dict(Arrondissement.objects.values_list("code", "name")),
        "department": dict(Department.objects.values_list("code", "name")),
    }
    places: dict[str, dict] = {}
    for kind in ("epci", "arrondissement", "department"):
        places[kind] = {}
        for code, (lat, lon) in sorted(from_reference.get(kind, {}).items()):
            label, url = _area_link(kind, code, names[kind].get(code, code))
            places[kind][code] = [lat, lon, label, url]
    communes = Commune.objects.filter(insee_code__in=sorted(POINT_ONLY_COMMUNES))
    places["commune"] = {
        commune.insee_code: [
            commune.latitude,
            commune.longitude,
            commune.name,
            reverse("initiatives:commune", args=[commune.insee_code]),
        ]
        for commune in communes.order_by("insee_code")
    }
    return places


def department_counts(ids) -> dict[str, int]:
    """{code: count} of the initiatives ``ids`` placed in each département (on a commune, an
    arrondissement or the département itself; an EPCI alone may span several)."""
    rows = (
        Place.objects.filter(initiative_id__in=ids)
        .annotate(
            code=Coalesce(
                "commune__department_id", "arrondissement__department_id", "department_id"
            )
        )
        .exclude(code=None)
        .values("code")
        .annotate(count=Count("initiative_id", distinct=True))
        .order_by("code")
    )
    return {row["code"]: row["count"] for row in rows}


def _area_link(kind: str, code: str, name: str) -> tuple[str, str]:
    """(label, URL) of an area's point: its page, or the list filtered on the département."""
    if kind == PlaceKind.EPCI:
        return name, reverse("initiatives:epci", args=[code])
    if kind == PlaceKind.ARRONDISSEMENT:
        return f"Arrondissement {of_name(name)}", reverse("initiatives:arrondissement", args=[code])
    return name, reverse("initiatives:department", args=[code])
