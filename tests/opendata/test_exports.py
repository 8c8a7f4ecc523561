import csv
import io
import json

import pytest
from frictionless import Package, Schema, validate
from frictionless.resources import TableResource

from solidaire.initiatives.selectors import InitiativeFilters, initiative_search
from solidaire.opendata.columns import COLUMN_NAMES, table_schema
from tests.factories import make_volunteer_call

pytestmark = pytest.mark.django_db


def _body(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def test_it_streams_the_csv_export_rfc4180(visitor, demo):
    response = visitor.get("/donnees/initiatives.csv")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = _body(response)
    assert "\r\n" in text
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert list(rows[0]) == COLUMN_NAMES
    expected = list(initiative_search(filters=InitiativeFilters()).values_list("pk", flat=True))
    assert [int(row["id"]) for row in rows] == expected
    calais = next(row for row in rows if row["commune_codes"] == "62193")
    assert calais["quantities"] == "1300 visières"
    assert calais["actor_kind"] == "association"
    assert calais["published_at"].endswith("Z")
    cua = next(row for row in rows if row["title"].startswith("Visières pour les"))
    assert cua["commune_codes"] == "62041 ; 62764"
    assert cua["places"] == "Arras ; Saint-Nicolas"


def test_it_applies_the_shared_filters_to_exports(visitor, demo):
    rows = list(
        csv.DictReader(io.StringIO(_body(visitor.get("/donnees/initiatives.csv?department=59"))))
    )
    assert [row["title"] for row in rows] == ["Repas pour les soignants lillois"]
    response = visitor.get("/donnees/initiatives.json?actor_kind=licorne")
    assert response.status_code == 400
    assert "licorne" in response.json()["actor_kind"][0]


def test_it_exports_the_same_rows_in_json(visitor, demo):
    response = visitor.get("/donnees/initiatives.json")
    assert response["Content-Type"].startswith("application/json")
    rows = json.loads(_body(response))
    assert len(rows) == 5
    assert set(rows[0]) == set(COLUMN_NAMES)
    csv_rows = list(csv.DictReader(io.StringIO(_body(visitor.get("/donnees/initiatives.csv")))))
    assert [r["id"] for r in rows] == [int(r["id"]) for r in csv_rows]


def test_it_exports_a_point_per_initiative_and_commune_in_geojson(visitor, demo):
    visors, arras, _, area, _ = demo["public"]
    response = visitor.get("/donnees/initiatives.geojson")
    assert response["Content-Type"].startswith("application/geo+json")
    collection = json.loads(_body(response))
    assert collection["type"] == "FeatureCollection"
    by_initiative = {}
    for feature in collection["features"]:
        assert feature["geometry"]["type"] == "Point"
        by_initiative.setdefault(feature["properties"]["initiative_id"], []).append(feature)
    assert len(by_initiative) == 5
    assert [f["properties"]["place_code"] for f in by_initiative[arras.pk]] == ["62041", "62764"]
    lon, lat = by_initiative[visors.pk][0]["geometry"]["coordinates"]
    assert 1.8 < lon < 1.95 and 50.9 < lat < 51.0  # Calais, longitude first
    (cua,) = by_initiative[area.pk]
    assert cua["properties"]["place_kind"] == "epci"
    assert cua["geometry"]["coordinates"][1] == pytest.approx(50.29, abs=0.01)  # Arras


@pytest.mark.parametrize("fmt", ["csv", "json", "geojson"])
def test_it_answers_304_to_conditional_requests(visitor, demo, fmt):
    url = f"/donnees/initiatives.{fmt}"
    first = visitor.get(url)
    _body(first)
    assert first["ETag"] and first["Last-Modified"]
    again = visitor.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert (
        visitor.get(url, headers={"If-Modified-Since": first["Last-Modified"]}).status_code == 304
    )
    # A change to the data changes the ETag.
    visors = demo["public"][0]
    visors.title = "Visières, nouvelle série"
    visors.save()
    changed = visitor.get(url, headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def test_it_streams_in_a_constant_number_of_queries(visitor, demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        _body(visitor.get("/donnees/initiatives.csv"))


def test_it_documents_every_column_in_french_and_english(visitor, demo):
    package = visitor.get("/donnees/datapackage.json").json()
    assert package["licenses"][0]["name"] == "etalab-2.0"
    csv_resource = package["resources"][0]
    fields = csv_resource["schema"]["fields"]
    assert [f["name"] for f in fields] == COLUMN_NAMES
    for field in fields:
        assert field["description_fr"] and field["description_en"], field["name"]
    assert not {"submitter_name", "submitter_email", "submitter_phone"} & set(COLUMN_NAMES)
    report = Package.validate_descriptor(package)
    assert report.valid, report.flatten(["type", "note"])


def _validate(tmp_path, name, text, fmt):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    resource = TableResource(
        path=name, basepath=str(tmp_path), format=fmt, schema=Schema.from_descriptor(table_schema())
    )
    return validate(resource)


def test_frictionless_validates_the_csv_and_json_exports(visitor, demo, tmp_path):
    report = _validate(
        tmp_path, "initiatives.csv", _body(visitor.get("/donnees/initiatives.csv")), "csv"
    )
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert report.tasks[0].stats["rows"] == 5
    report = _validate(
        tmp_path, "initiatives.json", _body(visitor.get("/donnees/initiatives.json")), "json"
    )
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert report.tasks[0].stats["rows"] == 5


def test_frictionless_finds_errors_when_the_schema_is_not_met(tmp_path):
    # Guard against a validation that would pass anything: a row without an id fails.
    header = ",".join(COLUMN_NAMES)
    row = ",".join("" for _ in COLUMN_NAMES)
    report = _validate(tmp_path, "bad.csv", f"{header}\r\n{row}\r\n", "csv")
    assert not report.valid


def test_the_data_page_explains_the_licence_and_attribution(visitor, db):
    response = visitor.get("/donnees/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Licence Ouverte 2.0" in text
    assert "INSEE (COG 2026" in text
    for url in [
        "/donnees/initiatives.csv",
        "/donnees/initiatives.geojson",
        "/donnees/datapackage.json",
        "/api/v1/docs/",
    ]:
        assert url in text


def test_the_fast_row_builder_matches_every_columns_getter(demo):
    from solidaire.opendata.columns import COLUMNS, export_values
    from solidaire.opendata.records import initiative_records

    records = list(initiative_records(filters=InitiativeFilters()))
    assert len(records) == 5
    for record in records:
        assert export_values(record) == [column.get(record) for column in COLUMNS]


def _spreadsheet_rows(response) -> list[dict]:
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM French Excel needs to read UTF-8
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))


@pytest.mark.parametrize("query", ["", "?department=59", "?actor_kind=association"])
def test_the_spreadsheet_csv_has_a_bom_semicolons_and_the_same_rows(visitor, demo, query):
    response = visitor.get(f"/donnees/initiatives-tableur.csv{query}")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="initiatives-tableur.csv"' in response["Content-Disposition"]
    rows = _spreadsheet_rows(response)
    assert rows and list(rows[0]) == COLUMN_NAMES
    standard = list(
        csv.DictReader(io.StringIO(_body(visitor.get(f"/donnees/initiatives.csv{query}"))))
    )
    assert rows == standard


def test_the_spreadsheet_csv_quotes_semicolons_and_rejects_bad_filters(visitor, demo):
    rows = _spreadsheet_rows(visitor.get("/donnees/initiatives-tableur.csv"))
    cua = next(row for row in rows if row["title"].startswith("Visières pour les"))
    assert cua["commune_codes"] == "62041 ; 62764"  # a ";" inside a value stays one value
    response = visitor.get("/donnees/initiatives-tableur.csv?actor_kind=licorne")
    assert response.status_code == 400
    assert visitor.get("/donnees/initiatives.tableur").status_code == 404


def test_the_spreadsheet_csv_answers_304_and_changes_with_the_data(visitor, demo):
    url = "/donnees/initiatives-tableur.csv?department=62"
    first = visitor.get(url)
    _spreadsheet_rows(first)
    assert first["ETag"] and first["Last-Modified"]
    assert first["ETag"] != visitor.get("/donnees/initiatives.csv?department=62")["ETag"]
    assert visitor.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304
    assert (
        visitor.get(url, headers={"If-Modified-Since": first["Last-Modified"]}).status_code == 304
    )
    visors = demo["public"][0]
    visors.title = "Visières, nouvelle série"
    visors.save()
    assert visitor.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 200


def test_the_data_page_says_which_csv_to_pick(visitor, db):
    html = visitor.get("/donnees/").content.decode()
    assert 'href="/donnees/initiatives-tableur.csv"' in html
    assert "CSV pour tableur" in html and "Excel ou LibreOffice" in html
    assert 'href="/donnees/initiatives.csv"' in html


def test_frictionless_reads_the_spreadsheet_csv_with_its_dialect(visitor, demo, tmp_path):
    package = visitor.get("/donnees/datapackage.json").json()
    resource = next(r for r in package["resources"] if r["name"] == "initiatives-csv-tableur")
    assert resource["path"].endswith("/donnees/initiatives-tableur.csv")
    assert resource["dialect"]["delimiter"] == ";"
    raw = b"".join(visitor.get("/donnees/initiatives-tableur.csv").streaming_content)
    (tmp_path / "tableur.csv").write_bytes(raw)
    report = validate(
        TableResource.from_descriptor({**resource, "path": "tableur.csv"}, basepath=str(tmp_path))
    )
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert report.tasks[0].stats["rows"] == 5


def test_the_exports_say_how_many_open_calls_for_volunteers_an_initiative_has(visitor, demo):
    initiative = initiative_search(filters=InitiativeFilters()).first()
    make_volunteer_call(initiative)
    rows = list(csv.DictReader(io.StringIO(_body(visitor.get("/donnees/initiatives.csv")))))
    counts = {int(row["id"]): row["volunteer_calls"] for row in rows}
    assert counts[initiative.pk] == "1"
    assert set(counts.values()) == {"0", "1"}
    body = visitor.get(f"/api/v1/initiatives/{initiative.pk}/").json()
    assert [call["title"] for call in body["volunteer_calls"]] == ["Soutien scolaire à distance"]
