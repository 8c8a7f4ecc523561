"""The Django set-up every benchmark shares: a database of its own with the reference geography.

Each script calls ``setup_django(path)`` before importing any model: a temporary SQLite file,
or None to keep ``DATABASE_URL`` (PostgreSQL) when it is set.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def setup_django(db_path: str | None) -> None:
    if db_path:
        os.environ["SQLITE_PATH"] = db_path
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "solidaire.settings")
    # A throwaway database on the development defaults (see README, "Production").
    os.environ.setdefault("DJANGO_ENV", "dev")
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_territory", verbosity=0)
    print(f"setup: migrate + load_territory in {time.perf_counter() - started:.1f} s")
