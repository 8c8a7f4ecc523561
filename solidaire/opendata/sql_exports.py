"""The full files written by PostgreSQL: a query per chunk of rows formats all four formats.

Built in Python (records.py, exports.py), a million rows took about 130 s per format: the
per-row work (dataclasses, joins, csv and json calls) costs more than the data. Here the
server formats each row in C — the CSV line, the spreadsheet line, the JSON object and
the GeoJSON features — and Python only writes and hashes them. A server-side cursor reads
the ids in the list's order (the ORM's own query, filters included); each chunk of
``CHUNK`` ids is one query that reads every relation once for the whole chunk, in its
order, and aggregates it (no subquery per row): memory stays flat on both sides.

What Python alone knows is given to the query as data, never rewritten: the
representative point of every commune and area with its coordinates as Python prints them
(``repr`` and ``round(…, 5)``), the export line of every mairie contact
(``contact_views``), the labels of the actor kinds, the formula characters of
``csv_cell`` and the URL template of ``initiative_url``. The rest (CSV quoting, JSON
escaping, date formats, the quantity phrase) is written in SQL beside the Python it
mirrors, and ``tests/opendata/test_sql_exports.py`` proves the files byte-for-byte equal
to the Python path's, format by format, on rows made to break them. SQLite has no such
query: ``full_exports`` keeps the Python path there.
"""

import json
import threading
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from operator import itemgetter

from django.db import connection
from django.utils import timezone

from solidaire.initiatives.contacts import contact_views
from solidaire.initiatives.models import ActorKind, ContactKind, Initiative, VolunteerCall
from solidaire.initiatives.selectors import InitiativeFilters, initiative_search
from solidaire.lib.untrusted import FORMULA_STARTS
from solidaire.territory.models import Arrondissement, Commune, Department, Epci
from solidaire.territory.reference import area_points

from .columns import COLUMN_NAMES, SEPARATOR, initiative_url
from .records import FIELDS

CHUNK = 5000  # initiatives per query: about 15 MB of text, memory flat on both sides
# Connections formatting chunks beside the one reading the ids (PostgreSQL runs a query on
# one core): two cores, two workers.
WORKERS = 2
FORMATS = ("csv", "tableur", "json", "geojson")


def available() -> bool:
    return connection.vendor == "postgresql"


def _lit(text: str) -> str:
    """An SQL string literal; ``%`` doubled for the driver's parameter style."""
    return "'" + text.replace("'", "''").replace("%", "%%") + "'"


def _js(text: str) -> str:
    """A JSON text as Python writes it, as an SQL literal (keys and constant parts)."""
    return _lit(json.dumps(text, ensure_ascii=False))


# Each column of COLUMNS as SQL over the query below, with its Python type: "text" (str,
# or None when NULL), "int", "float" (the text of Python's repr, from _export_points),
# "date" (_date) or "stamp" (_iso). Same order as COLUMNS: checked at import.
SEP = _lit(SEPARATOR)
VALUES: dict[str, tuple[str, str]] = {
    "id": ("i.id", "int"),
    "url": ("{url_prefix} || i.id || {url_suffix}", "text"),
    "title": ("i.title", "text"),
    "description": ("i.description", "text"),
    "campaign": ("i.campaign_slug", "text"),
    "campaign_name": ("i.campaign_name", "text"),
    "themes": ("COALESCE(th.names, '')", "text"),
    "theme_slugs": ("COALESCE(th.slugs, '')", "text"),
    "actor_name": ("i.actor_name", "text"),
    "actor_kind": ("i.actor_kind", "text"),
    "actor_kind_label": ("COALESCE(lab.label, i.actor_kind)", "text"),
    "beneficiaries": ("i.beneficiaries", "text"),
    "owner_department": ("i.owner_department", "text"),
    "places": ("COALESCE(pl.names, '')", "text"),
    "commune_codes": ("COALESCE(pl.commune_codes, '')", "text"),
    "epci_codes": ("COALESCE(pl.epci_codes, '')", "text"),
    "arrondissement_codes": ("COALESCE(pl.arrondissement_codes, '')", "text"),
    "department_codes": ("COALESCE(pl.department_codes, '')", "text"),
    "latitude": ("CASE WHEN pl.communes > 0 THEN pl.commune_lat ELSE pl.area_lat END", "float"),
    "longitude": ("CASE WHEN pl.communes > 0 THEN pl.commune_lon ELSE pl.area_lon END", "float"),
    "quantities": ("COALESCE(qu.phrases, '')", "text"),
    "public_contacts": ("COALESCE(co.plains, '')", "text"),
    "volunteer_calls": ("COALESCE(vc.n, 0)", "int"),
    "start_date": ("i.start_date", "date"),
    "end_date": ("i.end_date", "date"),
    "status": ("i.status", "text"),
    "source": ("i.source", "text"),
    "published_at": ("i.published_at", "stamp"),
    "archived_at": ("i.archived_at", "stamp"),
    "updated_at": ("i.updated_at", "stamp"),
    "verified_at": ("i.verified_at", "stamp"),
    "freshness": ("i.freshness", "text"),
}
assert list(VALUES) == COLUMN_NAMES, "sql_exports.VALUES must follow columns.COLUMNS"

BASE_COLUMNS = (
    "id, title, description, campaign_slug, campaign_name, actor_name, actor_kind, "
    "beneficiaries, owner_department, start_date, end_date, status, source, published_at, "
    "archived_at, updated_at, verified_at, freshness"
)
assert len(BASE_COLUMNS.split(",")) == len(FIELDS)

# _iso: seconds, UTC, "Z"; _date: ISO 8601.
_STAMP = "to_char(({x}) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
_DATE = "to_char({x}, 'YYYY-MM-DD')"
# DjangoJSONEncoder: isoformat(), microseconds cut to milliseconds, "+00:00" as "Z".
_DJANGO_STAMP = (
    "to_char(({x}) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS') || "
    "CASE WHEN to_char(({x}) AT TIME ZONE 'UTC', 'US') = '000000' THEN '' "
    "ELSE '.' || to_char(({x}) AT TIME ZONE 'UTC', 'MS') END || 'Z'"
)


def _csv_cell(n: int, expr: str, kind: str, delimiter: str) -> str:
    """csv_cell then csv.writer's QUOTE_MINIMAL: quoted when the cell holds the delimiter,
    a double quote, CR or LF (``s.q<n>`` holds the last three), quotes doubled. The text
    cells are neutralised once in ``s`` (_safe_cells) for both delimiters."""
    if kind == "int":
        return f"({expr})::text"
    if kind == "float":
        return f"COALESCE({expr}, '')"
    if kind in ("date", "stamp"):  # digits, dashes, colons: never a formula, never quoted
        return f"COALESCE({(_DATE if kind == 'date' else _STAMP).format(x=expr)}, '')"
    cell = f"s.c{n}"
    quoted = f"'\"' || replace({cell}, '\"', '\"\"') || '\"'"
    return (
        f"CASE WHEN s.q{n} OR strpos({cell}, {_lit(delimiter)}) > 0 THEN {quoted} ELSE {cell} END"
    )


def _safe_cells() -> str:
    """csv_cell of each text column (None as "", a leading formula character neutralised
    by a quote) and whether it holds a double quote, CR or LF: computed once per row for
    both delimiters (OFFSET 0 keeps the planner from copying them into each use)."""
    starts = ", ".join(_lit(c) for c in FORMULA_STARTS)
    cells = []
    for n, (expr, kind) in enumerate(VALUES.values()):
        if kind != "text":
            continue
        x = f"({expr})"
        quote = "''''"  # the SQL literal of one single quote
        cells.append(
            f"CASE WHEN {x} IS NULL THEN '' WHEN left({x}, 1) IN ({starts}) "
            f"THEN {quote} || {x} ELSE {x} END AS c{n}"
        )
        cells.append(
            f"COALESCE(strpos({x}, '\"') > 0 OR strpos({x}, E'\\r') > 0 "
            f"OR strpos({x}, E'\\n') > 0, false) AS q{n}"
        )
    return "SELECT " + ",\n  ".join(cells) + " OFFSET 0"


def _json_value(expr: str, kind: str) -> str:
    if kind == "int":
        return f"({expr})::text"
    if kind == "float":
        return f"COALESCE({expr}, 'null')"
    if kind in ("date", "stamp"):
        return f"COALESCE('\"' || {(_DATE if kind == 'date' else _STAMP).format(x=expr)} || '\"', 'null')"
    return f"COALESCE(to_json(({expr})::text)::text, 'null')"


def _csv_line(delimiter: str) -> str:
    cells = ", ".join(
        _csv_cell(n, expr, kind, delimiter) for n, (expr, kind) in enumerate(VALUES.values())
    )
    return f"concat_ws({_lit(delimiter)}, {cells}) || E'\\r\\n'"


def _json_object() -> str:
    # json.dumps' default separators: ", " between members, ": " after keys.
    parts = []
    for n, (name, (expr, kind)) in enumerate(VALUES.items()):
        key = ("{" if n == 0 else ", ") + json.dumps(name, ensure_ascii=False) + ": "
        parts.append(f"{_lit(key)} || {_json_value(expr, kind)}")
    return " || ".join(parts) + " || '}'"


def _feature() -> tuple[str, str, str]:
    """exports._features as json.dumps writes it: (the text of one point ``x``, with
    PROPS and TAIL marking the initiative's parts; those parts). The points are aggregated
    before the initiative's row is at hand, then the marks replaced: JSON text never holds
    these two control characters raw (json.dumps and to_json escape them)."""

    def js(expr):
        return f"COALESCE(to_json(({expr})::text)::text, 'null')"

    def members(pairs, first):
        text = ""
        for n, (key, expr) in enumerate(pairs):
            lead = "" if n == 0 and first else ", "
            text += f" || {_lit(lead + json.dumps(key) + ': ')} || {expr}"
        return text[4:]

    initiative = [
        ("initiative_id", "i.id::text"),
        ("title", js("i.title")),
        ("url", js(VALUES["url"][0])),
        ("actor_name", js("i.actor_name")),
        ("actor_kind", js("i.actor_kind")),
        ("campaign", js("i.campaign_slug")),
        ("themes", "COALESCE(th.json_names, '[]')"),
        ("status", js("i.status")),
    ]
    place = [
        ("place_kind", js("x.kind")),
        ("place_code", js("x.code")),
        ("place_name", js("x.name")),
    ]
    stamp = _DJANGO_STAMP.format(x="i.published_at")
    tail = [("published_at", f"COALESCE('\"' || {stamp} || '\"', 'null')")]
    point = _lit('{"type": "Feature", "geometry": {"type": "Point", "coordinates": ')
    point += " || x.coords || " + _lit('}, "properties": {') + f" || {PROPS} || "
    point += members(place, first=False) + f" || {TAIL}"
    return point, members(initiative, first=True), members(tail, first=False) + " || '}}'"


PROPS, TAIL = "chr(1)", "chr(2)"


def _query(fields_sql: str) -> str:
    """The rows of one chunk of initiatives, ``%(ids)s`` in the list's order: each relation
    read for the whole chunk in its order, aggregated, joined by id (no query per row)."""
    url_prefix, url_suffix = initiative_url(987654321).split("987654321")
    sep = SEP
    where_point = "x.lat IS NOT NULL"
    point, initiative_part, tail_part = _feature()
    sql = f"""
    WITH ids AS (SELECT x.id, x.n FROM unnest(%(ids)s::bigint[]) WITH ORDINALITY AS x(id, n)),
    th AS (
        SELECT x.initiative_id AS id, string_agg(x.name, {sep}) AS names,
          string_agg(x.slug, {sep}) AS slugs,
          '[' || string_agg(to_json(x.name::text)::text, ', ') || ']' AS json_names
        FROM (SELECT it.initiative_id, t.name, t.slug FROM initiatives_initiative_themes it
          JOIN initiatives_theme t ON t.id = it.theme_id
          WHERE it.initiative_id = ANY(%(ids)s::bigint[])
          ORDER BY it.initiative_id, t.position, t.name) x
        GROUP BY x.initiative_id),
    pl AS (
        SELECT x.initiative_id AS id,
          string_agg(NULLIF(x.name, ''), {sep}) AS names,
          string_agg(x.code, {sep}) FILTER (WHERE x.kind = 'commune') AS commune_codes,
          string_agg(x.code, {sep}) FILTER (WHERE x.kind = 'epci') AS epci_codes,
          string_agg(x.code, {sep})
            FILTER (WHERE x.kind = 'arrondissement') AS arrondissement_codes,
          string_agg(x.code, {sep}) FILTER (WHERE x.kind = 'department') AS department_codes,
          (array_agg(x.lat) FILTER (WHERE x.kind = 'commune' AND {where_point}))[1]
            AS commune_lat,
          (array_agg(x.lon) FILTER (WHERE x.kind = 'commune' AND {where_point}))[1]
            AS commune_lon,
          (array_agg(x.lat) FILTER (WHERE {where_point}))[1] AS area_lat,
          (array_agg(x.lon) FILTER (WHERE {where_point}))[1] AS area_lon,
          count(*) FILTER (WHERE x.kind = 'commune') AS communes,
          string_agg({point}, E',\\n')
            FILTER (WHERE x.kind = 'commune' AND {where_point}) AS commune_features,
          string_agg({point}, E',\\n')
            FILTER (WHERE x.kind <> 'commune' AND {where_point}) AS area_features
        FROM (
          SELECT p.initiative_id, p.kind, pt.code, pt.name, pt.lat, pt.lon, pt.coords
          FROM initiatives_place p
          JOIN _export_points pt ON pt.kind = p.kind
            AND pt.code = COALESCE(p.commune_id, p.epci_id, p.arrondissement_id, p.department_id)
          WHERE p.initiative_id = ANY(%(ids)s::bigint[])
          ORDER BY p.initiative_id, p.position, p.id) x
        GROUP BY x.initiative_id),
    qu AS (
        SELECT q.initiative_id AS id, string_agg(CASE WHEN q.approximate THEN 'environ '
            ELSE '' END || q.count || ' ' || q.item
            || CASE WHEN q.period <> '' THEN ' en ' || q.period ELSE '' END, {sep}) AS phrases
        FROM (SELECT * FROM initiatives_quantity q
          WHERE q.initiative_id = ANY(%(ids)s::bigint[])
          ORDER BY q.initiative_id, q.position, q.id) q
        GROUP BY q.initiative_id),
    co AS (
        SELECT c.initiative_id AS id, string_agg(NULLIF(c.plain, ''), {sep}) AS plains
        FROM (SELECT c.initiative_id, CASE WHEN c.kind = {_lit(ContactKind.MAIRIE)}
            THEN m.plain ELSE c.value END AS plain
          FROM initiatives_contact c LEFT JOIN _export_mairies m
            ON c.kind = {_lit(ContactKind.MAIRIE)} AND m.code = c.value
          WHERE c.initiative_id = ANY(%(ids)s::bigint[])
          ORDER BY c.initiative_id, c.position, c.id) c
        GROUP BY c.initiative_id),
    vc AS (
        -- selectors.volunteer_call_counts: the calls not ended today (the local date)
        SELECT v.initiative_id AS id, count(*) AS n FROM {VolunteerCall._meta.db_table} v
        WHERE v.initiative_id = ANY(%(ids)s::bigint[])
          AND (v.end_date IS NULL OR v.end_date >= {_lit(timezone.localdate().isoformat())}::date)
        GROUP BY v.initiative_id),
    i AS MATERIALIZED (
        SELECT ids.n, b.* FROM ids CROSS JOIN LATERAL ({fields_sql}) AS b({BASE_COLUMNS}))
    SELECT i.n, {_csv_line(",")}, {_csv_line(";")}, {_json_object()},
      replace(replace(CASE WHEN pl.communes > 0 THEN pl.commune_features
        ELSE pl.area_features END, {PROPS}, {initiative_part}), {TAIL}, {tail_part})
    FROM i
    LEFT JOIN th ON th.id = i.id
    LEFT JOIN pl ON pl.id = i.id
    LEFT JOIN qu ON qu.id = i.id
    LEFT JOIN co ON co.id = i.id
    LEFT JOIN vc ON vc.id = i.id
    LEFT JOIN _export_labels lab ON lab.kind = i.actor_kind
    CROSS JOIN LATERAL ({_safe_cells()}) s"""
    return sql.replace("{url_prefix}", _lit(url_prefix)).replace("{url_suffix}", _lit(url_suffix))


def _point_rows() -> Iterator[tuple]:
    """(kind, code, name, lat, lon, coords) of every commune and area: the coordinates as
    Python writes them, in a CSV or JSON cell (repr) and in a GeoJSON point."""

    def texts(point):
        if point is None:
            return None, None, None
        lat, lon = point
        return repr(lat), repr(lon), json.dumps([round(lon, 5), round(lat, 5)])

    for code, name, lat, lon in Commune.objects.values_list(
        "insee_code", "name", "latitude", "longitude"
    ).iterator(chunk_size=5000):
        yield ("commune", code, name, *texts((lat, lon) if lat is not None else None))
    points = area_points()
    for kind, model, key in (
        ("epci", Epci, "siren"),
        ("arrondissement", Arrondissement, "code"),
        ("department", Department, "code"),
    ):
        for code, name in model.objects.values_list(key, "name"):
            yield (kind, code, name or "", *texts(points.get(kind, {}).get(code)))


def _reference(cursor) -> dict[str, list[tuple]]:
    """The rows of the temporary tables, read once (the workers' copies are the same)."""
    # Every mairie named by a contact, as contact_views writes it.
    cursor.execute(
        "SELECT DISTINCT value FROM initiatives_contact WHERE kind = %s", [ContactKind.MAIRIE]
    )
    codes = [code for (code,) in cursor.fetchall()]
    views = contact_views((ContactKind.MAIRIE, code) for code in codes)
    return {
        "_export_points": list(_point_rows()),
        "_export_labels": [(kind, str(label)) for kind, label in ActorKind.choices],
        "_export_mairies": [(code, view.plain) for code, view in zip(codes, views, strict=True)],
    }


TABLES = {
    "_export_points": "kind text, code text, name text, lat text, lon text, coords text, "
    "PRIMARY KEY (kind, code)",
    "_export_labels": "kind text PRIMARY KEY, label text",
    "_export_mairies": "code text PRIMARY KEY, plain text",
}


def _prepare(cursor, reference: dict[str, list[tuple]]) -> None:
    # Dropped at commit; dropped first too, for a second build in the same transaction.
    cursor.execute(f"DROP TABLE IF EXISTS {', '.join(TABLES)}")
    for table, columns in TABLES.items():
        cursor.execute(f"CREATE TEMP TABLE {table} ({columns}) ON COMMIT DROP")
        with cursor.copy(f"COPY {table} FROM STDIN") as copy:
            for row in reference[table]:
                copy.write_row(row)
        cursor.execute(f"ANALYZE {table}")
    # Short queries on a few thousand rows: no JIT compile of their long expressions.
    cursor.execute("SET LOCAL jit = off")


def _chunks(id_cursor) -> Iterator[list[int]]:
    id_cursor.itersize = CHUNK
    while chunk := id_cursor.fetchmany(CHUNK):
        yield [pk for (pk,) in chunk]


def _ordered(rows: list[tuple]) -> list[tuple]:
    # The chunk's rows come in join order: put back the list's, in memory.
    return [row[1:] for row in sorted(rows, key=itemgetter(0))]


def sql_rows(*, filters: InitiativeFilters) -> Iterator[tuple[str, str, str, str | None]]:
    """(csv line, spreadsheet line, JSON object, GeoJSON features or None) of every
    initiative matching ``filters``, in the order of the Python path. Must run inside a
    transaction (temporary tables, server-side cursor).

    Outermost, that transaction shares its snapshot (``pg_export_snapshot``) with
    ``WORKERS`` connections that format the chunks on other cores while this one reads the
    ids and Python writes: the same rows as one connection would see. Inside a caller's
    transaction (tests, whose rows the others could not see), one connection does all.
    """
    ids = initiative_search(filters=replace(filters, include_hidden=True)).values_list("pk")
    ids_sql, ids_params = ids.query.sql_with_params()
    # One initiative by its id, from the chunk's list (a LATERAL: an index probe each).
    fields = (
        Initiative.objects.order_by()
        .extra(where=[f'"{Initiative._meta.db_table}"."id" = ids.id'])  # noqa: S610 (no input)
        .values_list(*FIELDS)
    )
    fields_sql, fields_params = fields.query.sql_with_params()
    assert not fields_params, "the chunk query takes the ids as its one parameter"
    query = _query(fields_sql)
    raw = connection.connection  # psycopg's own connection: COPY and named cursors
    snapshot = None
    with raw.cursor() as cursor:
        if WORKERS > 1 and len(connection.atomic_blocks) == 1 and not connection.savepoint_ids:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        reference = _reference(cursor)
        _prepare(cursor, reference)
    with raw.cursor(name="solidaire_full_export") as id_cursor, raw.cursor() as cursor:
        id_cursor.execute(ids_sql, ids_params)
        if snapshot is None:
            for chunk in _chunks(id_cursor):
                cursor.execute(query, {"ids": chunk})
                yield from _ordered(cursor.fetchall())
            return
        yield from _parallel(_chunks(id_cursor), query, snapshot, reference)


def _parallel(chunks, query: str, snapshot: str, reference) -> Iterator[tuple]:
    import psycopg  # the PostgreSQL driver, only here

    params = connection.get_connection_params()
    local = threading.local()
    opened: list = []
    lock = threading.Lock()

    def run(ids: list[int]) -> list[tuple]:
        worker = getattr(local, "connection", None)
        if worker is None:
            worker = local.connection = psycopg.connect(**params)
            with lock:
                opened.append(worker)
            with worker.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                cursor.execute("SET TRANSACTION SNAPSHOT %s" % _lit(snapshot))  # noqa: UP031
                _prepare(cursor, reference)
        with worker.cursor() as cursor:
            cursor.execute(query, {"ids": ids})
            return _ordered(cursor.fetchall())

    try:
        with ThreadPoolExecutor(WORKERS, thread_name_prefix="full-export") as pool:
            pending: deque = deque()
            for ids in chunks:
                pending.append(pool.submit(run, ids))
                if len(pending) > WORKERS:  # a chunk ahead per worker: memory stays flat
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()
    finally:
        for worker in opened:
            worker.close()  # rolls back: they only read
