"""Safe production, easy development: outside DJANGO_ENV=dev the platform refuses the
embedded defaults, turns HTTPS protections on and passes `check --deploy`; every page is
served under a Content-Security-Policy that allows no inline script or style.

The production profile is read when settings are imported, so those tests start a process
of their own with a clean environment (pytest itself runs in the development profile).
"""

import json
import os
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from solidaire.accounts.models import User

ROOT = Path(__file__).resolve().parent.parent

# The production environment documented in the README ("Production"), with a fresh key.
PRODUCTION_ENV = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "solidaire.example.gouv.fr",
    "CSRF_TRUSTED_ORIGINS": "https://solidaire.example.gouv.fr",
    "SITE_ROOT": "https://solidaire.example.gouv.fr",
    "DATABASE_URL": "postgres://solidaire@127.0.0.1:5432/solidaire",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "TRUSTED_PROXY_COUNT": "1",
    "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
    "SECURITY_CONTACT": "mailto:securite@example.gouv.fr",
}


def _run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run Python in the project with only ``env`` (no DJANGO_ENV unless given)."""
    base = {"PATH": os.environ.get("PATH", ""), "DJANGO_SETTINGS_MODULE": "solidaire.settings"}
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _settings_of(env: dict[str, str], *names: str) -> dict:
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}))"
    )
    process = _run("-c", code, env=env)
    assert process.returncode == 0, process.stderr
    return json.loads(process.stdout)


def test_check_deploy_is_clean_with_the_documented_production_environment():
    process = _run("manage.py", "check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert process.returncode == 0, process.stdout + process.stderr
    assert "System check identified no issues" in process.stdout, process.stdout + process.stderr


@pytest.mark.parametrize(
    ("missing", "value", "message"),
    [
        ("SECRET_KEY", None, "SECRET_KEY manquante"),
        ("SECRET_KEY", "dev-only-insecure-key-change-me-in-production", "SECRET_KEY manquante"),
        ("ALLOWED_HOSTS", None, "ALLOWED_HOSTS vide"),
        ("SECURITY_CONTACT", None, "SECURITY_CONTACT manquante"),
        ("SECURITY_CONTACT", "securite@example.gouv.fr", "mailto: ou https://"),
    ],
)
def test_a_production_start_on_a_development_default_is_refused(missing, value, message):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    if value is not None:
        env[missing] = value
    process = _run("-c", "import django; django.setup()", env=env)
    assert process.returncode != 0
    assert message in process.stderr
    assert "ImproperlyConfigured" in process.stderr


def test_a_proxy_that_does_not_forward_the_scheme_can_turn_the_redirect_off():
    # check --deploy above shows the redirect, HSTS and secure cookies on by default.
    names = ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "SECURE_HSTS_SECONDS")
    behind_proxy = _settings_of({**PRODUCTION_ENV, "SECURE_SSL_REDIRECT": "False"}, *names)
    assert behind_proxy == {
        "SECURE_SSL_REDIRECT": False,
        "SESSION_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 365 * 24 * 3600,
    }


def test_the_development_profile_keeps_the_embedded_defaults():
    values = _settings_of({"DJANGO_ENV": "dev"}, "SECURE_SSL_REDIRECT", "ALLOWED_HOSTS")
    assert values == {
        "SECURE_SSL_REDIRECT": False,
        "ALLOWED_HOSTS": ["127.0.0.1", "localhost", "testserver"],
    }


@override_settings(DEVELOPMENT=False)
def test_load_demo_refuses_to_run_outside_development(db):
    with pytest.raises(CommandError, match="DJANGO_ENV=dev"):
        call_command("load_demo")
    assert not User.objects.exists()


class _InlineCode(HTMLParser):
    """Inline scripts, event handlers and style attributes of a page."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script" and "src" not in names and names.get("type") != "application/json":
            self.found.append(f"<script> without src at {self.getpos()}")
        if tag == "style":
            self.found.append(f"<style> at {self.getpos()}")
        for name in names:
            if name.startswith("on") or name == "style":
                self.found.append(f"<{tag} {name}=…> at {self.getpos()}")


PAGES = [
    "/",
    "/initiatives/",
    "/initiatives/proposer/",
    "/carte/",
    "/communes/",
    "/communes/62193/",
    "/pres-de-chez-moi/",
    "/bulletins/",
    "/chiffres/",
    "/donnees/",
    "/comptes/connexion/",
    "/comptes/mot-de-passe/",
    "/admin/login/",
    "/api/v1/docs/",
    "/page-qui-n-existe-pas/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_pages_carry_a_strict_policy_and_no_inline_code(client, path):
    response = client.get(path, follow=True)
    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    parser = _InlineCode()
    parser.feed(response.content.decode())
    assert parser.found == []
