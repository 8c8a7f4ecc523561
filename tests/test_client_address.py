"""The client's address, read once (solidaire/client_address.py): a forwarding header
counts only as far as TRUSTED_PROXY_COUNT proxies vouch for it, for the public form's
limit and the API's throttle alike."""

import pytest
from django.test import Client, RequestFactory, override_settings

from solidaire.client_address import client_ip
from solidaire.initiatives.models import Initiative, Status
from tests.factories import make_initiative
from tests.initiatives.factories import propose_data

PROXY = "10.0.0.2"
SPOOFED = "198.51.100.66"


def _request(forwarded: str):
    return RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


@override_settings(TRUSTED_PROXY_COUNT=0)
def test_without_a_trusted_proxy_a_spoofed_forwarded_for_is_ignored():
    assert client_ip(_request(SPOOFED)) == PROXY


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_right_most_untrusted_address_is_used():
    # The client wrote the first entry itself; the proxy appended the address it saw.
    assert client_ip(_request(f"{SPOOFED}, 203.0.113.7")) == "203.0.113.7"
    assert client_ip(RequestFactory().get("/", REMOTE_ADDR=PROXY)) == PROXY


@override_settings(TRUSTED_PROXY_COUNT=1, TRUSTED_PROXY_HEADER="HTTP_X_REAL_IP")
def test_the_header_is_a_setting():
    request = RequestFactory().get(
        "/", REMOTE_ADDR=PROXY, HTTP_X_REAL_IP="203.0.113.8", HTTP_X_FORWARDED_FOR=SPOOFED
    )
    assert client_ip(request) == "203.0.113.8"


def _via_proxy(forwarded: str) -> Client:
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


@pytest.mark.django_db
@override_settings(SUBMIT_RATE_LIMIT="2/h", TRUSTED_PROXY_COUNT=1)
def test_the_submission_limit_keys_on_the_client_behind_the_proxy():
    url = "/initiatives/proposer/"
    first = _via_proxy("203.0.113.7")
    assert [first.post(url, propose_data()).status_code for _ in range(3)] == [302, 302, 429]
    # Another visitor behind the same proxy has a bucket of their own.
    assert _via_proxy("203.0.113.8").post(url, propose_data()).status_code == 302
    # Prepending a made-up address changes nothing: the proxy's entry is still the last.
    assert _via_proxy(f"{SPOOFED}, 203.0.113.7").post(url, propose_data()).status_code == 429
    assert Initiative.objects.count() == 3


@pytest.mark.django_db
@override_settings(SUBMIT_RATE_LIMIT="2/h", TRUSTED_PROXY_COUNT=0)
def test_without_a_proxy_a_new_forwarded_for_does_not_reset_the_submission_limit():
    url = "/initiatives/proposer/"
    codes = [_via_proxy(f"203.0.113.{n}").post(url, propose_data()).status_code for n in (1, 2, 3)]
    assert codes == [302, 302, 429]


@pytest.fixture
def api_rate(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/min"},
    }


@pytest.mark.django_db
@override_settings(TRUSTED_PROXY_COUNT=1)
def test_the_api_throttle_keys_on_the_client_behind_the_proxy(api_rate):
    # Distinct query strings: an answer served from the page cache is not counted.
    url = "/api/v1/initiatives/?page_size={}"
    first = _via_proxy("203.0.113.7")
    assert [first.get(url.format(n)).status_code for n in (1, 2, 3)] == [200, 200, 429]
    assert _via_proxy("203.0.113.8").get(url.format(4)).status_code == 200
    assert _via_proxy(f"{SPOOFED}, 203.0.113.7").get(url.format(5)).status_code == 429


@pytest.mark.django_db
@override_settings(TRUSTED_PROXY_COUNT=0)
def test_without_a_proxy_a_spoofed_forwarded_for_does_not_escape_the_api_throttle(api_rate):
    url = "/api/v1/initiatives/?page_size={}"
    codes = [_via_proxy(f"203.0.113.{n}").get(url.format(n)).status_code for n in (1, 2, 3)]
    assert codes == [200, 200, 429]


@pytest.mark.django_db
@override_settings(REPORT_RATE_LIMIT="1/h", TRUSTED_PROXY_COUNT=1)
def test_the_report_limit_is_a_setting_and_keys_on_the_client_behind_the_proxy():
    initiative = make_initiative(status=Status.PUBLISHED)
    url = f"/initiatives/{initiative.pk}/signaler/"
    first = _via_proxy("203.0.113.7")
    codes = [first.post(url, {"message": f"Erreur n°{n}"}).status_code for n in (1, 2)]
    assert codes == [302, 429]
    assert _via_proxy("203.0.113.8").post(url, {"message": "Autre"}).status_code == 302
