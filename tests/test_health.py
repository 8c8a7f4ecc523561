"""/sante/ (solidaire/health.py): a cheap JSON answer for load balancers, never cached,
without personal data; 503 naming the part that failed."""

import json
from datetime import timedelta

import pytest
from django.db import OperationalError
from django.test import Client, override_settings
from django.utils import timezone

from solidaire import health
from solidaire.outbox.models import JobRun, WorkerHeartbeat
from solidaire.outbox.registry import registered_jobs

pytestmark = pytest.mark.django_db


def sante(client, query=""):
    response = client.get("/sante/" + query)
    assert response["Content-Type"] == "application/json"
    return response, json.loads(response.content)


def all_running():
    """A worker that beat just now and every scheduled job run today."""
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id="w1", last_seen=now)
    for job in registered_jobs():
        JobRun.objects.create(name=job.name, last_started=now - timedelta(minutes=5))


def test_it_answers_200_when_database_and_cache_answer(client):
    response, body = sante(client)
    assert response.status_code == 200
    assert body["status"] == "ok" and body["failed"] == []
    assert body["checks"]["database"]["ok"] and body["checks"]["cache"]["ok"]
    assert "no-cache" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]


def test_it_reports_the_queue_and_the_scheduler_without_leaving_the_balancer(client):
    # No worker and no scheduled run yet: said, but the server still serves pages.
    response, body = sante(client)
    assert response.status_code == 200
    assert body["checks"]["queue"] == {
        "ok": False,
        "workers": 0,
        "oldest_waiting_seconds": 0,
        "detail": "aucun processus de tâches actif",
    }
    assert not body["checks"]["scheduler"]["ok"]
    # A monitor asks that every part count.
    response, body = sante(client, "?complet=1")
    assert response.status_code == 503
    assert body["failed"] == ["queue", "scheduler"]


def test_with_a_worker_and_fresh_runs_every_part_is_ok(client):
    all_running()
    response, body = sante(client, "?complet=1")
    assert response.status_code == 200, body
    assert body["checks"]["queue"]["workers"] == 1
    assert body["checks"]["scheduler"]["last_run_seconds"] == 300


def test_a_scheduled_job_late_past_its_period_is_named(client):
    all_running()
    job = registered_jobs()[0]
    JobRun.objects.filter(name=job.name).update(
        last_started=timezone.now() - job.every - timedelta(hours=2)
    )
    _, body = sante(client, "?complet=1")
    assert job.name in body["checks"]["scheduler"]["detail"]


def test_it_answers_503_naming_the_database_when_it_is_down(client, monkeypatch):
    def refused():
        raise OperationalError("connection refused")

    monkeypatch.setattr(health, "select_one", refused)
    response, body = sante(client)
    assert response.status_code == 503
    assert body["failed"] == ["database"]
    assert body["checks"]["database"] == {
        "ok": False,
        "detail": "base injoignable (OperationalError)",
    }
    assert body["checks"]["queue"]["detail"] == "non vérifié : base injoignable"


def test_it_answers_503_naming_the_cache_when_it_is_down(client, monkeypatch):
    def refused(*args, **kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr(health.cache, "set", refused)
    response, body = sante(client)
    assert response.status_code == 503
    assert body["failed"] == ["cache"]


def test_it_holds_no_personal_data(client):
    all_running()
    _, body = sante(client, "?complet=1")
    text = json.dumps(body)
    assert "@" not in text and "w1" not in text  # no address, no worker or host name


def test_a_balancer_probing_over_plain_http_is_not_redirected():
    with override_settings(SECURE_SSL_REDIRECT=True):
        client = Client()
        assert client.get("/sante/").status_code == 200
        assert client.get("/").status_code == 301
