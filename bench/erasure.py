"""Erasure benchmark: one person erased (and previewed) among N initiatives, beside one read
of every initiative's text columns, measured in the same run.

Run standalone: ``python bench/erasure.py [--rows 20000]``. It sets up Django on a temporary
SQLite database (or on ``DATABASE_URL`` if set: use a throwaway database, the script fills
it), migrates, loads the shipped territory, generates ``--rows`` published initiatives (one
in a hundred mentions the person, one is theirs), then times:

1. the baseline: reading title, description, actor and beneficiaries of every initiative;
2. ``personal_data_erase(..., dry_run=True)``, what the confirmation page runs;
3. ``personal_data_erase(...)``, the erasure itself (index rebuilt on SQLite).
"""

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.benchdb import setup_django  # noqa: E402

NAME = "Jérémie Dupont-Lefèvre"
EMAIL = "jeremie.dupont-lefevre@exemple.fr"
PHONE = "03 21 32 00 00"


def generate(rows: int, seed: int) -> None:
    from django.db import connection
    from django.utils import timezone

    from solidaire.initiatives.models import Campaign, Contact, Initiative, Status
    from solidaire.initiatives.search import FTS_TABLE, build_document

    rng = random.Random(seed)
    campaign = Campaign.objects.create(slug="covid-19", name="Covid-19")
    now = timezone.now()
    batch = []
    for i in range(rows):
        mentions = i % 100 == 0
        description = f"Distribution de repas n°{i} aux personnes âgées du quartier."
        if mentions:
            description += f" Merci à {NAME.upper()} ({rng.choice(['03.21.32.00.00', PHONE])})."
        initiative = Initiative(
            title=f"Repas solidaires {i}",
            description=description,
            campaign=campaign,
            actor_name="Association des voisins",
            owner_department_id="62",
            status=Status.PUBLISHED,
            published_at=now,
            submitter_name=NAME if i == 0 else f"Personne {i}",
            submitter_email=EMAIL if i == 0 else f"personne{i}@exemple.fr",
        )
        initiative.search_document = build_document(initiative)
        batch.append(initiative)
    Initiative.objects.bulk_create(batch, batch_size=2000)
    first = Initiative.objects.order_by("pk").first()
    Contact.objects.create(initiative=first, kind="phone", value="+33321320000")
    Contact.objects.create(initiative=first, kind="url", value="https://repas.example/")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


def timed(label: str, call) -> float:
    started = time.perf_counter()
    result = call()
    seconds = time.perf_counter() - started
    print(f"{label:<48} {seconds:8.2f} s  {result}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        setup_django(None if os.getenv("DATABASE_URL") else str(Path(folder) / "bench.sqlite3"))
        from solidaire.initiatives.erasure import personal_data_erase
        from solidaire.initiatives.models import Initiative

        generate(args.rows, seed=6)
        fields = ("title", "description", "actor_name", "beneficiaries")
        baseline = timed(
            f"baseline: read the texts of {args.rows} initiatives",
            lambda: sum(1 for _ in Initiative.objects.values_list(*fields).iterator()),
        )

        def erase(dry_run):
            counts = personal_data_erase(
                name=NAME, email=EMAIL, phone=PHONE, by=None, dry_run=dry_run
            )
            return dict(counts)

        preview = timed("preview (dry run)", lambda: erase(True))
        erasure = timed("erasure", lambda: erase(False))
        print(f"erasure / baseline: {erasure / baseline:.1f}x, preview: {preview / baseline:.1f}x")


if __name__ == "__main__":
    main()
