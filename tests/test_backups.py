"""The backup lines of docs/operations.md restore both databases exactly.

Each engine gets a database of its own, migrated with the project's real migrations and
filled through the real write paths (a proposal posted to the public form, with its
places, history and queued e-mail; staff; a published initiative); the test backs it
up with the documented line, destroys it, restores it with the documented line and
compares the row count of every table (and, on PostgreSQL, every sequence). Both
round trips run in every suite run (SQLite and PostgreSQL); the PostgreSQL one is
skipped only when no server answers.
"""

import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import dj_database_url
import psycopg
import pytest

ROOT = Path(__file__).resolve().parent.parent
OPERATIONS = (ROOT / "docs" / "operations.md").read_text()

# The lines of docs/operations.md, run as written (the test checks they are there).
SQLITE_BACKUP = "sqlite3 db.sqlite3 \".backup 'sauvegarde.sqlite3'\""
SQLITE_RESTORE = "sqlite3 db.sqlite3 \".restore 'sauvegarde.sqlite3'\""
PY_BACKUP = (
    '.venv/bin/python -c "import sqlite3; '
    "sqlite3.connect('db.sqlite3').backup(sqlite3.connect('sauvegarde.sqlite3'))\""
)
PY_RESTORE = (
    '.venv/bin/python -c "import sqlite3; '
    "sqlite3.connect('sauvegarde.sqlite3').backup(sqlite3.connect('db.sqlite3'))\""
)
PG_BACKUP = 'pg_dump -Fc --no-owner -d "$DATABASE_URL" -f sauvegarde.dump'
PG_RESTORE = 'pg_restore --clean --if-exists --no-owner -d "$DATABASE_URL" sauvegarde.dump'

# Run in a fresh process against the database named by the environment.
FILL = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.test import Client
from solidaire.territory.models import Commune, Department, Region
from tests.factories import make_initiative, make_staff
from tests.initiatives.factories import propose_data
region = Region.objects.create(code="32", name="Hauts-de-France")
Department.objects.create(code="62", name="Pas-de-Calais", region=region)
Commune.objects.create(
    insee_code="62193", name="Calais", postal_codes="62100", department_id="62",
    population=67000, latitude=50.95, longitude=1.85,
)
make_staff("moderateur", moderator=["62"])
make_initiative(title="Épicerie solidaire", contacts=[("url", "https://example.org/")])
response = Client().post("/initiatives/proposer/", propose_data())
assert response.status_code == 302, response.status_code
"""


def fill_env(**overrides) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "solidaire.settings",
        "DATABASE_URL": "",
        "RATELIMIT_ENABLE": "False",
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }
    env.pop("REDIS_URL", None)
    env.update(overrides)
    return env


def run_fill(env: dict) -> None:
    done = subprocess.run(
        [sys.executable, "-c", FILL], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def shell(line: str, *, cwd: Path, env: dict | None = None) -> None:
    """Run a documented line, the project's interpreter standing for .venv/bin/python."""
    line = line.replace(".venv/bin/python", sys.executable)
    done = subprocess.run(line, shell=True, cwd=cwd, env=env, capture_output=True, text=True)
    assert done.returncode == 0, f"{line}\n{done.stdout}\n{done.stderr}"


def server_url() -> str:
    """The PostgreSQL server of the PostgreSQL suite run, or the local one."""
    url = os.getenv("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return url
    return "postgres://postgres@127.0.0.1:5432/postgres"


def admin_connection() -> psycopg.Connection:
    parts = dj_database_url.parse(server_url())
    return psycopg.connect(
        host=parts["HOST"] or "127.0.0.1",
        port=parts["PORT"] or 5432,
        user=parts["USER"] or "postgres",
        password=parts["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
        connect_timeout=3,
    )


def scratch_url(name: str) -> str:
    parts = dj_database_url.parse(server_url())
    auth = parts["USER"] or "postgres"
    if parts["PASSWORD"]:
        auth += f":{parts['PASSWORD']}"
    return f"postgres://{auth}@{parts['HOST'] or '127.0.0.1'}:{parts['PORT'] or 5432}/{name}"


def sqlite_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def pg_state(url: str) -> tuple[dict[str, int], dict[str, int]]:
    """(rows per table, last value per sequence) of the public schema."""
    with psycopg.connect(url) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"
            )
        ]
        counts = {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
        sequences = dict(
            db.execute(
                "SELECT sequencename, coalesce(last_value, 0) FROM pg_sequences "
                "WHERE schemaname = 'public'"
            ).fetchall()
        )
        return counts, sequences


def assert_filled(counts: dict[str, int]) -> None:
    # What the fill wrote, so that an empty restore cannot pass for an exact one.
    for table in (
        "django_migrations",
        "accounts_user",
        "initiatives_initiative",
        "initiatives_transition",
        "territory_commune",
    ):
        assert counts[table] > 0, table
    assert counts["initiatives_initiative"] == 2
    # The receipt the proposal promised: a queued task or a row of the e-mail ledger.
    assert any(
        (name.endswith("dbtaskresult") or name.startswith("outbox_")) and n > 0
        for name, n in counts.items()
    )


@pytest.fixture(scope="module")
def databases(tmp_path_factory):
    """A migrated, filled SQLite file and PostgreSQL database (None when PG is down)."""
    folder = tmp_path_factory.mktemp("backups")
    sqlite_path = folder / "db.sqlite3"
    pg_name = f"test_backup_{uuid.uuid4().hex[:8]}"
    try:
        with admin_connection() as admin:
            admin.execute(f'CREATE DATABASE "{pg_name}"')
        pg_url = scratch_url(pg_name)
    except psycopg.OperationalError as error:
        pg_url, pg_down = None, str(error).strip().splitlines()[0]
    else:
        pg_down = ""
    fills = [fill_env(SQLITE_PATH=str(sqlite_path))]
    if pg_url:
        fills.append(fill_env(DATABASE_URL=pg_url))
    # The two migrations run side by side: the fixture costs one, not two.
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(run_fill, fills))
    yield {"folder": folder, "sqlite": sqlite_path, "pg": pg_url, "pg_down": pg_down}
    if pg_url:
        with admin_connection() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')


def test_the_tested_lines_are_the_documented_ones():
    for line in (SQLITE_BACKUP, SQLITE_RESTORE, PY_BACKUP, PY_RESTORE, PG_BACKUP, PG_RESTORE):
        assert line in OPERATIONS, line


@pytest.mark.parametrize(
    "backup, restore",
    [(SQLITE_BACKUP, SQLITE_RESTORE), (PY_BACKUP, PY_RESTORE)],
    ids=["sqlite3-cli", "python"],
)
def test_a_sqlite_backup_restores_every_table(databases, backup, restore):
    if backup.startswith("sqlite3 ") and not shutil.which("sqlite3"):
        pytest.skip("sqlite3 (paquet Debian sqlite3) absent : la ligne Python est testée")
    folder, path = databases["folder"], databases["sqlite"]
    before = sqlite_counts(path)
    assert_filled(before)
    (folder / "sauvegarde.sqlite3").unlink(missing_ok=True)
    shell(backup, cwd=folder)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    assert not path.exists()
    shell(restore, cwd=folder)
    assert sqlite_counts(path) == before
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_postgresql_backup_restores_every_table_and_sequence(databases):
    if not databases["pg"]:
        pytest.skip(f"PostgreSQL injoignable ({server_url()}) : {databases['pg_down']}")
    folder, url = databases["folder"], databases["pg"]
    env = {**os.environ, "DATABASE_URL": url}
    before = pg_state(url)
    assert_filled(before[0])
    shell(PG_BACKUP, cwd=folder, env=env)

    # Damaged in place: rows deleted, a table dropped; restored over what is left.
    with psycopg.connect(url, autocommit=True) as db:
        db.execute("DELETE FROM initiatives_transition")
        db.execute("DROP TABLE accounts_membership CASCADE")
    shell(PG_RESTORE, cwd=folder, env=env)
    assert pg_state(url) == before

    # Destroyed: the database dropped and created again, empty.
    name = url.rsplit("/", 1)[1]
    with admin_connection() as admin:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    assert pg_state(url) == ({}, {})
    shell(PG_RESTORE, cwd=folder, env=env)
    assert pg_state(url) == before
