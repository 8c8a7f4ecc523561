"""Full exports generated ahead of time, and filtered exports that are never cut."""

import base64
import csv
import hashlib
import io
import json

import pytest
from django.test import Client, override_settings

from solidaire.initiatives.erasure import personal_data_erase
from solidaire.initiatives.models import Status
from solidaire.initiatives.selectors import InitiativeFilters, initiative_search
from solidaire.initiatives.services import initiative_bulk_publish
from solidaire.opendata import full_exports, views
from solidaire.opendata.full_exports import ALL_FORMATS, export_storage, exports_build
from solidaire.opendata.models import ExportFile
from solidaire.outbox.registry import registered_job
from tests.factories import make_initiative

pytestmark = pytest.mark.django_db


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def _sha256_digest(data: bytes) -> str:
    return f"sha-256=:{base64.b64encode(hashlib.sha256(data).digest()).decode()}:"


def _stored(fmt: str) -> bytes:
    with export_storage().open(ExportFile.objects.get(fmt=fmt).name, "rb") as handle:
        return handle.read()


def test_the_job_writes_every_full_file_with_its_size_and_checksum(demo):
    built = {file.fmt: file for file in exports_build()}
    assert set(built) == set(ALL_FORMATS)
    public = initiative_search(filters=InitiativeFilters()).count()
    for fmt, file in built.items():
        data = _stored(fmt)
        assert file.size == len(data)
        assert file.sha256 == hashlib.sha256(data).hexdigest()
        # data·inclusion takes only the initiatives still running: not the demo set's
        # archived one (test_data_inclusion.py).
        assert file.rows == (public - 1 if fmt.startswith("di-") else public)
    rows = list(csv.DictReader(io.StringIO(_stored("csv").decode(), newline="")))
    assert len(rows) == built["csv"].rows > 0
    assert json.loads(_stored("json"))[0]["id"] == int(rows[0]["id"])
    assert json.loads(_stored("geojson"))["type"] == "FeatureCollection"
    assert _stored("tableur").startswith("\ufeff".encode())


def test_a_new_generation_replaces_the_file_and_drops_the_old_one(
    demo, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        exports_build()
    old = ExportFile.objects.get(fmt="csv")
    make_initiative(title="Une de plus")
    with django_capture_on_commit_callbacks(execute=True):
        exports_build()
    new = ExportFile.objects.get(fmt="csv")
    assert new.rows == old.rows + 1
    assert new.name != old.name
    assert not export_storage().exists(old.name)


def test_the_full_file_is_served_with_length_etag_and_digest(visitor, demo):
    exports_build()
    stored = ExportFile.objects.get(fmt="csv")
    response = visitor.get("/donnees/initiatives.csv")
    assert response.status_code == 200
    body = _body(response)
    assert body == _stored("csv")
    assert int(response["Content-Length"]) == len(body) == stored.size
    assert response["ETag"] == f'"{stored.sha256}"'
    assert response["Repr-Digest"] == _sha256_digest(body)
    assert response["Digest"] == "SHA-256=" + _sha256_digest(body)[9:-1]
    assert "initiatives.csv" in response["Content-Disposition"]
    again = visitor.get("/donnees/initiatives.csv", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    spreadsheet = visitor.get("/donnees/initiatives-tableur.csv")
    assert _body(spreadsheet) == _stored("tableur")


def test_the_full_file_is_the_generated_one_and_filters_read_the_live_data(visitor, demo):
    exports_build()
    make_initiative(title="Publiée après la génération", communes=("62193",))
    full = _body(visitor.get("/donnees/initiatives.json")).decode()
    assert "Publiée après la génération" not in full
    filtered = _body(visitor.get("/donnees/initiatives.json?commune=62193")).decode()
    assert "Publiée après la génération" in filtered


def test_a_filtered_export_carries_its_length_and_digest(visitor, demo):
    response = visitor.get("/donnees/initiatives.csv?department=62")
    assert response.status_code == 200
    body = _body(response)
    assert int(response["Content-Length"]) == len(body)
    assert response["Repr-Digest"] == _sha256_digest(body)
    assert body.decode().count("\r\n") > 1


@override_settings(EXPORT_MAX_ROWS=1)
def test_beyond_the_row_limit_a_filtered_export_sends_to_the_full_file(visitor, demo):
    response = visitor.get("/donnees/initiatives.geojson?department=62")
    assert response.status_code == 400
    answer = response.json()
    assert answer["detail"].startswith("Cet export dépasse 1 initiatives")
    assert "téléchargez le fichier complet" in answer["detail"]
    assert answer["full_file"] == "/donnees/initiatives.geojson"
    spreadsheet = visitor.get("/donnees/initiatives-tableur.csv?department=62").json()
    assert spreadsheet["full_file"] == "/donnees/initiatives-tableur.csv"


@override_settings(EXPORT_MAX_ROWS=1)
def test_a_large_unfiltered_export_without_its_file_answers_503_and_asks_for_it(visitor, demo):
    # The immediate task backend of the tests builds the files at once.
    response = visitor.get("/donnees/initiatives.csv")
    assert response.status_code == 503
    assert response["Retry-After"] == "300"
    assert "en cours de préparation" in response.json()["detail"]
    assert ExportFile.objects.filter(fmt="csv").exists()
    assert visitor.get("/donnees/initiatives.csv").status_code == 200


def test_a_generation_that_fails_is_never_answered_200(demo, monkeypatch):
    def broken(*, filters):
        raise RuntimeError("database gone")
        yield

    monkeypatch.setattr("solidaire.opendata.exports.initiative_records", broken)
    response = Client(raise_request_exception=False).get("/donnees/initiatives.csv?department=62")
    assert response.status_code == 500


def test_a_bulk_publish_regenerates_the_full_files(
    demo, moderator62, django_capture_on_commit_callbacks
):
    proposal = make_initiative(title="Proposition en attente", status=Status.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        assert initiative_bulk_publish(initiatives=[proposal], by=moderator62) == 1
    assert "Proposition en attente" in _stored("csv").decode()


def test_the_generation_is_a_scheduled_job():
    job = registered_job("exports_build")
    assert job is not None
    assert job.run is full_exports.exports_build_summary


def test_the_open_data_page_shows_date_size_and_checksum(visitor, demo):
    exports_build()
    stored = ExportFile.objects.get(fmt="geojson")
    html = visitor.get("/donnees/").content.decode()
    assert stored.sha256 in html
    assert "SHA-256" in html
    assert views.FILES["geojson"][2] == "initiatives.geojson"


def test_an_erasure_regenerates_the_full_files(
    demo, admin_user, django_capture_on_commit_callbacks
):
    exports_build()
    assert "Maison du numérique" in _stored("csv").decode()
    with django_capture_on_commit_callbacks(execute=True):
        personal_data_erase(name="Maison du numérique et de l'innovation", by=admin_user)
    assert "Maison du numérique et de l'innovation" not in _stored("csv").decode()
