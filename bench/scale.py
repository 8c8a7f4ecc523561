"""National-scale benchmark: the public pages and the API at 10,000 to 1,000,000 initiatives,
beside a bare Django app measured in the same run.

Run: ``python bench/scale.py --sizes 10000,100000,1000000`` (``make bench-scale``); needs
PostgreSQL (``--pg``, default ``postgres://postgres@127.0.0.1:5432``), gunicorn and wrk.

For each size:

1. the database ``bench_scale_<size>`` (``--db-prefix`` for another name): reused when it holds a load of this size made by
   the same generator on the same migrations (table ``bench_scale_meta``; on fewer
   migrations, it is migrated forward and analysed as production is), else (or with
   ``--reload``) dropped, migrated, given the territory, then loaded with PostgreSQL
   ``COPY``: initiatives over every département (communes drawn by population, Calais
   62193 with many), their places (communes, some EPCI, arrondissements, départements),
   public contacts, themes, quantities, publication dates, search documents;
2. the platform's own indexing: ``reindex_search`` (up to ``--reindex-max`` rows; above,
   the documents written by ``COPY`` come from the same analyzer and a sample is checked
   against ``build_document``), then ``rebuild_place_counts`` when that command exists;
3. gunicorn -w 2 serves the platform (``--port``) and ``bench/bare/`` the floor
   (``--port`` + 1): a ``startproject`` app with its default middleware and three views
   over an in-memory list (text, 20-item JSON, 20-item template), never tuned: the sha256
   of its files is printed;
4. every page of the table (the deep page by its keyset cursor, at 80 % of the list) is
   measured cold (``PAGE_CACHE=0``, one request at a time:
   p50, p95, p99, bytes) and warm (page cache on, ``wrk -c16``: req/s and latency
   percentiles), the floor before and after, and the ratio of each page's req/s to the
   floor's (template view for HTML, JSON view for the JSON answers);
   with ``--through-nginx``, the platform is measured through Debian's nginx configured
   from deploy/nginx/ (rendered by deploy/local.py) in front of two app servers, each
   started with deploy/gunicorn.conf.py (ports ``--port`` and + 2, nginx + 4); the floor
   is measured directly and through the same nginx configuration in front of two bare
   servers (+ 1 and + 3, nginx + 5), and the ratio is to the floor through nginx;
5. the full exports are generated as the scheduled job does (seconds, rows, sizes,
   peak memory of the process).
"""

import argparse
import base64
import contextlib
import hashlib
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deploy.local import NGINX, nginx_conf  # noqa: E402  (the repository's nginx, for loopback)

BARE = ROOT / "bench" / "bare"
WRK_SCRIPT = ROOT / "bench" / "scale_wrk.lua"
VENV_BIN = Path(sys.executable).parent
# Bump when the generated data changes: a database loaded by another version is reloaded.
GENERATOR_VERSION = 2
BATCH = 20_000

THEMES = [
    ("personnels-soignants", "Solidaires avec les personnels soignants"),
    ("personnes-agees", "Aide aux personnes âgées et isolées"),
    ("materiel-protection", "Fabrication de matériel de protection"),
    ("aide-alimentaire", "Aide alimentaire"),
    ("commercants", "Soutien aux commerçants et producteurs"),
    ("garde-enfants", "Garde d'enfants des personnels mobilisés"),
    ("soutien-scolaire", "Soutien scolaire à distance"),
    ("voisinage", "Entraide entre voisins"),
]
# (title, weight): about one initiative in ten is about masks, as a popular search word.
TITLES = [
    ("Fabrication de masques en tissu", 5),
    ("Couture de masques pour les soignants", 3),
    ("Distribution de masques aux commerçants", 2),
    ("Visières imprimées en 3D pour l'hôpital", 6),
    ("Repas solidaires pour les personnes âgées", 8),
    ("Courses livrées aux voisins isolés", 10),
    ("Collecte de blouses pour l'EHPAD", 5),
    ("Garde d'enfants des soignants", 6),
    ("Appels réguliers aux aînés", 8),
    ("Paniers de légumes des producteurs locaux", 7),
    ("Soutien scolaire par téléphone", 6),
    ("Don de gel hydroalcoolique", 5),
    ("Cagnotte pour la banque alimentaire", 6),
    ("Prêt de tablettes aux résidents", 5),
    ("Surblouses cousues par des bénévoles", 4),
    ("Livraison de médicaments", 7),
    ("Ateliers de couture solidaire", 4),
    ("Hébergement des personnels mobilisés", 3),
]
DESCRIPTIONS = [
    "Des bénévoles se relaient chaque semaine pour aider ceux qui en ont besoin.",
    "Fabrication et distribution gratuite, sur simple demande par téléphone ou par e-mail.",
    "Une initiative lancée par des habitants avec le soutien de la mairie et du CCAS.",
    "Les commandes sont préparées le matin et livrées l'après-midi, sans contact.",
    "Toute aide est bienvenue : matériel, temps, transport ou dons.",
]
ACTORS = [
    ("association", "Association des bénévoles de {}"),
    ("municipality", "Mairie de {}"),
    ("company", "Entreprise du bâtiment de {}"),
    ("citizens", "Collectif des habitants de {}"),
    ("club", "Club sportif de {}"),
    ("public_service", "CCAS de {}"),
]
BENEFICIARIES = ["soignants", "personnes âgées", "commerçants", "familles", "agents", ""]
ITEMS = ["masques", "visières", "repas", "blouses", "litres de gel", "paniers"]


# --- the database ----------------------------------------------------------------------


def _migration_names() -> list[str]:
    return sorted(
        str(path.relative_to(ROOT)) for path in (ROOT / "solidaire").glob("*/migrations/0*.py")
    )


def _signature(names: list[str]) -> str:
    return hashlib.sha256(json.dumps([GENERATOR_VERSION, sorted(names)]).encode()).hexdigest()[:16]


def schema_signature() -> str:
    """The migrations on disk and the generator's version: a load made on other ones is stale."""
    return _signature(_migration_names())


def migrate_forward(base: str, dbname: str, info: dict) -> bool:
    """Bring a load made by this generator on fewer migrations up to date, as a production
    database is (``migrate``, then ``ANALYZE``), rather than loading it again: True if done.
    The migrations the database holds must give the load's signature (same generator) and
    all still be on disk (none removed or renamed)."""
    import psycopg

    try:
        with _pg(base, dbname) as conn:
            rows = conn.execute("SELECT app, name FROM django_migrations").fetchall()
    except psycopg.Error:
        return False
    applied = [
        f"solidaire/{app}/migrations/{name}.py"
        for app, name in rows
        if (ROOT / "solidaire" / app / "migrations").is_dir()
    ]
    if _signature(applied) != info.get("signature") or not set(applied) <= set(_migration_names()):
        return False
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--verbosity", "0"],
        env={**os.environ, "DATABASE_URL": f"{base}/{dbname}", "DJANGO_ENV": "dev"},
        check=True,
    )
    info = {**info, "signature": schema_signature()}
    with _pg(base, dbname) as conn:
        conn.execute("ANALYZE")
        conn.execute("UPDATE bench_scale_meta SET info = %s", [json.dumps(info)])
    print(
        f"  migrated the load of {info['loaded_at']} forward in "
        f"{time.perf_counter() - started:.0f} s (new migrations, same generator)"
    )
    return True


def _pg(base: str, dbname: str):
    import psycopg

    return psycopg.connect(f"{base}/{dbname}", autocommit=True)


def loaded_meta(base: str, dbname: str) -> dict | None:
    import psycopg

    try:
        with _pg(base, dbname) as conn:
            row = conn.execute("SELECT info FROM bench_scale_meta").fetchone()
    except psycopg.Error:
        return None
    return row[0] if row else None


def recreate_database(base: str, dbname: str) -> None:
    with _pg(base, "postgres") as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{dbname}"')


# --- the load, in a child process with Django set up on that database --------------------


def child_load(size: int, reindex_max: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "solidaire.settings")
    os.environ.setdefault("DJANGO_ENV", "dev")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command, get_commands
    from django.db import connection, transaction

    from solidaire.initiatives.models import Campaign, Initiative, Theme
    from solidaire.initiatives.search import build_document, initiative_reindex_all

    signature = schema_signature()  # of the migrations applied below
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_territory", verbosity=0)
    print(f"  migrate + load_territory: {time.perf_counter() - started:.0f} s", flush=True)

    campaign = Campaign.objects.create(slug="covid-19", name="Covid-19")
    themes = [
        Theme.objects.create(campaign=campaign, slug=slug, name=name, position=i)
        for i, (slug, name) in enumerate(THEMES)
    ]
    copied = time.perf_counter()
    counts = _copy_rows(connection, size, campaign.pk, themes)
    try:  # the places' département and région, as every write fills them, before ANALYZE:
        # filled later inside rebuild_place_counts, its counts ran for minutes at 100,000 on
        # statistics that saw them empty.
        from solidaire.initiatives.place_counts import place_codes_fill
    except ImportError:
        place_codes_fill = None
    if place_codes_fill:
        place_codes_fill()
    with connection.cursor() as cursor:
        for table in ("initiative", "place", "contact", "quantity", "initiative_themes"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('initiatives_{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM initiatives_{table}))"
            )
        cursor.execute("ANALYZE")
    copy_seconds = time.perf_counter() - copied
    print(
        f"  COPY: {', '.join(f'{n:,} {t}' for t, n in counts.items())} in {copy_seconds:.0f} s",
        flush=True,
    )

    indexed = time.perf_counter()
    if size <= reindex_max:
        # reindex_search's function, in one transaction: a commit per row costs more than
        # the row on a busy disk.
        with transaction.atomic():
            initiative_reindex_all()
        how = "initiative_reindex_all (reindex_search)"
    else:
        how = f"documents from the platform's analyzer (above --reindex-max {reindex_max:,})"
    sample = list(Initiative.objects.order_by("?").prefetch_related("themes")[:200])
    differ = sum(build_document(i) != i.search_document for i in sample)
    print(
        f"  search index: {how} in {time.perf_counter() - indexed:.0f} s; "
        f"{differ} of {len(sample)} sampled documents differ from build_document",
        flush=True,
    )
    if "rebuild_place_counts" in get_commands():
        counted = time.perf_counter()
        call_command("rebuild_place_counts")
        print(f"  rebuild_place_counts in {time.perf_counter() - counted:.0f} s", flush=True)
    else:
        print("  WARNING: no rebuild_place_counts command on this branch: counts not rebuilt")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("SELECT epci_id FROM territory_commune WHERE insee_code = '62193'")
        calais_epci = cursor.fetchone()[0]
        cursor.execute(
            "SELECT count(*) FROM initiatives_initiative WHERE status IN ('published', 'archived')"
        )
        public = cursor.fetchone()[0]
    info = {
        "size": size,
        "signature": signature,
        "public": public,
        "calais_epci": calais_epci,
        "theme": THEMES[3][0],
        "load_seconds": round(time.perf_counter() - started),
        "copy_seconds": round(copy_seconds),
        "loaded_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_scale_meta (info jsonb NOT NULL)")
        cursor.execute("INSERT INTO bench_scale_meta VALUES (%s)", [json.dumps(info)])
    print(f"  loaded in {info['load_seconds']} s", flush=True)


def _copy_rows(connection, size: int, campaign_id: int, themes) -> dict[str, int]:
    from functools import lru_cache

    from solidaire.initiatives.search import analyze
    from solidaire.territory.models import Arrondissement, Commune, Department, Epci

    rng = random.Random(size)
    communes = list(
        Commune.objects.values_list(
            "insee_code", "name", "department_id", "epci_id", "arrondissement_id", "population"
        ).order_by("insee_code")
    )
    # Population weights, a floor so that every village may appear, Calais boosted: the
    # page that once rendered 1,500 cards at a million.
    weights = [max(c[5], 300) * (3 if c[0] == "62193" else 1) for c in communes]
    epci_names = dict(Epci.objects.values_list("siren", "name"))
    arr_names = dict(Arrondissement.objects.values_list("code", "name"))
    dep_names = dict(Department.objects.values_list("code", "name"))
    by_department: dict[str, list] = {}
    for commune in communes:
        by_department.setdefault(commune[2], []).append(commune)
    titles, title_weights = zip(*TITLES, strict=True)

    @lru_cache(maxsize=200_000)
    def words(text: str) -> tuple[str, ...]:
        return tuple(analyze(text))

    def document(parts) -> str:
        # build_document analyzes the parts joined by spaces: word by word, the same.
        return " ".join(w for part in parts if part for w in words(part))

    ini_cols = (
        "id, title, description, campaign_id, actor_name, actor_kind, owner_department_id, "
        "beneficiaries, start_date, end_date, source, status, consent_public_contacts, "
        "submitter_name, submitter_email, submitter_phone, submitter_token, search_document, "
        "version, created_at, updated_at, published_at, archived_at, verified_at, freshness"
    )
    counts = dict.fromkeys(("initiatives", "places", "contacts", "themes", "quantities"), 0)
    start_day = datetime(2020, 3, 16, 8, tzinfo=UTC)
    place_id = contact_id = quantity_id = through_id = 0
    raw = connection.connection if connection.connection else None
    if raw is None:
        connection.ensure_connection()
        raw = connection.connection
    theme_rows = [(t.pk, str(t.name)) for t in themes]
    for batch_start in range(1, size + 1, BATCH):
        ids = range(batch_start, min(size, batch_start + BATCH - 1) + 1)
        chosen = rng.choices(communes, weights=weights, k=len(ids))
        initiatives, places, contacts, through, quantities = [], [], [], [], []
        for pk, commune in zip(ids, chosen, strict=True):
            insee, name, dep, epci, arr, _ = commune
            roll = rng.random()
            if roll < 0.90 or (roll < 0.93 and not epci) or (roll < 0.95 and not arr):
                place_list = [("commune", insee, name)]
                if rng.random() < 0.05:
                    other = rng.choice(by_department[dep])
                    if other[0] != insee:
                        place_list.append(("commune", other[0], other[1]))
            elif roll < 0.93:
                place_list = [("epci", epci, epci_names.get(epci, ""))]
            elif roll < 0.95:
                place_list = [("arrondissement", arr, arr_names.get(arr, ""))]
            else:
                place_list = [("department", dep, dep_names.get(dep, ""))]
            kind, actor_pattern = rng.choice(ACTORS)
            title = rng.choices(titles, weights=title_weights)[0]
            description = rng.choice(DESCRIPTIONS)
            actor = actor_pattern.format(name)
            beneficiaries = rng.choice(BENEFICIARIES)
            chosen_themes = rng.sample(theme_rows, 2 if rng.random() < 0.2 else 1)
            chosen_themes.sort(key=lambda t: t[0])  # Theme's ordering: position
            status_roll = rng.random()
            published = start_day + timedelta(minutes=rng.randrange(0, 60 * 24 * 70))
            archived = None
            if status_roll < 0.88:
                status = "published"
            elif status_roll < 0.94:
                status, archived = "archived", published + timedelta(days=30)
            elif status_roll < 0.98:
                status, published = "submitted", None
            else:
                status, published = "rejected", None
            created = (published or start_day) - timedelta(hours=6)
            doc = document(
                [title, description, actor, beneficiaries]
                + [n for _, n in chosen_themes]
                + [p[2] for p in place_list]
            )
            initiatives.append(
                (
                    pk, title, description, campaign_id, actor, kind, dep, beneficiaries,
                    date(2020, 3, 16), None, "form", status, True,
                    "Déposant privé", f"prive{pk}@example.org", "0600000000",
                    f"bench{pk}-{rng.getrandbits(64):016x}", doc, 1,
                    created, archived or published or created, published, archived,
                    published, "current",
                )
            )  # fmt: skip
            for position, (place_kind, code, _) in enumerate(place_list):
                place_id += 1
                columns = {
                    "commune": None,
                    "epci": None,
                    "arrondissement": None,
                    "department": None,
                }
                columns[place_kind] = code
                # department_code and region_code: filled by rebuild_place_counts.
                places.append((place_id, pk, place_kind, *columns.values(), position, "", ""))
            contact_id += 1
            contact_kind = rng.choice(("url", "email", "phone", "mairie"))
            value = {
                "url": f"https://www.example.org/initiatives/{pk}",
                "email": f"contact{pk}@example.org",
                "phone": "0321000000",
                "mairie": insee,
            }[contact_kind]
            contacts.append((contact_id, pk, contact_kind, value, 0))
            for theme_id, _ in chosen_themes:
                through_id += 1
                through.append((through_id, pk, theme_id))
            if rng.random() < 0.3:
                quantity_id += 1
                item = rng.choice(ITEMS)
                quantities.append(
                    (quantity_id, pk, rng.randrange(10, 2000), False, item, item, "", 0)
                )
        with raw.cursor() as cursor:
            for table, cols, rows in (
                ("initiatives_initiative", ini_cols, initiatives),
                (
                    "initiatives_place",
                    "id, initiative_id, kind, commune_id, epci_id, arrondissement_id, "
                    "department_id, position, department_code, region_code",
                    places,
                ),
                ("initiatives_contact", "id, initiative_id, kind, value, position", contacts),
                ("initiatives_initiative_themes", "id, initiative_id, theme_id", through),
                (
                    "initiatives_quantity",
                    "id, initiative_id, count, approximate, item, item_key, period, position",
                    quantities,
                ),
            ):
                with cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
        raw.commit()
        counts["initiatives"] += len(initiatives)
        counts["places"] += len(places)
        counts["contacts"] += len(contacts)
        counts["themes"] += len(through)
        counts["quantities"] += len(quantities)
    return counts


# --- the full exports, in a child process ------------------------------------------------


def child_cursor(depth: int) -> None:
    """Print the keyset cursor of the public list's row at ``depth`` (as the page before it
    links to it): the deep page is then read as people reach it, by "Initiatives suivantes"."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "solidaire.settings")
    os.environ.setdefault("DJANGO_ENV", "dev")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from solidaire.initiatives.paging import cursor_encode
    from solidaire.initiatives.selectors import InitiativeFilters, initiative_search

    row = initiative_search(filters=InitiativeFilters())[depth : depth + 1].get()
    print(cursor_encode(row))


def deep_cursor(db_url: str, depth: int) -> str:
    out = subprocess.run(
        [sys.executable, __file__, "--child-cursor", str(depth)],
        env={**os.environ, "DATABASE_URL": db_url, "DJANGO_ENV": "dev", "LOG_LEVEL": "ERROR"},
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return out.strip().splitlines()[-1]


def child_export() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "solidaire.settings")
    os.environ.setdefault("DJANGO_ENV", "dev")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from solidaire.opendata.full_exports import exports_build

    started = time.perf_counter()
    built = exports_build()
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "seconds": round(seconds, 1),
                "files": {
                    f.fmt: {"rows": f.rows, "bytes": f.size, "sha256": f.sha256[:12]} for f in built
                },
            }
        )
    )


# --- the servers and the measures ---------------------------------------------------------


class Server:
    def __init__(self, name: str, port: int, args: list[str], *, cwd: Path, env: dict):
        self.name, self.port = name, port
        self.log = open(f"/tmp/bench_scale_{port}.log", "w")  # noqa: SIM115
        if env.get("GUNICORN_CONTROL_SOCKET"):  # an app server of deploy/gunicorn.conf.py
            command = ["-c", str(ROOT / "deploy" / "gunicorn.conf.py")]
        else:
            command = ["-w", "2", "-b", f"127.0.0.1:{port}"]
        self.process = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), *command, *args],
            cwd=cwd,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=5)
                return
            except urllib.error.HTTPError:
                return  # answering
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(f"{name} did not start: see {self.log.name}") from None
                time.sleep(0.5)
        raise RuntimeError(f"{name} did not start in 90 s")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


class Nginx(Server):
    """Debian's nginx, from deploy/nginx/ as deploy/local.py renders it, in front of two
    servers; stopped like a Server."""

    def __init__(self, port: int, upstreams: list[int]):
        self.name, self.port = "nginx", port
        folder = Path(f"/tmp/bench_scale_nginx_{port}")
        shutil.rmtree(folder, ignore_errors=True)
        main = nginx_conf(folder, upstreams, port)
        self.log = open(f"/tmp/bench_scale_{port}.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [NGINX, "-p", str(folder), "-c", str(main), "-g", "daemon off;"],
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=5)
                return
            except urllib.error.HTTPError:
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"nginx did not start: see {folder}/logs")


@contextlib.contextmanager
def servers(make, args):
    """``make(port)`` started on ``args.port``, measured directly, or, with
    ``args.nginx_ports``, on those two ports behind nginx on ``args.port`` + 4: yields the
    port to measure."""
    started = []
    try:
        started.append(make(args.port if args.nginx_ports is None else args.nginx_ports[0]))
        if args.nginx_ports:
            started.append(make(args.nginx_ports[1]))
            started.append(Nginx(args.port + 4, args.nginx_ports))
        yield started[-1].port
    finally:
        for server in reversed(started):
            server.stop()


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def cold(url: str, requests: int) -> dict:
    """One request at a time, after one to warm the process: p50, p95, p99 in ms, bytes."""
    timings, size, statuses = [], 0, set()
    for i in range(requests + 1):
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(url, timeout=120) as response:
                body = response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            body, status = error.read(), error.code
        elapsed = (time.perf_counter() - started) * 1000
        if i:
            timings.append(elapsed)
        size = len(body)
        statuses.add(status)
        if elapsed > 20_000 and i >= 3:
            break  # a page that slow says enough in a few requests
    return {
        "p50": statistics.median(timings),
        "p95": _percentile(timings, 95),
        "p99": _percentile(timings, 99),
        "bytes": size,
        "status": ",".join(str(s) for s in sorted(statuses)),
        "n": len(timings),
    }


def warm(url: str, seconds: int, connections: int) -> dict:
    """wrk -t2 -c16 for ``seconds``: req/s, latency percentiles in ms, non-2xx count."""
    out = subprocess.run(
        [
            "wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s",
            "-s", str(WRK_SCRIPT), url,
        ],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    report = json.loads(out[out.index("JSON ") + 5 :].splitlines()[0])
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    report["non2xx"] = int(bad.group(1)) if bad else 0
    _settle(url)
    return report


def _settle(url: str) -> None:
    """Wait until the server has worked through the requests wrk left queued: the next
    page must not be measured behind this one's backlog."""
    root = url.split("/", 3)
    for _ in range(3):
        with contextlib.suppress(urllib.error.HTTPError):
            urllib.request.urlopen(f"{root[0]}//{root[2]}/robots.txt", timeout=300).read()


def bare_hash() -> str:
    digest = hashlib.sha256()
    for path in sorted(BARE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(BARE)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


FLOOR = [
    ("floor: text", "/text/", "text"),
    ("floor: 20-item JSON", "/items.json", "json"),
    ("floor: 20-item template", "/items/", "html"),
]


def pages(info: dict, cursor: str) -> list[tuple[str, str, str]]:
    depth = int(info["public"] * 0.8)
    theme = info["theme"]
    return [
        ("/initiatives/", "/initiatives/", "html"),
        ("/initiatives/?q=masques", "/initiatives/?q=masques", "html"),
        (f"?department=62&theme={theme}", f"/initiatives/?department=62&theme={theme}", "html"),
        (
            f"deep page ?apres= (row {depth:,})",
            f"/initiatives/?{urlencode({'apres': cursor})}",
            "html",
        ),
        ("/communes/62193/ (Calais)", "/communes/62193/", "html"),
        (f"/epci/{info['calais_epci']}/", f"/epci/{info['calais_epci']}/", "html"),
        ("near me (Calais)", "/pres-de-chez-moi/?lat=50.9513&lon=1.8587", "html"),
        ("/carte/compteurs.json", "/carte/compteurs.json", "json"),
        ("/carte/compteurs.json?q=masques", "/carte/compteurs.json?q=masques", "json"),
        ("/api/v1/initiatives/?commune=62193", "/api/v1/initiatives/?commune=62193", "json"),
        ("/api/v1/initiatives/?q=masques", "/api/v1/initiatives/?q=masques", "json"),
    ]


def app_env(db_url: str, *, page_cache: bool, redis_url: str) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "DJANGO_ENV": "dev",
        "DEBUG": "False",
        "INSTANCE_DEPARTMENTS": "*",
        "PAGE_CACHE": "1" if page_cache else "0",
        # The anonymous API throttle would answer 429 to a load generator.
        "API_THROTTLE_RATE": "100000000/min",
        # No collectstatic needed: pages name their assets without a manifest.
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "LOG_LEVEL": "ERROR",
    }
    if redis_url:
        env["REDIS_URL"] = redis_url
    else:
        env.pop("REDIS_URL", None)
    return env


APP_ARGS = ["solidaire.wsgi", "--timeout", "30", "--preload", "--no-control-socket"]


def measure_floor(args, results: dict, when: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.pop("GUNICORN_CONTROL_SOCKET", None)
    ways = [("", None)]
    if args.through_nginx:
        ways.append((" via nginx", (args.port + 1, args.port + 3)))
    for way, ports in ways:
        floor_args = argparse.Namespace(port=args.port + 1, nginx_ports=ports)
        bare = lambda port: Server(  # noqa: E731
            "bench/bare", port, ["bare.wsgi", "--no-control-socket"], cwd=BARE, env=env
        )
        with servers(bare, floor_args) as port:
            for label, path, kind in FLOOR:
                url = f"http://127.0.0.1:{port}{path}"
                results[f"{label}{way} ({when})"] = {
                    "kind": kind,
                    "cold": cold(url, args.requests),
                    "warm": warm(url, args.wrk_seconds, args.connections),
                }


def measure_size(args, size: int) -> None:
    dbname = f"{args.db_prefix}{size}"
    db_url = f"{args.pg}/{dbname}"
    print(f"\n=== {size:,} initiatives (database {dbname}) ===", flush=True)
    info = None if args.reload else loaded_meta(args.pg, dbname)
    if (
        info
        and info.get("size") == size
        and info.get("signature") != schema_signature()
        and migrate_forward(args.pg, dbname, info)
    ):
        info = loaded_meta(args.pg, dbname)
    if info and info.get("size") == size and info.get("signature") == schema_signature():
        print(
            f"  reusing the load of {info['loaded_at']} (loaded in {info['load_seconds']} s; "
            "--reload to load again)"
        )
    else:
        if info:
            print("  the existing database is of another size, schema or generator: reloading")
        recreate_database(args.pg, dbname)
        subprocess.run(
            [sys.executable, __file__, "--child-load", str(size),
             "--reindex-max", str(args.reindex_max)],
            env={**os.environ, "DATABASE_URL": db_url, "DJANGO_ENV": "dev"}, check=True,
        )  # fmt: skip
        info = loaded_meta(args.pg, dbname)
    print(f"  {info['public']:,} public initiatives", flush=True)
    if args.load_only:
        return

    if not args.skip_export:
        print_export(db_url)
    results: dict[str, dict] = {}
    measure_floor(args, results, "before")
    # Numbered pages stop at 10,000 results; past them the list goes on by cursor.
    targets = pages(info, deep_cursor(db_url, int(info["public"] * 0.8)))
    for page_cache in (False,) if args.skip_warm else (False, True):
        env = app_env(db_url, page_cache=page_cache, redis_url=args.redis_url)

        def app(port: int, env: dict = env) -> Server:
            if not args.through_nginx:
                return Server("platform", port, APP_ARGS, cwd=ROOT, env=env)
            # An app server as docs/deploy.md runs it, nginx its one proxy.
            deploy_env = {
                **env, "PORT": str(port), "WEB_CONCURRENCY": "2", "TRUSTED_PROXY_COUNT": "1",
                "GUNICORN_CONTROL_SOCKET": f"/tmp/bench_scale_gunicorn_{port}.ctl",
            }  # fmt: skip
            return Server("platform", port, ["solidaire.wsgi"], cwd=ROOT, env=deploy_env)

        with servers(app, args) as port:
            for label, path, kind in targets:
                url = f"http://127.0.0.1:{port}{path}"
                row = results.setdefault(label, {"kind": kind})
                if page_cache:
                    row["warm"] = warm(url, args.wrk_seconds, args.connections)
                else:
                    row["cold"] = cold(url, args.requests)
                print(f"  measured {label} ({'warm' if page_cache else 'cold'})", flush=True)
            if not page_cache and not args.skip_export:
                for fmt in ("csv", "geojson"):
                    print_download(f"http://127.0.0.1:{port}/donnees/initiatives.{fmt}")
    measure_floor(args, results, "after")
    print_table(size, info, results, args)


def print_table(size: int, info: dict, results: dict, args) -> None:
    way = " via nginx" if args.through_nginx else ""
    floors = {
        kind: statistics.mean(
            results[f"{label}{way} ({when})"]["warm"]["rps"]
            for when in ("before", "after")
            for label, _, k in FLOOR
            if k == kind
        )
        for kind in ("html", "json")
    }
    print(
        f"\n{size:,} initiatives ({info['public']:,} public); cold: one request at a time, "
        f"PAGE_CACHE=0, {args.requests} requests; warm: page cache on, wrk -t2 "
        f"-c{args.connections} -d{args.wrk_seconds}s; ratio: req/s over the floor's "
        f"({floors['html']:,.0f} req/s template, {floors['json']:,.0f} JSON, mean of before "
        f"and after{', through nginx' if way else ''}); load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPU"
        + (
            "; the platform through nginx (deploy/nginx/) in front of two app servers "
            "(deploy/gunicorn.conf.py, 2 workers each)"
            if way
            else ""
        )
    )
    header = (
        f"| {'page':42} | cold p50 | p95 | p99 | bytes | status | warm req/s | p50 | p95 "
        "| p99 | non-2xx | ratio |"
    )
    print(header)
    print("|" + "|".join("---" for _ in range(header.count("|") - 1)) + "|")
    for label, row in results.items():
        c, w = row["cold"], row.get("warm")
        if w is None:
            print(
                f"| {label:42} | {c['p50']:8.1f} | {c['p95']:.1f} | {c['p99']:.1f} | "
                f"{c['bytes']:,} | {c['status']} | not measured (--skip-warm) | | | | | |"
            )
            continue
        ratio = w["rps"] / floors["json" if row["kind"] == "json" else "html"]
        if w["requests"]:
            warm_cells = (
                f"{w['rps']:,.1f} | {w['p50']:.1f} | {w['p95']:.1f} | {w['p99']:.1f} | "
                f"{w['non2xx']} | {ratio:.1%}"
            )
        else:
            warm_cells = f"none done in {args.wrk_seconds} s | — | — | — | — | 0 %"
        print(
            f"| {label:42} | {c['p50']:8.1f} | {c['p95']:.1f} | {c['p99']:.1f} | "
            f"{c['bytes']:,} | {c['status']} | {warm_cells} |"
        )
    sys.stdout.flush()


def print_export(db_url: str) -> None:
    process = subprocess.Popen(
        [sys.executable, __file__, "--child-export"],
        env={**os.environ, "DATABASE_URL": db_url, "DJANGO_ENV": "dev", "LOG_LEVEL": "ERROR"},
        stdout=subprocess.PIPE,
        text=True,
    )
    out = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    if status:
        print(f"export: failed (status {status})")
        return
    report = json.loads(out.strip().splitlines()[-1])
    files = ", ".join(
        f"{fmt} {f['rows']:,} rows {f['bytes'] / 1e6:.1f} MB" for fmt, f in report["files"].items()
    )
    print(
        f"full exports (the scheduled job, every format in one pass): {report['seconds']} s; "
        f"{files}; peak RSS of the process {usage.ru_maxrss / 1024:.0f} MB"
    )


def print_download(url: str) -> None:
    """Download a full file through gunicorn: time, and whether its length and SHA-256 are
    those its headers announce."""
    started = time.perf_counter()
    digest, size = hashlib.sha256(), 0
    with urllib.request.urlopen(url, timeout=300) as response:
        length = int(response.headers.get("Content-Length") or -1)
        announced = response.headers.get("Repr-Digest", "")
        while chunk := response.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    ours = f"sha-256=:{base64.b64encode(digest.digest()).decode()}:"
    print(
        f"  download {url.rsplit('/', 1)[-1]}: {size / 1e6:.1f} MB in "
        f"{time.perf_counter() - started:.2f} s; Content-Length "
        f"{'matches' if length == size else f'{length} ≠ {size}'}, Repr-Digest "
        f"{'matches' if announced == ours else 'DIFFERS'}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--reload", action="store_true", help="load again even if reusable")
    parser.add_argument("--load-only", action="store_true")
    parser.add_argument("--skip-export", action="store_true")
    parser.add_argument("--skip-warm", action="store_true", help="cold measures only")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument(
        "--db-prefix",
        default="bench_scale_",
        help="the databases are <prefix><size>: another prefix keeps two runs apart",
    )
    parser.add_argument("--port", type=int, default=8530, help="platform; the floor: +1")
    parser.add_argument("--requests", type=int, default=30, help="cold requests per page")
    parser.add_argument("--wrk-seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--reindex-max", type=int, default=10_000)
    parser.add_argument("--redis-url", default="", help="shared cache of the platform")
    parser.add_argument(
        "--through-nginx",
        action="store_true",
        help="the platform through nginx (deploy/nginx/) in front of two app servers",
    )
    parser.add_argument("--child-load", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child-export", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child-cursor", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.nginx_ports = (args.port, args.port + 2) if args.through_nginx else None
    if args.child_load:
        return child_load(args.child_load, args.reindex_max)
    if args.child_export:
        return child_export()
    if args.child_cursor is not None:
        return child_cursor(args.child_cursor)
    # Stopped by a signal, the servers started are stopped too (finally blocks).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    if not args.load_only and not shutil.which("wrk"):
        sys.exit("wrk not found: apt-get install wrk (make bench-scale installs it)")
    if args.through_nginx and not Path(NGINX).exists():
        sys.exit("nginx not found: apt-get install nginx (make deploy-local installs it)")
    print(f"bench/bare sha256 {bare_hash()} (a startproject app, never tuned)")
    print(f"generator {GENERATOR_VERSION}, schema {schema_signature()}")
    for size in (int(s) for s in args.sizes.split(",")):
        measure_size(args, size)


if __name__ == "__main__":
    main()
