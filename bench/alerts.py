"""Alerts benchmark: a day's alerts for many subscriptions over many initiatives, computed by
the engine (one pass, a constant number of queries) beside the naive way measured in the same
run (one query per subscription, ``alert_initiatives``).

Run: ``python bench/alerts.py [--initiatives 1000000] [--subscriptions 100000]``.
Use a throwaway PostgreSQL database (``DATABASE_URL=postgres://…/alerts_bench``): the script
fills it with COPY. Without ``DATABASE_URL`` it uses a temporary SQLite file (bulk inserts,
for small sizes). It then:

1. generates initiatives published over two years (one place each: a commune weighted by
   population, or an EPCI, an arrondissement, a département; a tenth ended; half with a
   theme), and daily alerts, all confirmed and last served the previous midnight (communes
   weighted by population, "près de chez moi" at 10 km, EPCI, arrondissements,
   départements; a third narrowed to a theme);
2. times the engine (``alerts_compute``) over every due alert for yesterday, then the whole
   job (``alerts_send``: the engine, one ledger row per address, the watermarks; sending
   left out);
3. times the naive per-alert queries on a random sample, extrapolates them to every alert,
   and checks both give the same initiatives on that sample.

Target: under 10 minutes for 100,000 alerts over 1,000,000 initiatives.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.benchdb import setup_django  # noqa: E402

BATCH = 20000


def _rows_defaults(model, rows: list[dict]) -> tuple[list[str], list[tuple]]:
    """Every concrete column of ``model``, each row's value or the field's default (a
    callable default, such as a token, called per row)."""
    fields = list(model._meta.concrete_fields)
    columns = [f.column for f in fields]
    fixed = {f.attname: f.get_default() for f in fields if not callable(f.default)}
    per_row = [f for f in fields if callable(f.default)]
    out = []
    for row in rows:
        full = {**fixed, **{f.attname: f.get_default() for f in per_row if f.attname not in row}}
        full.update(row)
        out.append(tuple(full[f.attname] for f in fields))
    return columns, out


def insert(model, rows: list[dict]) -> None:
    """COPY on PostgreSQL, bulk inserts elsewhere; ids are given by the caller."""
    from django.db import connection

    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**row) for row in rows], batch_size=2000)
        return
    columns, values = _rows_defaults(model, rows)
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
    ):
        for row in values:
            copy.write_row(row)


def reset_sequences(*models) -> None:
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(models)):
            cursor.execute(sql)


def _next_id(model) -> int:
    from django.db.models import Max

    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


def generate(initiatives: int, subscriptions: int, *, today: datetime, seed: int) -> dict:
    from django.db import transaction

    from solidaire.alerts.models import Alert, AlertRecipient
    from solidaire.initiatives.models import Campaign, Initiative, Place, Theme
    from solidaire.territory.models import Arrondissement, Commune, Department, Epci

    rng = random.Random(seed)
    started = time.perf_counter()
    campaign, _ = Campaign.objects.get_or_create(slug="bench-alertes", defaults={"name": "Bench"})
    themes = [
        Theme.objects.get_or_create(
            campaign=campaign, slug=f"bench-{n}", defaults={"name": f"T{n}"}
        )[0].pk
        for n in range(6)
    ]
    communes = list(Commune.objects.values_list("insee_code", "population", "department_id"))
    codes = [c[0] for c in communes]
    weights = [max(c[1], 1) for c in communes]
    epcis = list(Epci.objects.values_list("siren", flat=True))
    arrondissements = list(Arrondissement.objects.values_list("code", flat=True))
    departments = list(Department.objects.values_list("code", flat=True))
    commune_department = {c[0]: c[2] for c in communes}

    first = _next_id(Initiative)
    place_id = _next_id(Place)
    through = Initiative.themes.through
    through_id = _next_id(through)
    span = 730 * 24 * 3600
    with transaction.atomic():
        for start in range(0, initiatives, BATCH):
            count = min(BATCH, initiatives - start)
            picked = rng.choices(codes, weights=weights, k=count)
            rows, places, tags = [], [], []
            for n in range(count):
                pk = first + start + n
                published = today - timedelta(seconds=rng.randrange(span))
                ended = rng.random() < 0.1
                archived = published + timedelta(days=rng.randrange(1, 120)) if ended else None
                if archived and archived > today:
                    archived = today - timedelta(seconds=rng.randrange(3600, 86400))
                    archived = max(archived, published + timedelta(seconds=1))
                commune = picked[n]
                rows.append(
                    {
                        "id": pk,
                        "title": f"Initiative {pk}",
                        "description": "Initiative du banc d'essai.",
                        "campaign_id": campaign.pk,
                        "actor_name": "Association",
                        "owner_department_id": commune_department[commune],
                        "status": "archived" if archived else "published",
                        "published_at": published,
                        "archived_at": archived,
                        "created_at": published,
                        "updated_at": archived or published,
                    }
                )
                roll = rng.random()
                place = {"id": place_id, "initiative_id": pk, "position": 0}
                if roll < 0.85:
                    place.update(kind="commune", commune_id=commune)
                elif roll < 0.93:
                    place.update(kind="epci", epci_id=rng.choice(epcis))
                elif roll < 0.97:
                    place.update(
                        kind="arrondissement", arrondissement_id=rng.choice(arrondissements)
                    )
                else:
                    place.update(kind="department", department_id=rng.choice(departments))
                places.append(place)
                place_id += 1
                if rng.random() < 0.5:
                    tags.append(
                        {"id": through_id, "initiative_id": pk, "theme_id": rng.choice(themes)}
                    )
                    through_id += 1
            insert(Initiative, rows)
            insert(Place, places)
            insert(through, tags)
        reset_sequences(Initiative, Place)

        yesterday = today - timedelta(days=1)
        recipient_first = _next_id(AlertRecipient)
        alert_first = _next_id(Alert)
        alert_themes = Alert.themes.through
        alert_theme_id = _next_id(alert_themes)
        for start in range(0, subscriptions, BATCH):
            count = min(BATCH, subscriptions - start)
            picked = rng.choices(codes, weights=weights, k=count)
            recipients, alerts, tags = [], [], []
            for n in range(count):
                pk = recipient_first + start + n
                recipients.append(
                    {"id": pk, "email": f"abonne-{pk}@exemple.test", "created_at": yesterday}
                )
                roll = rng.random()
                alert = {
                    "id": alert_first + start + n,
                    "recipient_id": pk,
                    "frequency": "daily",
                    "created_at": yesterday,
                    "confirmed_at": yesterday,
                    "sent_until": yesterday,
                }
                if roll < 0.60:
                    alert.update(scope="commune", commune_id=picked[n])
                elif roll < 0.75:
                    alert.update(scope="near", commune_id=picked[n], distance_km=10)
                elif roll < 0.87:
                    alert.update(scope="epci", epci_id=rng.choice(epcis))
                elif roll < 0.92:
                    alert.update(
                        scope="arrondissement", arrondissement_id=rng.choice(arrondissements)
                    )
                else:
                    alert.update(scope="department", department_id=rng.choice(departments))
                alerts.append(alert)
                if rng.random() < 0.33:
                    tags.append(
                        {
                            "id": alert_theme_id,
                            "alert_id": alert["id"],
                            "theme_id": rng.choice(themes),
                        }
                    )
                    alert_theme_id += 1
            insert(AlertRecipient, recipients)
            insert(Alert, alerts)
            insert(alert_themes, tags)
        reset_sequences(AlertRecipient, Alert)
    _analyze()
    return {"seconds": time.perf_counter() - started, "themes": themes}


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--initiatives", type=int, default=1_000_000)
    parser.add_argument("--subscriptions", type=int, default=100_000)
    parser.add_argument("--naive-sample", type=int, default=300)
    parser.add_argument("--seed", type=int, default=21)
    args = parser.parse_args()

    tmp = None
    if not os.environ.get("DATABASE_URL"):
        tmp = Path(tempfile.mkdtemp()) / "alerts.sqlite3"
        print("DATABASE_URL not set: SQLite (use PostgreSQL for the full size)")
    setup_django(str(tmp) if tmp else None)

    from django.db import connection
    from django.utils import timezone

    from solidaire.alerts import digests
    from solidaire.alerts.digests import alerts_send, due_alerts, period_end
    from solidaire.alerts.matching import alert_initiatives, alerts_compute
    from solidaire.alerts.models import Alert, AlertFrequency
    from solidaire.initiatives.models import Initiative
    from solidaire.outbox.models import Delivery

    now = timezone.now()
    until = period_end(AlertFrequency.DAILY, now - digests.SETTLE)
    print(f"database: {connection.vendor}; period: the day before {until:%Y-%m-%d}")
    made = generate(args.initiatives, args.subscriptions, today=until, seed=args.seed)
    total_initiatives = Initiative.objects.count()
    total_alerts = due_alerts(AlertFrequency.DAILY, until).count()
    print(
        f"generated in {made['seconds']:.1f} s: {total_initiatives:,} initiatives, "
        f"{total_alerts:,} due daily alerts"
    )

    started = time.perf_counter()
    found = alerts_compute(due_alerts(AlertFrequency.DAILY, until), until=until)
    engine = time.perf_counter() - started
    news = sum(len(p) + len(e) for p, e in found.values())
    print(
        f"engine: {engine:.1f} s for {total_alerts:,} alerts "
        f"({len(found):,} with news, {news:,} lines)"
    )

    rng = random.Random(args.seed)
    ids = list(due_alerts(AlertFrequency.DAILY, until).values_list("pk", flat=True))
    sample = rng.sample(ids, min(args.naive_sample, len(ids)))
    alerts = Alert.objects.filter(pk__in=sample).select_related(
        "commune", "epci", "arrondissement", "department"
    )
    mismatches = 0
    started = time.perf_counter()
    results = {}
    for alert in alerts:
        results[alert.pk] = alert_initiatives(alert, since=alert.sent_until, until=until)
    naive = time.perf_counter() - started
    for pk, expected in results.items():
        got = found.get(pk, ([], []))
        if (sorted(got[0]), sorted(got[1])) != (sorted(expected[0]), sorted(expected[1])):
            mismatches += 1
    per_alert = naive / max(len(results), 1)
    print(
        f"naive: {naive:.1f} s for {len(results)} alerts = {per_alert * 1000:.1f} ms per alert; "
        f"extrapolated to {total_alerts:,} alerts: {per_alert * total_alerts / 60:.1f} min"
    )
    print(f"engine vs naive on the sample: {mismatches} mismatch(es)")

    digests._kick = lambda batch: None  # time the job, not the SMTP server
    started = time.perf_counter()
    summary = alerts_send(AlertFrequency.DAILY, now=now)
    job = time.perf_counter() - started
    rows = Delivery.objects.filter(batch=digests.batch_name(AlertFrequency.DAILY, until)).count()
    print(f"job (engine + ledger rows + watermarks): {job:.1f} s — {summary} ({rows:,} rows)")
    started = time.perf_counter()
    alerts_send(AlertFrequency.DAILY, now=now)
    print(f"second run of the job: {time.perf_counter() - started:.2f} s (nothing due)")
    scale = (1_000_000 / max(total_initiatives, 1), 100_000 / max(total_alerts, 1))
    if scale != (1.0, 1.0):
        print(
            f"(size run: {total_initiatives:,} initiatives × {total_alerts:,} alerts; the engine "
            "grows with the day's events and the alerts, roughly linearly in each)"
        )
    if tmp:
        tmp.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
