"""The static set-up of `make run`: collectstatic writes hashed, compressed copies that
WhiteNoise serves with far-future cache headers (the rest of the suite keeps the plain
storage of tests/conftest.py)."""

import gzip
import json
import os
import re
import shutil

import pytest
from django.conf import settings
from django.core.management import call_command
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import override_settings
from django.utils.module_loading import import_string
from whitenoise.middleware import WhiteNoiseMiddleware
from whitenoise.storage import CompressedManifestStaticFilesStorage

ONE_YEAR = 365 * 24 * 3600


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """The site's stylesheets collected once with the settings' own storage; collecting
    the whole DSFR and its icons takes minutes, and the storage is the same."""
    root = tmp_path_factory.mktemp("static")
    # The session's test settings replace it; read the project's default from the module.
    from solidaire import settings as project_settings

    shutil.copytree(settings.BASE_DIR / "solidaire" / "static" / "css", root / "css")
    # An image, as the DSFR's icons: copied as is (stylesheets are rewritten at each run).
    circles = "".join(f'<circle cx="{i}" cy="{i}" r="2"/>' for i in range(100))
    (root / "css" / "icon.svg").write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg">{circles}</svg>'
    )
    storage = project_settings.STORAGES["staticfiles"]["BACKEND"]
    with override_settings(
        STATIC_ROOT=root / "collected",
        STATICFILES_DIRS=[("css", root / "css")],
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
        STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": storage}},
        WHITENOISE_AUTOREFRESH=False,
        WHITENOISE_USE_FINDERS=project_settings.WHITENOISE_USE_FINDERS,
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield root / "collected"


def _serve(path: str, **headers):
    # Built inside the overridden settings: it lists STATIC_ROOT once, as in production.
    middleware = WhiteNoiseMiddleware(lambda request: HttpResponse("not static", status=404))
    return middleware(RequestFactory().get(path, headers=headers))


def test_the_project_uses_the_compressed_manifest_storage_without_finders():
    from solidaire import settings as project_settings

    backend = import_string(project_settings.STORAGES["staticfiles"]["BACKEND"])
    assert issubclass(backend, CompressedManifestStaticFilesStorage)
    assert project_settings.WHITENOISE_USE_FINDERS is False


@pytest.mark.parametrize("encoding", ["gzip", "br"])
def test_a_hashed_stylesheet_is_served_compressed_with_far_future_caching(collected, encoding):
    manifest = json.loads((collected / "staticfiles.json").read_text())
    hashed = manifest["paths"]["css/site.css"]
    assert re.fullmatch(r"css/site\.[0-9a-f]{12}\.css", hashed)
    response = _serve(f"/static/{hashed}", accept_encoding=encoding)
    assert response.status_code == 200
    assert response["Content-Encoding"] == encoding
    assert response["Content-Type"].startswith("text/css")
    cache_control = response["Cache-Control"]
    max_age = int(re.search(r"max-age=(\d+)", cache_control).group(1))
    assert max_age >= ONE_YEAR
    assert "immutable" in cache_control
    # The unhashed name may change content at any time: it is not cached for long.
    plain = _serve("/static/css/site.css", accept_encoding=encoding)
    assert plain.status_code == 200
    assert int(re.search(r"max-age=(\d+)", plain["Cache-Control"]).group(1)) < ONE_YEAR


def test_the_static_tag_names_the_hashed_file(collected):
    from django.templatetags.static import static

    manifest = json.loads((collected / "staticfiles.json").read_text())
    assert static("css/site.css") == "/static/" + manifest["paths"]["css/site.css"]


def test_a_second_collectstatic_compresses_only_what_changed(collected):
    manifest = json.loads((collected / "staticfiles.json").read_text())
    kept = collected / (manifest["paths"]["css/icon.svg"] + ".gz")
    kept_ctime = os.stat(kept).st_ctime_ns
    source = collected.parent / "css" / "site.css"
    source.write_text(source.read_text() + "\n.fr-test-changed { color: red; }\n")
    # collectstatic compares whole seconds: the edit is dated later, as a real one would be.
    later = os.stat(source).st_mtime + 5
    os.utime(source, (later, later))
    call_command("collectstatic", interactive=False, verbosity=0)
    assert os.stat(kept).st_ctime_ns == kept_ctime  # not written again
    manifest = json.loads((collected / "staticfiles.json").read_text())
    changed = collected / (manifest["paths"]["css/site.css"] + ".gz")
    assert gzip.decompress(changed.read_bytes()).endswith(b".fr-test-changed { color: red; }\n")
    plain = collected / "css" / "site.css.gz"
    assert b"fr-test-changed" in gzip.decompress(plain.read_bytes())
