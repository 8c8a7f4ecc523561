"""DATABASES from the environment (solidaire/settings.py): Django's connection pool for
PostgreSQL (DB_POOL_*, CONN_MAX_AGE=0 as the pool requires), and the optional replica."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from solidaire.settings import database_settings

ROOT = Path(__file__).resolve().parent.parent
PG = "postgres://app@db.example:5432/solidaire"


def test_postgres_gets_a_pool_and_no_persistent_connections():
    config = database_settings(PG, pool_min=2, pool_max=8, pool_timeout=3.5, connect_timeout=4)
    assert config["ENGINE"] == "solidaire.db"  # Django's, failing fast after a pool timeout
    assert config["CONN_MAX_AGE"] == 0
    assert config["OPTIONS"]["pool"] == {"min_size": 2, "max_size": 8, "timeout": 3.5}
    assert config["OPTIONS"]["connect_timeout"] == 4
    assert config["CONN_HEALTH_CHECKS"] is True


def test_a_pool_of_zero_keeps_persistent_connections():
    config = database_settings(PG, pool_max=0)
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert "pool" not in config["OPTIONS"]
    assert config["CONN_MAX_AGE"] == 60


def test_sqlite_has_no_pool():
    config = database_settings("sqlite:////tmp/x.sqlite3", pool_max=4)
    assert "pool" not in config.get("OPTIONS", {})


def test_it_refuses_a_minimum_above_the_maximum():
    with pytest.raises(ImproperlyConfigured, match="DB_POOL_MIN"):
        database_settings(PG, pool_min=5, pool_max=2)


def _settings_from(env: dict) -> dict:
    script = (
        "import json; from django.conf import settings; import django; django.setup(); "
        "print(json.dumps({'databases': {k: {'options': {o: v for o, v in d['OPTIONS'].items()}, "
        "'host': d['HOST'], 'test': d.get('TEST', {})} for k, d in settings.DATABASES.items()}, "
        "'routers': settings.DATABASE_ROUTERS, 'middleware': settings.MIDDLEWARE}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_ENV": "dev",
            "DJANGO_SETTINGS_MODULE": "solidaire.settings",
            **env,
        },
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def test_the_environment_sets_the_pool_and_the_replica():
    found = _settings_from(
        {
            "DATABASE_URL": PG,
            "DATABASE_REPLICA_URL": "postgres://app@replica.example:5432/solidaire",
            "DB_POOL_MIN": "0",
            "DB_POOL_MAX": "6",
            "DB_POOL_TIMEOUT": "2.5",
        }
    )
    primary, replica = found["databases"]["default"], found["databases"]["replica"]
    assert primary["options"]["pool"] == {"min_size": 0, "max_size": 6, "timeout": 2.5}
    assert replica["host"] == "replica.example"
    assert replica["options"]["pool"]["max_size"] == 6
    # The test runner points the replica at the test database rather than creating one.
    assert replica["test"]["MIRROR"] == "default"
    assert found["routers"] == ["solidaire.replica.ReplicaRouter"]
    middleware = found["middleware"]
    assert middleware.index("solidaire.replica.PrimaryPinMiddleware") < middleware.index(
        "django.contrib.sessions.middleware.SessionMiddleware"
    )
    without = _settings_from({"DATABASE_URL": PG})
    assert set(without["databases"]) == {"default"}
    assert "solidaire.replica.PrimaryPinMiddleware" not in without["middleware"]
