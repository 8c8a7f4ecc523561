"""manage.py publish_datagouv against a local stand-in of data.gouv.fr's API."""

import hashlib
import io
import json
import logging

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.test import override_settings

from solidaire.opendata import datagouv
from solidaire.opendata.full_exports import export_storage, exports_build
from solidaire.opendata.models import DatagouvDataset, ExportFile
from tests.factories import make_initiative
from tests.opendata.datagouv_standin import API_KEY, ORGANIZATION, Fault, start

pytestmark = pytest.mark.django_db

FILES = [
    "initiatives.csv",
    "initiatives.geojson",
    "data-inclusion-structures.json",
    "data-inclusion-services.json",
    "datapackage.json",
]


@pytest.fixture
def standin(monkeypatch):
    standin, server = start()
    monkeypatch.setattr(datagouv, "BACKOFF_SECONDS", 0.01)
    with override_settings(
        DATAGOUV_API_URL=standin.url,
        DATAGOUV_API_KEY=API_KEY,
        DATAGOUV_ORGANIZATION=ORGANIZATION,
        DATAGOUV_DATASET="",
        DATAGOUV_TIMEOUT=1,
        DATAGOUV_ATTEMPTS=3,
    ):
        yield standin
    server.shutdown()
    server.server_close()
    assert standin.violations == []


def _run() -> str:
    out = io.StringIO()
    call_command("publish_datagouv", stdout=out)
    return out.getvalue()


@pytest.fixture
def published(standin):
    make_initiative(contacts=(("email", "aide@asso.example.org"),))
    exports_build()
    _run()
    standin.calls.clear()
    return standin


def test_the_first_run_creates_the_dataset_with_its_five_files(standin):
    make_initiative(contacts=(("email", "aide@asso.example.org"),))
    exports_build()
    output = _run()
    (dataset,) = standin.datasets.values()
    assert "créé" in output and dataset["id"] in output
    assert dataset["organization"] == ORGANIZATION
    assert dataset["private"] is False and dataset["license"] == "lov2"
    resources = {r["extras"][datagouv.EXTRA_KEY]: r for r in dataset["resources"]}
    assert [r["url"].rsplit("/", 1)[1] for r in dataset["resources"]] == FILES
    assert resources["datapackage"]["type"] == "documentation"
    assert resources["csv"]["title"] == "Initiatives solidaires (CSV)"
    with export_storage().open(ExportFile.objects.get(fmt="csv").name, "rb") as handle:
        csv_sha1 = hashlib.sha1(handle.read()).hexdigest()
    assert resources["csv"]["checksum"] == {"type": "sha1", "value": csv_sha1}
    # The calls, in order: a private draft, its files, made public last.
    writes = standin.writes
    assert writes[0] == ("POST", "/api/1/datasets/")
    assert writes[-1] == ("PUT", f"/api/1/datasets/{dataset['id']}/")
    assert [w for w in writes if w[1].endswith("/upload/")] == [
        ("POST", f"/api/1/datasets/{dataset['id']}/upload/")
    ] * 5
    assert DatagouvDataset.objects.get(api_url=standin.url).dataset == dataset["id"]


def test_a_second_run_changes_nothing(published):
    before = published.snapshot()
    output = _run()
    assert published.writes == []
    assert published.snapshot() == before
    assert "déjà à jour" in output


def test_the_dataset_setting_is_used_when_given(published):
    (dataset,) = published.datasets.values()
    DatagouvDataset.objects.all().delete()
    with override_settings(DATAGOUV_DATASET=dataset["slug"]):
        _run()
    assert published.calls == [("GET", f"/api/1/datasets/{dataset['slug']}/")]
    assert len(published.datasets) == 1


def _replace_stored(fmt: str, data: bytes) -> None:
    file = ExportFile.objects.get(fmt=fmt)
    file.name = export_storage().save(f"opendata/test-{fmt}.geojson", ContentFile(data))
    file.sha256 = hashlib.sha256(data).hexdigest()
    file.size = len(data)
    file.save()


def test_an_updated_export_uploads_exactly_the_changed_resource(published):
    (dataset,) = published.datasets.values()
    geojson = next(r for r in dataset["resources"] if r["title"].endswith("(GeoJSON)"))
    others = {r["id"]: r["checksum"] for r in dataset["resources"] if r is not geojson}
    new = json.dumps({"type": "FeatureCollection", "features": []}).encode()
    _replace_stored("geojson", new)
    output = _run()
    base = f"/api/1/datasets/{dataset['id']}/resources/{geojson['id']}/"
    # The file replaced in place (same id), then its title and extras set again.
    assert published.writes == [("POST", base + "upload/"), ("PUT", base)]
    (after,) = published.datasets.values()
    replaced = next(r for r in after["resources"] if r["id"] == geojson["id"])
    assert replaced["checksum"]["value"] == hashlib.sha1(new).hexdigest()
    assert replaced["title"] == "Initiatives solidaires (GeoJSON)"
    assert {
        r["id"]: r["checksum"] for r in after["resources"] if r["id"] != geojson["id"]
    } == others
    assert "initiatives.geojson" in output


def test_a_server_error_is_retried(published, caplog):
    _replace_stored("geojson", b'{"type": "FeatureCollection", "features": [1]}')
    published.faults.append(Fault("POST", r".*/upload/", status=500, times=1))
    with caplog.at_level(logging.WARNING, logger="solidaire.opendata.datagouv"):
        _run()
    uploads = [w for w in published.writes if w[1].endswith("/upload/")]
    assert len(uploads) == 2  # the 500, then the success
    assert "essai 1/3 : HTTP 500" in caplog.text
    (dataset,) = published.datasets.values()
    geojson = next(r for r in dataset["resources"] if r["title"].endswith("(GeoJSON)"))
    assert (
        geojson["checksum"]["value"]
        == hashlib.sha1(b'{"type": "FeatureCollection", "features": [1]}').hexdigest()
    )


def test_a_persistent_time_out_stops_in_french_and_leaves_the_published_state(published, caplog):
    before = published.snapshot()
    _replace_stored("geojson", b'{"type": "FeatureCollection", "features": [2]}')
    published.faults.append(Fault("POST", r".*/upload/", status=None, times=None, delay=0.6))
    with (
        override_settings(DATAGOUV_TIMEOUT=0.2),
        caplog.at_level(logging.WARNING, logger="solidaire.opendata.datagouv"),
        pytest.raises(CommandError) as raised,
    ):
        _run()
    message = str(raised.value)
    assert message.startswith("Publication sur data.gouv.fr interrompue")
    assert "après 3 essai(s)" in message and "pas de réponse en 0.2 s" in message
    assert "Publication sur data.gouv.fr interrompue" in caplog.text
    assert len([w for w in published.writes if w[1].endswith("/upload/")]) == 3
    assert published.snapshot() == before


def test_a_time_out_while_creating_leaves_no_public_dataset(standin):
    make_initiative()
    exports_build()
    standin.faults.append(Fault("POST", r".*/upload/", status=None, times=None, delay=0.6))
    with override_settings(DATAGOUV_TIMEOUT=0.2), pytest.raises(CommandError):
        _run()
    (draft,) = standin.datasets.values()
    assert draft["private"] is True and draft["resources"] == []
    # The next run completes the same draft rather than creating another.
    standin.faults.clear()
    _run()
    (dataset,) = standin.datasets.values()
    assert dataset["id"] == draft["id"] and dataset["private"] is False
    assert len(dataset["resources"]) == 5


def test_a_refusal_is_reported_in_french_without_retrying(standin):
    make_initiative()
    exports_build()
    with (
        override_settings(DATAGOUV_API_KEY="udata_mauvaise-cle"),
        pytest.raises(CommandError, match=r"data.gouv.fr a refusé POST datasets/ \(HTTP 401\)"),
    ):
        _run()
    assert standin.calls == [("POST", "/api/1/datasets/")]
    assert standin.datasets == {}
    standin.violations.clear()  # the stand-in recorded the bad key: that was the point


def test_without_an_api_key_nothing_is_sent(standin):
    with (
        override_settings(DATAGOUV_API_KEY=""),
        pytest.raises(CommandError, match="DATAGOUV_API_KEY n'est pas réglée"),
    ):
        _run()
    assert standin.calls == []
