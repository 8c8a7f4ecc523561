"""Error reporting (Sentry): off without SENTRY_DSN; with it, an exception becomes an event
that carries no personal data. The SDK runs for real, its HTTP transport replaced by one
that keeps the envelopes it would have sent."""

import json
import logging

import pytest
import sentry_sdk
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import path
from sentry_sdk.transport import Transport

from solidaire.accounts.models import User
from solidaire.errorreporting import error_reporting_init, scrub_breadcrumb, scrub_event

pytestmark = pytest.mark.django_db

EMAIL = "jeanne.martin@example.org"
PHONE = "06 12 34 56 78"
NAME = "Jeanne Martin"
COOKIE = "cookie-value-7f3a9c"
TOKEN = "Zx81qWe4rTy7uIo0pAs3dFg6"


def failing_view(request, token):
    logging.getLogger("solidaire.test").warning("Proposition reçue de %s", EMAIL)
    User.objects.filter(email=request.POST.get("email", "")).exists()
    raise ValueError(f"Impossible d'enregistrer {EMAIL} ({PHONE})")


def fine_view(request):
    return HttpResponse("ok")


urlpatterns = [
    path("echec/<str:token>/", failing_view),
    path("ok/", fine_view),
]


class KeptEnvelopes(Transport):
    """What would have gone to Sentry, kept in memory."""

    sent: list = []

    def capture_envelope(self, envelope):
        KeptEnvelopes.sent.append(envelope.serialize().decode("utf-8", "replace"))


@pytest.fixture
def reporting():
    KeptEnvelopes.sent = []
    error_reporting_init(
        dsn="https://publickey@sentry.invalid/42",
        environment="recette",
        release="territoire-solidaire@1.2.3",
        transport=KeptEnvelopes,
    )
    yield KeptEnvelopes.sent
    sentry_sdk.get_client().close()
    sentry_sdk.get_global_scope().set_client(None)  # off again for the other tests


def events(envelopes):
    found = []
    for envelope in envelopes:
        for line in envelope.splitlines():
            if line.startswith("{") and '"exception"' in line:
                found.append(json.loads(line))
    return found


@override_settings(ROOT_URLCONF=__name__)
def test_an_exception_is_reported_without_any_personal_data(reporting):
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = COOKIE
    client.cookies["ts_primaire"] = COOKIE
    response = client.post(
        f"/echec/{TOKEN}/?token={TOKEN}&page=2",
        {"name": NAME, "email": EMAIL, "phone": PHONE},
        HTTP_X_FORWARDED_FOR="203.0.113.7",
        HTTP_REFERER=f"https://example.org/?email={EMAIL}",
    )
    assert response.status_code == 500
    sentry_sdk.flush()
    (event,) = events(reporting)
    payload = json.dumps(event, ensure_ascii=False)

    # The report is there, and usable.
    assert event["exception"]["values"][0]["type"] == "ValueError"
    assert event["environment"] == "recette"
    assert event["release"] == "territoire-solidaire@1.2.3"
    assert "failing_view" in payload
    assert set(event["request"]["data"]) == {"name", "email", "phone"}
    assert event["breadcrumbs"]["values"], "the log line and the query are breadcrumbs"

    # Nothing of the visitor's.
    for secret in (EMAIL, PHONE, "0612345678", NAME, COOKIE, TOKEN, "203.0.113.7", "sessionid"):
        assert secret not in payload, secret
    assert "cookies" not in event["request"]
    assert not {"cookie", "referer", "x-forwarded-for"} & {
        h.lower() for h in event["request"].get("headers", {})
    }


@override_settings(ROOT_URLCONF=__name__)
def test_a_request_that_succeeds_sends_nothing(reporting):
    assert Client().get("/ok/").status_code == 200
    sentry_sdk.flush()
    assert events(reporting) == []


def test_without_a_dsn_the_sdk_is_off(settings):
    assert settings.SENTRY_DSN == ""
    assert not sentry_sdk.get_client().is_active()


def test_the_sdk_is_told_to_collect_no_personal_data(reporting):
    assert sentry_sdk.get_client().should_send_default_pii() is False
    assert sentry_sdk.get_client().options["include_local_variables"] is False
    assert sentry_sdk.get_client().options["before_send_transaction"] is scrub_event


def test_a_request_keeps_only_its_field_and_parameter_names():
    # What the SDK sends when told to collect more (headers, cookies, query strings).
    event = {
        "request": {
            "url": f"https://example.org/initiatives/suivi/{TOKEN}/?email={EMAIL}",
            "query_string": f"email={EMAIL}&token={TOKEN}",
            "cookies": {"sessionid": COOKIE},
            "headers": {"Cookie": f"sessionid={COOKIE}", "User-Agent": "Firefox", "Referer": "x"},
            "data": {"name": NAME, "phone": PHONE},
            "env": {"REMOTE_ADDR": "203.0.113.7"},
        }
    }
    request = scrub_event(event)["request"]
    assert request == {
        "url": "https://example.org/initiatives/suivi/[filtré]/",
        "query_string": "email=[filtr%C3%A9]&token=[filtr%C3%A9]",
        "headers": {"User-Agent": "Firefox"},
        "data": {"name": "[filtré]", "phone": "[filtré]"},
    }


def test_user_fields_but_the_id_are_dropped():
    event = {"user": {"id": 7, "email": EMAIL, "username": "jmartin", "ip_address": "1.2.3.4"}}
    assert scrub_event(event)["user"] == {"id": 7}


def test_a_breadcrumb_loses_its_sql_parameters_and_its_query_string():
    crumb = {
        "category": "query",
        "message": f"SELECT … WHERE email = '{EMAIL}'",
        "data": {"params": [EMAIL], "url": f"/alertes/?email={EMAIL}"},
    }
    scrubbed = scrub_breadcrumb(crumb)
    assert "params" not in scrubbed["data"]
    assert scrubbed["data"]["url"] == "/alertes/"
    assert EMAIL not in json.dumps(scrubbed)
