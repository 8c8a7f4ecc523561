"""The read-replica router (solidaire/replica.py): public reads go to the replica, a client
that just wrote reads from the primary, and a replica down or lagging is left aside (logged)."""

import logging

import pytest
from django.db import OperationalError
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from solidaire import replica
from solidaire.initiatives.models import Initiative
from solidaire.replica import PIN_COOKIE, PrimaryPinMiddleware, ReplicaRouter

ROUTER = ReplicaRouter()


@pytest.fixture(autouse=True)
def replica_up(monkeypatch):
    """A configured replica that answers, lag 0, probed on every call."""
    state = {"lag": 0.0, "down": False, "probes": 0}

    def probe():
        state["probes"] += 1
        if state["down"]:
            raise OperationalError("connection refused")
        return state["lag"]

    monkeypatch.setattr(replica, "replica_configured", lambda: True)
    monkeypatch.setattr(replica, "probe_replica", probe)
    replica.replica_reset()
    with override_settings(
        REPLICA_CHECK_SECONDS=0, REPLICA_RETRY_SECONDS=0, REPLICA_MAX_LAG_SECONDS=10
    ):
        yield state
    replica.replica_reset()


def read_during(request, *, write_first=False, model=Initiative):
    """(database a read went to inside the request, response)."""
    seen = {}

    def view(request):
        if write_first:
            ROUTER.db_for_write(model)
        seen["db"] = ROUTER.db_for_read(model)
        return HttpResponse("ok")

    response = PrimaryPinMiddleware(view)(request)
    return seen["db"], response


def test_a_public_page_reads_from_the_replica():
    db, response = read_during(RequestFactory().get("/initiatives/"))
    assert db == "replica"
    assert PIN_COOKIE not in response.cookies


def test_a_post_is_answered_from_the_primary_and_pins_the_client():
    db, response = read_during(RequestFactory().post("/initiatives/proposer/"))
    assert db == "default"
    cookie = response.cookies[PIN_COOKIE]
    assert cookie["max-age"] == 60
    assert cookie["httponly"]


def test_a_client_that_just_wrote_reads_from_the_primary():
    request = RequestFactory().get("/initiatives/suivi/abc/")
    request.COOKIES[PIN_COOKIE] = "1"
    assert read_during(request)[0] == "default"


def test_reads_after_a_write_in_the_same_request_come_from_the_primary():
    assert read_during(RequestFactory().get("/"), write_first=True)[0] == "default"


@pytest.mark.parametrize("path", ["/gestion/", "/admin/", "/comptes/connexion/", "/sante/"])
def test_staff_areas_and_the_health_check_read_from_the_primary(path):
    assert read_during(RequestFactory().get(path))[0] == "default"


def test_sessions_and_accounts_always_come_from_the_primary():
    from django.contrib.sessions.models import Session

    assert read_during(RequestFactory().get("/"), model=Session)[0] == "default"


def test_outside_a_request_reads_come_from_the_primary():
    # The worker, the scheduler and commands never read from the replica.
    assert ROUTER.db_for_read(Initiative) == "default"


def test_migrations_run_on_the_primary_only():
    assert ROUTER.allow_migrate("default", "initiatives")
    assert not ROUTER.allow_migrate("replica", "initiatives")


def test_a_replica_down_falls_back_to_the_primary_and_says_so_once(replica_up, caplog):
    replica_up["down"] = True
    with caplog.at_level(logging.WARNING, logger="solidaire.replica"):
        assert read_during(RequestFactory().get("/"))[0] == "default"
        assert read_during(RequestFactory().get("/"))[0] == "default"
    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 1
    assert "injoignable" in warnings[0] and "primary" in warnings[0]
    replica_up["down"] = False
    with caplog.at_level(logging.WARNING, logger="solidaire.replica"):
        assert read_during(RequestFactory().get("/"))[0] == "replica"
    assert "back" in caplog.records[-1].getMessage()


def test_a_lagging_replica_is_left_aside(replica_up):
    replica_up["lag"] = 11.0
    assert read_during(RequestFactory().get("/"))[0] == "default"
    replica_up["lag"] = 9.0
    assert read_during(RequestFactory().get("/"))[0] == "replica"


def test_the_replica_is_probed_at_most_once_per_period(replica_up):
    with override_settings(REPLICA_CHECK_SECONDS=60):
        for _ in range(5):
            read_during(RequestFactory().get("/"))
    assert replica_up["probes"] == 1


def test_a_replica_found_down_is_tried_again_less_often(replica_up):
    replica_up["down"] = True
    with override_settings(REPLICA_RETRY_SECONDS=60):
        for _ in range(5):
            assert read_during(RequestFactory().get("/"))[0] == "default"
    assert replica_up["probes"] == 1
