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
