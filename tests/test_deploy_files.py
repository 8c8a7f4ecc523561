"""deploy/ matches the platform's settings: nginx's body limits and timeouts, the forwarded
headers the client address reads, one gunicorn control socket per app server, the
release step, and app servers that keep nothing on their own disk."""

import os
import re
import runpy
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models

from solidaire.imports.views import ENVELOPE_BYTES

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
SITE = (DEPLOY / "nginx" / "territoire-solidaire.conf").read_text()

UNITS = {"k": 1024, "m": 1024 * 1024, "": 1}


def _bytes(value: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([km]?)", value.lower()).groups()
    return int(number) * UNITS[unit]


def _location(path: str) -> str:
    start = SITE.index(f"location {path} {{")
    return SITE[start : SITE.index("\n    }", start)]


def _gunicorn(**env) -> dict:
    old = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    try:
        return runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def test_nginx_lets_django_answer_its_own_body_limits():
    default = _bytes(re.search(r"^    client_max_body_size (\w+);", SITE, re.M).group(1))
    imports = _bytes(re.search(r"client_max_body_size (\w+);", _location("/gestion/imports/"))[1])
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE < default < imports
    assert imports >= settings.IMPORT_MAX_BYTES + ENVELOPE_BYTES


def test_nginx_waits_longer_than_gunicorn_so_a_killed_request_gets_the_502_page():
    read = int(re.search(r"proxy_read_timeout (\d+)s;", _location("/")).group(1))
    assert read > _gunicorn()["timeout"]


def test_nginx_forwards_what_the_client_address_setting_reads():
    assert settings.TRUSTED_PROXY_HEADER == "HTTP_X_FORWARDED_FOR"
    for path in ("/", "/gestion/imports/", "= /sante/"):
        block = _location(path)
        assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in block
        assert "proxy_set_header X-Forwarded-Proto $scheme;" in block
    env = (DEPLOY / "env.example").read_text()
    assert "TRUSTED_PROXY_COUNT=1\n" in env
    assert "SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https\n" in env


def test_nginx_answers_its_own_errors_in_french():
    assert "error_page 502 504 /erreurs/502.html;" in SITE
    for name in ("502.html", "413.html"):
        page = (DEPLOY / "nginx" / "erreurs" / name).read_text()
        assert '<html lang="fr">' in page and "<h1>" in page


def test_each_app_server_has_its_own_control_socket():
    first, second = _gunicorn(PORT="8001"), _gunicorn(PORT="8002")
    assert first["bind"] == "127.0.0.1:8001"
    assert first["control_socket"] != second["control_socket"]
    assert first["control_socket"].endswith("gunicorn-8001.ctl")
    units = (DEPLOY / "systemd" / "territoire-solidaire-web@.service").read_text()
    assert "GUNICORN_CONTROL_SOCKET=/run/territoire-solidaire/gunicorn-%i.ctl" in units


def test_the_release_step_migrates_refreshes_the_territory_and_collects_static_files():
    release = next(
        line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("release:")
    )
    for command in ("migrate --noinput", "load_territory", "collectstatic --noinput"):
        assert f"manage.py {command}" in release


def test_app_servers_keep_nothing_on_their_own_disk():
    # Uploaded documents are read into the database (ImportedDocument.text), generated PDFs
    # are cached in the shared cache, sessions are in the database: no file field of ours.
    file_fields = {
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    }
    assert not {name for name in file_fields if not name.startswith("dsfr.")}
    # django-dsfr's admin logo goes to the default storage, which a setting names.
    assert settings.SESSION_ENGINE in (
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cache",
        "django.contrib.sessions.backends.cached_db",
    )
