"""Reads that do not grow with the table: each query shape before and after, in one run.

Run: ``DATABASE_URL=postgres://…/throwaway python bench/reads.py [--rows 100000]`` (or on a
temporary SQLite file without ``DATABASE_URL``). It loads ``--rows`` published initiatives
over the communes (``bench/opendata.py``'s loader; one in ten mentions "masques" in its
search document), recounts the places (``rebuild_place_counts``), runs ANALYZE, then prints
the median of ``--iterations`` runs of each query as it was before (the old SQL, the old
index dropped inside a rolled-back transaction on PostgreSQL) and as it is now, then the
time and size of the pages through the test client.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.benchdb import setup_django  # noqa: E402


def median_ms(run, iterations: int) -> float:
    timings = []
    for _ in range(iterations):
        started = time.perf_counter()
        run()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


@contextmanager
def rolled_back(*statements):
    """PostgreSQL: the statements applied for the block only (transactional DDL)."""
    from django.db import connection, transaction

    with transaction.atomic():
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        yield
        transaction.set_rollback(True)


def load(rows: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from bench.opendata import generate
    from solidaire.initiatives.models import Initiative

    have = Initiative.objects.count()
    if have < rows:
        seconds = generate(rows - have, seed=have + 1)
        print(f"loaded {rows - have:,} initiatives in {seconds:.1f} s")
    Initiative.objects.filter(search_document="").update(search_document="initiat solidair")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE initiatives_initiative SET search_document = "
            "'initiat solidair fabric distribu materiel protect' "
            "|| CASE WHEN id % 10 = 0 THEN ' masqu' ELSE '' END "
            "WHERE search_document NOT LIKE 'initiat solidair fabric%'"
        )
        if connection.vendor == "sqlite":
            cursor.execute(
                "INSERT INTO initiatives_search_fts(initiatives_search_fts) VALUES ('rebuild')"
            )
    started = time.perf_counter()
    call_command("rebuild_place_counts", verbosity=0)
    print(f"rebuild_place_counts: {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        # The loader's UPDATE left a dead copy of every row: what autovacuum would do.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def queries(iterations: int) -> None:
    from django.db import connection
    from django.db.models import Count, Q

    from solidaire.initiatives.models import PUBLIC_STATUSES, Initiative, Place, Status
    from solidaire.initiatives.paging import COUNT_CAP, SEARCH_COUNT_CAP, _after
    from solidaire.initiatives.place_counts import place_count_statuses, place_counts
    from solidaire.initiatives.search import SEARCH_WORK_MEM
    from solidaire.initiatives.selectors import (
        InitiativeFilters,
        _placed,
        initiative_count_known,
        initiative_search,
    )
    from solidaire.initiatives.selectors_map import map_counts
    from solidaire.territory.models import Commune

    pg = connection.vendor == "postgresql"

    def capped(qs, cap):
        # As the lists' paginator counts: no order, no annotations, at most cap + 1 ids.
        return qs.order_by().values("pk")[: cap + 1].count()

    public = Initiative.objects.filter(status__in=PUBLIC_STATUSES).order_by("-published_at", "-id")
    rows = []

    def row(label, before, after):
        rows.append((label, before, after))
        shown = "" if before is None else f"{before:9.2f} ms"
        print(f"{label:<52} before {shown:>12}   after {after:9.2f} ms", flush=True)

    page1 = lambda: list(public.values_list("pk", flat=True)[:20])  # noqa: E731
    with rolled_back("DROP INDEX initiative_public_order"):
        before = median_ms(page1, iterations)
    row("list page 1 (partial index)", before, median_ms(page1, iterations))
    row(
        "list total (COUNT vs COUNT capped at 10,001)",
        median_ms(lambda: public.count(), iterations),
        median_ms(lambda: capped(public, COUNT_CAP), iterations),
    )
    depth = min(80_000, public.count() - 40)
    last = public[depth - 1]
    row(
        f"deep page (OFFSET {depth:,} vs keyset)",
        median_ms(
            lambda: list(public.values_list("pk", flat=True)[depth : depth + 20]), iterations
        ),
        median_ms(
            lambda: list(
                _after(public, last.published_at, last.pk).values_list("pk", flat=True)[:20]
            ),
            iterations,
        ),
    )

    searched = initiative_search(filters=InitiativeFilters(q="masques"))
    if pg:
        old_match = Initiative.objects.filter(status__in=PUBLIC_STATUSES).extra(
            where=[
                "to_tsvector('simple'::regconfig, search_document) "
                "@@ plainto_tsquery('simple'::regconfig, 'masqu')"
            ]
        )
        with rolled_back(
            "CREATE INDEX initiative_search_gin ON initiatives_initiative "
            "USING GIN (to_tsvector('simple'::regconfig, search_document))",
            "SET LOCAL work_mem = '4MB'",
            "ANALYZE initiatives_initiative",
        ):
            before = median_ms(lambda: old_match.count(), iterations)
        with rolled_back(f"SET LOCAL work_mem = '{SEARCH_WORK_MEM}'"):
            after = median_ms(lambda: capped(searched, SEARCH_COUNT_CAP), iterations)
    else:
        before = median_ms(lambda: searched.count(), iterations)
        after = median_ms(lambda: capped(searched, SEARCH_COUNT_CAP), iterations)
    row(f"search count 'masques' ({searched.count():,} matches)", before, after)

    code = "62"
    epcis = Commune.objects.filter(department_id=code, epci__isnull=False).values("epci_id")
    old_department = Initiative.objects.filter(status__in=PUBLIC_STATUSES).filter(
        _placed(
            Q(department_id=code)
            | Q(commune__department_id=code)
            | Q(arrondissement__department_id=code)
            | Q(epci_id__in=epcis)
        )
    )
    new_department = initiative_search(filters=InitiativeFilters(department=code))
    row(
        "département 62: page 1 (joins ORed vs department_code)",
        median_ms(lambda: list(old_department.order_by("-published_at", "-id")[:20]), iterations),
        median_ms(lambda: list(new_department[:20]), iterations),
    )
    row(
        "département 62: count (full vs capped)",
        median_ms(lambda: old_department.count(), iterations),
        median_ms(lambda: capped(new_department, COUNT_CAP), iterations),
    )
    row(
        "département 62: count (full vs counts table)",
        median_ms(lambda: old_department.count(), iterations),
        median_ms(
            lambda: initiative_count_known(filters=InitiativeFilters(department=code)),
            iterations,
        ),
    )

    ids = Initiative.objects.filter(status__in=PUBLIC_STATUSES).values("pk")

    def old_map():
        grouped = (
            Place.objects.filter(kind="commune", initiative_id__in=ids)
            .values("commune_id")
            .annotate(n=Count("initiative_id", distinct=True))
        )
        return {r["commune_id"]: r["n"] for r in grouped}

    old_ms = median_ms(old_map, max(3, iterations // 5))
    row(
        "map: France's communes (GROUP BY vs counts table)",
        old_ms,
        median_ms(lambda: place_counts("commune"), iterations),
    )
    row(
        "map: instance 62 document (GROUP BY vs map_counts)",
        old_ms,
        median_ms(lambda: map_counts(filters=InitiativeFilters()), iterations),
    )
    row(
        "home: two COUNTs vs counts table",
        median_ms(
            lambda: Initiative.objects.aggregate(
                published=Count("pk", filter=Q(status=Status.PUBLISHED)),
                archived=Count("pk", filter=Q(status=Status.ARCHIVED)),
            ),
            iterations,
        ),
        median_ms(place_count_statuses, iterations),
    )


def pages(iterations: int) -> None:
    from django.test import Client, override_settings
    from django.test.utils import setup_test_environment, teardown_test_environment

    from bench.opendata import install_bench_urls
    from solidaire.initiatives.models import Initiative

    install_bench_urls()
    setup_test_environment()  # response.context, for the keyset link
    client = Client()
    newest = Initiative.objects.public().order_by("-published_at", "-id")
    calais = newest.filter(places__commune_id="62193").count()
    urls = [
        "/bench/bare/",
        "/",
        "/initiatives/",
        "/initiatives/?q=masques",
        "/initiatives/?department=62&theme=theme-1",
        "/initiatives/?page=400",
        "/communes/62193/",
        "/carte/compteurs.json",
        "/carte/compteurs.json?q=masques",
        "/api/v1/initiatives/?commune=62193",
        "/api/v1/initiatives/?q=masques",
    ]
    first = client.get("/initiatives/?page=500").context["page"]
    if first.next_url:
        urls.append("/initiatives/" + first.next_url)
    teardown_test_environment()  # templates no longer copied for the test client
    print(f"\npages (median of {iterations}; Calais holds {calais:,} initiatives)")
    for label, settings in (("instance 62", {}), ("instance *", {"INSTANCE_DEPARTMENTS": "*"})):
        with override_settings(**settings):
            shown = (
                urls
                if not settings
                else ["/carte/compteurs.json", "/carte/compteurs.json?communes_de=62"]
            )
            for url in shown:
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
                size = len(response.content)
                ms = median_ms(lambda u=url: client.get(u), iterations)
                print(f"{label:<12} {url[:70]:<72} {ms:8.1f} ms {size / 1000:9.1f} KB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--iterations", type=int, default=15)
    args = parser.parse_args()
    # Templates render without collectstatic.
    os.environ.setdefault(
        "STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    os.environ.setdefault("WHITENOISE_USE_FINDERS", "True")
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(None if os.environ.get("DATABASE_URL") else str(Path(tmp) / "bench.sqlite3"))
        from django.db import connection

        print(f"database: {connection.vendor}, {args.rows:,} initiatives")
        load(args.rows)
        queries(args.iterations)
        pages(args.iterations)


if __name__ == "__main__":
    main()
