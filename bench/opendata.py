"""Open data benchmark: CSV export time and peak memory at 10,000 and 100,000 published
initiatives, then p50/p95 latency of the API and the figures page beside a bare Django view.

Run standalone: ``python bench/opendata.py [--rows 100000] [--iterations 30]``. It sets up
Django on a temporary SQLite database (or on ``DATABASE_URL`` if set: use a throwaway
database, the script fills it), migrates, loads the shipped territory, then:

1. generates 10,000 published initiatives over the communes, weighted by population
   (``bulk_create``: initiatives, places, themes, quantities; submitter fields filled), then
   indexed for search by the platform's own ``initiative_reindex``, as a write by the
   services would be (``bulk_create`` alone leaves the search documents empty);
2. streams ``/donnees/initiatives.csv`` through the test client: time, then peak Python
   memory (tracemalloc, a second pass);
3. tops up to ``--rows`` initiatives and measures the same export again: memory should not
   grow with the row count (aim: under 10 s for 100,000 rows);
4. times ``/api/v1/initiatives/?commune=<Arras>``, ``/api/v1/initiatives/?q=masques``
   (and prints how many it finds, a check that the rows were indexed), ``/chiffres/`` (figures recomputed, and
   served from cache) and a bare view returning "ok" through the same middleware.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
import types
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.benchdb import setup_django  # noqa: E402

ITEMS = ["visières", "masques", "repas", "blouses", "litres de gel", "paniers"]
ACTOR_KINDS = ["company", "association", "municipality", "citizens", "club", "public_service"]
BATCH = 5000
# Titles that a search finds: about one initiative in six is about masks.
TITLES = [
    "Fabrication de masques en tissu",
    "Distribution de visières aux soignants",
    "Repas solidaires pour les personnes âgées",
    "Collecte de blouses pour l'hôpital",
    "Courses pour les voisins isolés",
    "Couture de surblouses",
]


def install_bench_urls() -> None:
    """The project's URLs plus /bench/bare/, the baseline: a view that does nothing."""
    from django.conf import settings
    from django.http import HttpResponse
    from django.urls import include, path
    from rest_framework.throttling import SimpleRateThrottle

    def bare(request):
        return HttpResponse("ok")

    module = types.ModuleType("bench_urls")
    module.urlpatterns = [path("bench/bare/", bare), path("", include("solidaire.urls"))]
    sys.modules["bench_urls"] = module
    settings.ROOT_URLCONF = "bench_urls"
    # The anonymous throttle would answer 429 to a benchmark.
    rates = {"anon": "1000000/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    SimpleRateThrottle.THROTTLE_RATES = rates
    from rest_framework.settings import api_settings

    api_settings.reload()


def generate(count: int, *, seed: int) -> float:
    """Add ``count`` published initiatives; return the seconds it took."""
    from django.db import transaction
    from django.utils import timezone

    from solidaire.initiatives.models import (
        Campaign,
        Initiative,
        Place,
        PlaceKind,
        Quantity,
        Status,
        Theme,
        item_key,
    )
    from solidaire.initiatives.search import initiative_reindex
    from solidaire.territory.models import Commune

    started = time.perf_counter()
    rng = random.Random(seed)
    campaign, _ = Campaign.objects.get_or_create(slug="covid-19", defaults={"name": "Covid-19"})
    themes = [
        Theme.objects.get_or_create(
            campaign=campaign, slug=f"theme-{i}", defaults={"name": f"Thème {i}", "position": i}
        )[0]
        for i in range(8)
    ]
    communes = list(Commune.objects.values_list("insee_code", "department_id", "population"))
    weights = [max(pop, 1) for _, _, pop in communes]
    chosen = rng.choices(communes, weights=weights, k=count)
    now = timezone.now()
    through = Initiative.themes.through
    for start in range(0, count, BATCH):
        rows = chosen[start : start + BATCH]
        initiatives = Initiative.objects.bulk_create(
            [
                Initiative(
                    title=f"{rng.choice(TITLES)} n°{start + i}",
                    description="Fabrication et distribution de matériel de protection.",
                    campaign=campaign,
                    actor_name=f"Porteur {start + i}",
                    actor_kind=rng.choice(ACTOR_KINDS),
                    owner_department_id=department,
                    status=Status.PUBLISHED,
                    published_at=now - timedelta(minutes=rng.randrange(0, 60 * 24 * 70)),
                    submitter_name="Déposant privé",
                    submitter_email="prive@example.org",
                    submitter_phone="+33600000000",
                )
                for i, (_, department, _) in enumerate(rows)
            ]
        )
        Place.objects.bulk_create(
            [
                Place(initiative=ini, kind=PlaceKind.COMMUNE, commune_id=code)
                for ini, (code, _, _) in zip(initiatives, rows, strict=True)
            ]
        )
        through.objects.bulk_create(
            [through(initiative_id=ini.pk, theme_id=rng.choice(themes).pk) for ini in initiatives]
        )
        quantities = []
        for ini in initiatives:
            if rng.random() < 0.3:
                item = rng.choice(ITEMS)
                quantities.append(
                    Quantity(
                        initiative=ini,
                        count=rng.randrange(10, 2000),
                        item=item,
                        item_key=item_key(item),
                    )
                )
        Quantity.objects.bulk_create(quantities)
        with transaction.atomic():
            for ini in Initiative.objects.filter(
                pk__in=[ini.pk for ini in initiatives]
            ).prefetch_related("themes"):
                initiative_reindex(initiative=ini)
    return time.perf_counter() - started


def export_csv(client) -> tuple[float, int, int]:
    """(seconds, bytes, rows) to stream the whole CSV export."""
    started = time.perf_counter()
    response = client.get("/donnees/initiatives.csv")
    assert response.status_code == 200, response.status_code
    size = lines = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        lines += chunk.count(b"\r\n")
    return time.perf_counter() - started, size, lines - 1


def export_peak_memory(client) -> int:
    tracemalloc.start()
    tracemalloc.reset_peak()
    export_csv(client)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def latency(client, url: str, iterations: int, *, before=None) -> tuple[float, float]:
    timings = []
    for _ in range(iterations):
        if before:
            before()
        started = time.perf_counter()
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    timings.sort()
    return statistics.median(timings), timings[max(0, round(0.95 * len(timings)) - 1)]


def measure_export(client, label: str) -> None:
    from solidaire.initiatives.models import Initiative

    total = Initiative.objects.count()
    seconds, size, rows = export_csv(client)
    peak = export_peak_memory(client)
    print(
        f"CSV export, {label}: {rows:>7,} rows ({total:,} in base), {size / 1e6:6.1f} MB "
        f"in {seconds:5.2f} s ({rows / seconds:,.0f} rows/s); peak Python memory "
        f"{peak / 1e6:5.1f} MB"
    )
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--iterations", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(None if os.environ.get("DATABASE_URL") else str(Path(tmp) / "bench.sqlite3"))
        install_bench_urls()
        from django.core.cache import cache
        from django.db import connection
        from django.test import Client

        print(
            f"database: {connection.vendor}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPU"
        )
        client = Client()
        first = min(10_000, args.rows)
        print(f"generated {first:,} initiatives in {generate(first, seed=1):.1f} s")
        small_peak = measure_export(client, "first")
        rest = args.rows - first
        if rest > 0:
            print(f"generated {rest:,} more in {generate(rest, seed=2):.1f} s")
        big_peak = measure_export(client, "all  ")
        print(f"peak memory ratio all/first: {big_peak / small_peak:.2f} (flat when close to 1)")

        from solidaire.territory.models import Commune

        arras = Commune.objects.get(insee_code="62041")
        n = args.iterations
        rows = [
            ("bare Django view (baseline)", "/bench/bare/", None),
            (
                f"/api/v1/initiatives/?commune={arras.pk}",
                f"/api/v1/initiatives/?commune={arras.pk}",
                None,
            ),
            ("/api/v1/initiatives/?q=masques", "/api/v1/initiatives/?q=masques", None),
            ("/chiffres/ (figures recomputed)", "/chiffres/", cache.clear),
            ("/chiffres/ (figures cached)", "/chiffres/", None),
            ("/api/v1/stats/ (cached)", "/api/v1/stats/", None),
        ]
        from django.http import QueryDict

        from solidaire.initiatives.filters import parse_filters
        from solidaire.initiatives.selectors import initiative_search

        found = initiative_search(filters=parse_filters(QueryDict("q=masques"))[0]).count()
        print(f"search 'masques' finds {found:,} initiatives (indexed rows; 0 would mean not)")
        print(
            f"\nlatency over {n} requests (test client, in process), load {os.getloadavg()[0]:.1f}:"
        )
        for label, url, before in rows:
            p50, p95 = latency(client, url, n, before=before)
            print(f"  {label:<45} p50 {p50:8.1f} ms   p95 {p95:8.1f} ms")


if __name__ == "__main__":
    main()
