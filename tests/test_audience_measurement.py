"""Audience measurement (Matomo): off by default, no script and no widened policy; on when
MATOMO_URL and MATOMO_SITE_ID are set, on public pages only, and said on the privacy page."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings

from solidaire.settings import content_security_policy

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
MATOMO = "https://stats.example.gouv.fr/"
ON = {
    "MATOMO_URL": MATOMO,
    "MATOMO_SITE_ID": "7",
    "CONTENT_SECURITY_POLICY": content_security_policy(matomo_url=MATOMO),
}


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


def test_off_by_default_no_script_and_no_other_origin(visitor):
    response = visitor.get("/")
    html = response.content.decode()
    assert "matomo" not in html.lower()
    policy = directives(response)
    for name in ("script-src", "connect-src"):
        assert policy[name] == ["'self'"]
    assert "stats.example.gouv.fr" not in response["Content-Security-Policy"]


@override_settings(**ON)
def test_on_a_public_page_the_script_is_wired_by_data_attributes(visitor):
    response = visitor.get("/initiatives/")
    html = response.content.decode()
    assert 'src="/static/js/matomo.js"' in html
    assert f'data-matomo-url="{MATOMO}"' in html and 'data-matomo-site="7"' in html
    # The site's own file: no inline script, and the policy names only Matomo's origin more.
    assert "_paq" not in html
    policy = directives(response)
    for name in ("script-src", "connect-src", "img-src"):
        assert "https://stats.example.gouv.fr" in policy[name], name
    assert policy["script-src"] == ["'self'", "https://stats.example.gouv.fr"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


@override_settings(**ON)
def test_staff_pages_and_signed_in_staff_are_never_measured(client, moderator62):
    client.force_login(moderator62)
    for path in ("/gestion/", "/initiatives/", "/comptes/connexion/"):
        assert "matomo.js" not in client.get(path).content.decode(), path
    assert "matomo.js" not in Client().get("/comptes/connexion/").content.decode()


@override_settings(**ON)
def test_a_private_link_is_never_measured(visitor):
    html = visitor.get("/alertes/gerer/pas-un-vrai-jeton/").content.decode()
    assert "matomo.js" not in html


@override_settings(PAGE_CACHE=False)  # the same page, seen with two settings
def test_the_privacy_page_says_what_is_measured_only_when_it_is(visitor):
    off = visitor.get("/donnees-personnelles/").content.decode()
    assert "Matomo" not in off and "ni outil de mesure d'audience" in off
    with override_settings(**ON):
        on = visitor.get("/donnees-personnelles/").content.decode()
    assert "Matomo" in on and "stats.example.gouv.fr" in on
    assert "aucun cookie n'est déposé" in on and "anonymisée" in on


def test_the_script_sets_the_cnil_exempt_configuration():
    script = (ROOT / "solidaire/static/js/matomo.js").read_text()
    for call in ("disableCookies", "setCustomUrl", "trackPageView", "doNotTrack"):
        assert call in script, call
    for call in (
        "setUserId",
        "enableCrossDomainLinking",
        "trackEcommerce",
        "HeatmapSessionRecording",
    ):
        assert call not in script, call


def test_the_settings_widen_the_policy_only_when_both_variables_are_set():
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['script-src']))"
    )

    def script_src(**env):
        process = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env={
                "PATH": os.environ["PATH"],
                "DJANGO_ENV": "dev",
                "DJANGO_SETTINGS_MODULE": "solidaire.settings",
                **env,
            },
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert process.returncode == 0, process.stderr
        return json.loads(process.stdout)

    assert script_src(MATOMO_URL="https://stats.example.gouv.fr") == ["'self'"]
    assert script_src(MATOMO_URL="https://stats.example.gouv.fr", MATOMO_SITE_ID="7") == [
        "'self'",
        "https://stats.example.gouv.fr",
    ]
