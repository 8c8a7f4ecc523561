"""A request that waited DB_POOL_TIMEOUT for a pooled connection gets a clear French 503,
at once, rather than a hang or a bare 500 (solidaire/views.py, server_error)."""

import pytest
from django.db import OperationalError
from django.test import Client
from psycopg_pool import PoolTimeout

from solidaire import views


def _pool_exhausted(*args, **kwargs):
    try:
        raise PoolTimeout("couldn't get a connection after 5.00 sec")
    except PoolTimeout as exc:
        raise OperationalError(str(exc)) from exc


@pytest.mark.django_db
def test_an_exhausted_pool_gives_a_french_503(monkeypatch):
    monkeypatch.setattr(views, "render", _pool_exhausted)
    response = Client(raise_request_exception=False).get("/accessibilite/")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert 'lang="fr"' in page
    assert "Service momentanément indisponible" in page
    assert "Rien n'a été enregistré" in page


@pytest.mark.django_db
def test_another_database_error_stays_a_500(monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("server closed the connection")

    monkeypatch.setattr(views, "render", broken)
    response = Client(raise_request_exception=False).get("/accessibilite/")
    assert response.status_code == 500
    assert "Erreur inattendue" in response.content.decode()


class _Pool:
    def __init__(self):
        self.calls = 0

    def open(self):
        pass

    def getconn(self):
        self.calls += 1
        raise PoolTimeout("couldn't get a connection after 5.00 sec")


def test_after_a_pool_timeout_the_next_requests_are_refused_at_once(monkeypatch):
    # solidaire/db: a process whose pool just timed out does not make every client wait
    # DB_POOL_TIMEOUT again; one request tries again after DB_POOL_FAIL_FAST_SECONDS.
    from django.db.backends.postgresql import base as postgresql
    from django.test import override_settings

    from solidaire.db import base

    pool = _Pool()
    monkeypatch.setattr(postgresql.DatabaseWrapper, "pool", property(lambda self: pool))
    wrapper = base.DatabaseWrapper({**_settings_dict(), "OPTIONS": {"pool": True}}, alias="x")
    base.fail_fast_reset()
    clock = [1000.0]
    monkeypatch.setattr(base.time, "monotonic", lambda: clock[0])
    with override_settings(DB_POOL_FAIL_FAST_SECONDS=2):
        for _ in range(3):
            with pytest.raises(PoolTimeout):
                wrapper.get_new_connection({})
        assert pool.calls == 1  # the two others did not wait on the pool
        clock[0] += 2.5
        with pytest.raises(PoolTimeout):
            wrapper.get_new_connection({})
        assert pool.calls == 2
    base.fail_fast_reset()


def _settings_dict():
    return {
        "NAME": "x",
        "USER": "",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "AUTOCOMMIT": True,
        "ATOMIC_REQUESTS": False,
        "TIME_ZONE": None,
        "TEST": {},
    }
