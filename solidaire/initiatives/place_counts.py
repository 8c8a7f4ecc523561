"""Per-place counts of listed initiatives, kept in ``PlaceCount`` so that the map, the home
page and the place pages read a few rows instead of counting a million initiatives.

Every write that may change what is listed, or where, runs inside ``place_counts_refresh``:

    with place_counts_refresh(initiative_ids=[initiative.pk]):
        ...change the status or the places...

It reads the initiatives' footprint (the places they count in, per status) before and after
the block, in the same transaction, and adds the difference to the counts. What "listed"
means is ``Initiative.objects.listed()`` (``listed_q`` in models.py), read here and by
the lists alike: a later state that leaves the lists leaves the counts with no change here.

Why services and not database triggers: the footprint follows the reference (a commune's
EPCI, arrondissement, département, région) and the "listed" predicate written in Python;
triggers would repeat both twice, in PL/pgSQL and in SQLite's dialect. The services are the
only writers of status and places (plus the admin, wrapped likewise); bulk loaders call
``place_counts_rebuild`` (``manage.py rebuild_place_counts``) after loading.
"""

from collections import Counter
from collections.abc import Iterable
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from solidaire.territory.models import Arrondissement, Commune, Department

from .models import Initiative, Place, PlaceCount, PlaceKind

# The scopes counted (``PlaceCount.kind``):
# - commune: placed on the commune itself (the map's communes, the commune page);
# - epci, arrondissement: placed on the area or on one of its communes (its page);
# - department, region: placed on a commune, an arrondissement or a département inside it,
#   or on an EPCI with a commune inside it (the list's département filter, exactly);
# - point_epci, point_arrondissement, point_department: placed on that area and on no
#   commune at all (drawn at the area's point on the map);
# - all (code ""): every listed initiative (the home page).
SCOPES = (
    "commune",
    "epci",
    "arrondissement",
    "department",
    "region",
    "point_epci",
    "point_arrondissement",
    "point_department",
    "all",
)
Key = tuple[str, str, str]  # (kind, code, status)

_FOOTPRINT_FIELDS = (
    "initiative_id",
    "initiative__status",
    "kind",
    "commune_id",
    "commune__epci_id",
    "commune__arrondissement_id",
    "commune__department_id",
    "commune__department__region_id",
    "epci_id",
    "arrondissement_id",
    "arrondissement__department_id",
    "arrondissement__department__region_id",
    "department_id",
    "department__region_id",
)


def _footprints(initiative_ids: list[int]) -> Counter:
    """{(kind, code, status): 1 per listed initiative} for ``initiative_ids``."""
    if not initiative_ids:
        return Counter()
    listed = Initiative.objects.listed().filter(pk__in=initiative_ids)
    keys: dict[int, set[Key]] = {pk: set() for pk in listed.values_list("pk", flat=True)}
    statuses = dict(listed.values_list("pk", "status"))
    rows = Place.objects.filter(initiative_id__in=list(keys)).values_list(*_FOOTPRINT_FIELDS)
    by_initiative: dict[int, list[tuple]] = {}
    for row in rows:
        by_initiative.setdefault(row[0], []).append(row)
    epcis = {row[8] for places in by_initiative.values() for row in places if row[8]}
    spans: dict[str, set[tuple[str, str]]] = {}
    for epci, department, region in (
        Commune.objects.filter(epci_id__in=sorted(epcis))
        .values_list("epci_id", "department_id", "department__region_id")
        .distinct()
    ):
        spans.setdefault(epci, set()).add((department, region))
    for pk, status in statuses.items():
        found = keys[pk]
        found.add(("all", "", status))
        places = by_initiative.get(pk, [])
        on_commune = any(row[2] == PlaceKind.COMMUNE for row in places)
        for (
            _pk,
            _status,
            kind,
            commune,
            commune_epci,
            commune_arrondissement,
            commune_department,
            commune_region,
            epci,
            arrondissement,
            arrondissement_department,
            arrondissement_region,
            department,
            department_region,
        ) in places:
            codes = {
                "commune": commune,
                "epci": epci or commune_epci,
                "arrondissement": arrondissement or commune_arrondissement,
                "department": commune_department or arrondissement_department or department,
                "region": commune_region or arrondissement_region or department_region,
            }
            if not on_commune and kind != PlaceKind.COMMUNE:
                codes[f"point_{kind}"] = {
                    PlaceKind.EPCI: epci,
                    PlaceKind.ARRONDISSEMENT: arrondissement,
                    PlaceKind.DEPARTMENT: department,
                }[kind]
            found.update((scope, code, status) for scope, code in codes.items() if code)
            for department_code, region_code in spans.get(epci, ()) if epci else ():
                found.add(("department", department_code, status))
                found.add(("region", region_code, status))
    return Counter(key for found in keys.values() for key in found)


def _apply(delta: Counter) -> None:
    """Add ``delta`` to the stored counts (sorted: concurrent writers lock rows in order)."""
    table = PlaceCount._meta.db_table
    changes = sorted((key, n) for key, n in delta.items() if n)
    if not changes:
        return
    with connection.cursor() as cursor:
        for (kind, code, status), n in changes:
            if n > 0:
                cursor.execute(
                    f"INSERT INTO {table} (kind, code, status, count) VALUES (%s, %s, %s, %s) "
                    f"ON CONFLICT (kind, code, status) DO UPDATE "
                    f"SET count = {table}.count + excluded.count",
                    [kind, code, status, n],
                )
            else:
                # Never below zero, even if the table was edited by hand meanwhile.
                cursor.execute(
                    f"UPDATE {table} SET count = CASE WHEN count < %s THEN 0 ELSE count - %s END "
                    "WHERE kind = %s AND code = %s AND status = %s",
                    [-n, -n, kind, code, status],
                )
                # An emptied place leaves the table (the map lists only places with some).
                cursor.execute(
                    f"DELETE FROM {table} "
                    "WHERE kind = %s AND code = %s AND status = %s AND count = 0",
                    [kind, code, status],
                )


@contextmanager
def place_counts_refresh(*, initiative_ids: Iterable[int]):
    """Keep the counts right across a block that changes these initiatives' status or
    places: footprint before, footprint after, the difference added, one transaction."""
    ids = sorted(set(initiative_ids))
    with transaction.atomic():
        before = _footprints(ids)
        yield
        after = _footprints(ids)
        delta = Counter(after)
        delta.subtract(before)
        _apply(delta)


def place_counts_add_new(*, initiative_ids: Iterable[int]) -> None:
    """Count initiatives written without the services (fixtures, demo bulletins), once,
    right after their rows and places: fills their places' codes and adds their footprint."""
    ids = sorted(set(initiative_ids))
    with transaction.atomic():
        place_codes_fill(places=Place.objects.filter(initiative_id__in=ids))
        _apply(_footprints(ids))


def place_codes_fill(*, places: QuerySet | None = None) -> int:
    """Copy into ``places`` the département and région holding each (see ``Place``); every
    place when None, in three joined UPDATEs that skip the places already right."""
    if places is None:
        return _place_codes_fill_all()
    department = Coalesce(
        Subquery(Commune.objects.filter(pk=OuterRef("commune_id")).values("department_id")),
        Subquery(
            Arrondissement.objects.filter(pk=OuterRef("arrondissement_id")).values("department_id")
        ),
        F("department_id"),
        Value(""),
    )
    count = places.update(department_code=department)
    region = Department.objects.filter(pk=OuterRef("department_code")).values("region_id")
    places.update(region_code=Coalesce(Subquery(region), Value("")))
    return count


def _place_codes_fill_all() -> int:
    place = Place._meta.db_table
    commune = Commune._meta.db_table
    arrondissement = Arrondissement._meta.db_table
    department = Department._meta.db_table
    # UPDATE … FROM: PostgreSQL, and SQLite since 3.33.
    statements = [
        f"""UPDATE {place} AS p SET department_code = c.department_id, region_code = d.region_id
        FROM {commune} AS c, {department} AS d
        WHERE p.kind = 'commune' AND c.insee_code = p.commune_id AND d.code = c.department_id
        AND (p.department_code <> c.department_id OR p.region_code <> d.region_id)""",
        f"""UPDATE {place} AS p SET department_code = a.department_id, region_code = d.region_id
        FROM {arrondissement} AS a, {department} AS d
        WHERE p.kind = 'arrondissement' AND a.code = p.arrondissement_id
        AND d.code = a.department_id
        AND (p.department_code <> a.department_id OR p.region_code <> d.region_id)""",
        f"""UPDATE {place} AS p SET department_code = d.code, region_code = d.region_id
        FROM {department} AS d
        WHERE p.kind = 'department' AND d.code = p.department_id
        AND (p.department_code <> d.code OR p.region_code <> d.region_id)""",
        f"""UPDATE {place} SET department_code = '', region_code = ''
        WHERE kind = 'epci' AND (department_code <> '' OR region_code <> '')""",
    ]
    changed = 0
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
            changed += max(cursor.rowcount, 0)
    return changed


def _grouped(scope: str, places: QuerySet, code) -> list[PlaceCount]:
    rows = (
        places.annotate(code=code)
        .exclude(code=None)
        .values("code", "initiative__status")
        .annotate(n=Count("initiative_id", distinct=True))
        .order_by()
    )
    return [
        PlaceCount(kind=scope, code=row["code"], status=row["initiative__status"], count=row["n"])
        for row in rows
    ]


def _spread(scope: str) -> list[PlaceCount]:
    """Counts per département (or région): the places' own code, and every département
    where an EPCI placed on has a commune; each initiative once."""
    place = Place._meta.db_table
    initiative = Initiative._meta.db_table
    commune = Commune._meta.db_table
    department = Department._meta.db_table
    # What is listed, as the ORM writes it: the predicate stays in one place.
    listed, params = Initiative.objects.listed().values("pk").query.sql_with_params()
    if scope == "department":
        own, via = "p.department_code", "c.department_id"
        joins = ""
    else:
        own, via = "p.region_code", "d.region_id"
        joins = f"JOIN {department} AS d ON d.code = c.department_id"
    sql = f"""SELECT code, status, COUNT(DISTINCT initiative_id) FROM (
            SELECT {own} AS code, i.status AS status, p.initiative_id AS initiative_id
            FROM {place} AS p JOIN {initiative} AS i ON i.id = p.initiative_id
            WHERE p.initiative_id IN ({listed}) AND {own} <> ''
        UNION
            SELECT DISTINCT {via}, i.status, p.initiative_id
            FROM {place} AS p JOIN {initiative} AS i ON i.id = p.initiative_id
            JOIN {commune} AS c ON c.epci_id = p.epci_id {joins}
            WHERE p.initiative_id IN ({listed}) AND p.kind = 'epci'
        ) AS spread GROUP BY code, status"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *params])
        return [
            PlaceCount(kind=scope, code=code, status=status, count=n)
            for code, status, n in cursor.fetchall()
        ]


def place_counts_rebuild() -> int:
    """Recount everything from the initiatives (after a bulk load or a reference change);
    returns the number of count rows."""
    with transaction.atomic():
        place_codes_fill()
        if connection.vendor == "postgresql":
            # The counts below group on the codes just filled: on statistics that saw them
            # empty, the planner picks a plan that runs for minutes after a bulk load.
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {Place._meta.db_table}")
        places = Place.objects.filter(initiative__in=Initiative.objects.listed())
        on_commune = Exists(
            Place.objects.filter(initiative=OuterRef("initiative_id"), kind=PlaceKind.COMMUNE)
        )
        area_only = places.exclude(kind=PlaceKind.COMMUNE).exclude(on_commune)
        rows = [
            *_grouped("commune", places.filter(kind=PlaceKind.COMMUNE), F("commune_id")),
            *_grouped("epci", places, Coalesce("epci_id", "commune__epci_id")),
            *_grouped(
                "arrondissement",
                places,
                Coalesce("arrondissement_id", "commune__arrondissement_id"),
            ),
            *_spread("department"),
            *_spread("region"),
            *_grouped("point_epci", area_only.filter(kind=PlaceKind.EPCI), F("epci_id")),
            *_grouped(
                "point_arrondissement",
                area_only.filter(kind=PlaceKind.ARRONDISSEMENT),
                F("arrondissement_id"),
            ),
            *_grouped(
                "point_department",
                area_only.filter(kind=PlaceKind.DEPARTMENT),
                F("department_id"),
            ),
        ]
        totals = Initiative.objects.listed().values("status").annotate(n=Count("pk")).order_by()
        rows += [
            PlaceCount(kind="all", code="", status=row["status"], count=row["n"]) for row in totals
        ]
        PlaceCount.objects.all().delete()
        PlaceCount.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def after_migrate(sender, using="default", **kwargs):
    """The migration that created the table leaves it empty: count once, if anything is
    listed and nothing is counted yet (a no-op on every later migrate)."""
    if sender.label != "initiatives" or using != "default":
        return
    if not PlaceCount.objects.exists() and Initiative.objects.listed().exists():
        place_counts_rebuild()


# --- Reads ------------------------------------------------------------------------------


def place_counts(kind: str, *, codes: Iterable[str] | None = None, status: str = "") -> dict:
    """{code: count} of one scope, both listed statuses summed unless ``status`` is given."""
    rows = PlaceCount.objects.filter(kind=kind)
    if codes is not None:
        rows = rows.filter(code__in=list(codes))
    if status:
        rows = rows.filter(status=status)
    totals: dict[str, int] = {}
    for code, count in rows.values_list("code", "count"):
        totals[code] = totals.get(code, 0) + count
    return totals


def place_count_statuses() -> dict[str, int]:
    """{status: count} of every listed initiative."""
    return dict(PlaceCount.objects.filter(kind="all").values_list("status", "count"))
