"""/.well-known/security.txt, read as RFC 9116 says a client reads it."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db

FIELD_RE = re.compile(r"^([A-Za-z-]+): (.+)$")


def fields(text: str) -> dict[str, list[str]]:
    """RFC 9116 section 2.1 lines: "Name: value", comments (#) and blank lines ignored."""
    found: dict[str, list[str]] = {}
    for line in text.split("\n"):
        if not line or line.startswith("#"):
            continue
        match = FIELD_RE.match(line)
        assert match, f"not a field line: {line!r}"
        found.setdefault(match.group(1).lower(), []).append(match.group(2))
    return found


def get(client):
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    return response


def test_the_file_is_plain_utf8_text_with_the_required_fields(visitor, settings):
    response = get(visitor)
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.endswith("\n") and "\r" not in text
    found = fields(text)
    # Contact: one at least, a URI (RFC 9116, 2.5.3).
    assert found["contact"] and all(c.startswith(("mailto:", "https://")) for c in found["contact"])
    assert found["contact"] == [settings.SECURITY_CONTACT]
    assert found["preferred-languages"] == ["fr, en"]
    assert found["canonical"] == [f"{settings.SITE_ROOT}/.well-known/security.txt"]
    assert "policy" not in found


def test_expires_is_once_in_iso_8601_utc_in_the_future_and_under_a_year(visitor):
    before = datetime.now(UTC)
    found = fields(get(visitor).content.decode())
    (expires,) = found["expires"]  # exactly once (2.5.5)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", expires)
    when = datetime.strptime(expires, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert before < when < before + timedelta(days=365)


@override_settings(SECURITY_TXT_EXPIRES_DAYS=30)
def test_expires_follows_its_setting_and_no_copy_is_kept_past_it(visitor):
    response = get(visitor)
    (expires,) = fields(response.content.decode())["expires"]
    when = datetime.strptime(expires, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert abs(when - (datetime.now(UTC) + timedelta(days=30))) < timedelta(minutes=5)
    max_age = int(re.search(r"max-age=(\d+)", response["Cache-Control"]).group(1))
    assert 0 < max_age <= 30 * 24 * 3600


@override_settings(
    SECURITY_CONTACT="https://www.example.gouv.fr/signaler-une-faille",
    SECURITY_POLICY_URL="https://www.example.gouv.fr/divulgation",
    SITE_ROOT="https://solidaire.example.gouv.fr",
)
def test_an_https_contact_and_a_policy_are_published(visitor):
    found = fields(get(visitor).content.decode())
    assert found["contact"] == ["https://www.example.gouv.fr/signaler-une-faille"]
    assert found["policy"] == ["https://www.example.gouv.fr/divulgation"]
    assert found["canonical"] == ["https://solidaire.example.gouv.fr/.well-known/security.txt"]


def test_only_get_is_answered(visitor):
    assert visitor.post("/.well-known/security.txt").status_code == 405
