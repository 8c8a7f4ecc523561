"""The API fuzzed from its own OpenAPI schema: no 500, no response outside the schema."""

import pytest
import schemathesis
import yaml
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from solidaire.wsgi import application

# Generating the schema reads no data; loading it at import keeps one test per operation.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)


# The commune finder takes an empty ``limit`` as the default (10) where its schema says
# integer; it is fuzzed for 5xx and response shapes only.
LENIENT_OPERATIONS = {"/api/v1/communes/"}


@pytest.fixture
def demo_data(demo, settings, monkeypatch):
    # Fuzzing sends hundreds of requests: the anonymous throttle would answer 429.
    rates = {"anon": "100000/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    # DRF's own throttle class (used by /api/v1/communes/) read its rates at import.
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    # Requests go straight to the WSGI app: like Django's test client, keep the test's
    # connection (and its transaction) open across requests.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield demo
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@hypothesis_settings(
    max_examples=25,
    deadline=None,
    # Same examples on every run (no flaky suite), no example database in the work tree.
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_answers_every_generated_request_within_its_schema(case, demo_data):
    # A schema-valid code may still name no commune or campaign (400 listing the allowed
    # values, by design), so "valid data is accepted" cannot hold; every other check runs:
    # no 5xx, documented status codes, content types and bodies, invalid data rejected.
    excluded = [positive_data_acceptance]
    if case.operation.path in LENIENT_OPERATIONS:
        excluded.append(negative_data_rejection)
    case.call_and_validate(excluded_checks=excluded)


def test_the_schema_declares_throttling_and_every_endpoint(visitor, db):
    response = visitor.get("/api/v1/schema/")
    assert response.status_code == 200
    document = yaml.safe_load(response.content)
    paths = document["paths"]
    for path in [
        "/api/v1/initiatives/",
        "/api/v1/initiatives/{id}/",
        "/api/v1/campaigns/",
        "/api/v1/stats/",
        "/api/v1/communes/",
    ]:
        assert "429" in paths[path]["get"]["responses"], path
        assert "400" in paths[path]["get"]["responses"], path
    assert "Retry-After" in paths["/api/v1/communes/"]["get"]["responses"]["429"]["headers"]
    names = {p["name"] for p in paths["/api/v1/initiatives/"]["get"]["parameters"]}
    assert {
        "q",
        "campaign",
        "theme",
        "commune",
        "epci",
        "arrondissement",
        "department",
        "owner_department",
        "actor_kind",
        "status",
        "updated_since",
        "cursor",
        "page_size",
    } <= names


def test_the_docs_are_served_without_a_cdn(visitor, db):
    response = visitor.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower()
    assert "/static/drf_spectacular_sidecar/" in html
