"""The Table Schema « Initiatives solidaires » of docs/schema/: generated from columns.py,
committed as generated, and met by the platform's CSV export (checked with frictionless)."""

import json

import pytest
from django.core.management import call_command
from frictionless import Schema, validate
from frictionless.resources import TableResource

from solidaire.opendata.columns import COLUMN_NAMES, EXAMPLES
from solidaire.opendata.tableschema import SCHEMA_DIR, generated_files, initiatives_table_schema

FIELDS = ["rowNumber", "fieldName", "type", "note"]


def _schema() -> Schema:
    return Schema.from_descriptor(json.loads((SCHEMA_DIR / "schema.json").read_text()))


def _validate(path):
    # frictionless opens only relative paths under a base path.
    resource = TableResource(
        path=path.name, basepath=str(path.parent), format="csv", schema=_schema()
    )
    return validate(resource)


def test_the_committed_files_are_the_generated_ones():
    # Fails after a change of columns.py until `manage.py write_table_schema` is run.
    for name, text in generated_files().items():
        with open(SCHEMA_DIR / name, encoding="utf-8", newline="") as handle:
            assert handle.read() == text, name
    call_command("write_table_schema", "--check", verbosity=0)


def test_the_schema_has_what_schema_data_gouv_fr_asks_for():
    schema = initiatives_table_schema()
    for key in ("name", "title", "description", "version", "contributors", "licenses"):
        assert schema[key], key
    assert schema["version"].count(".") == 2
    assert schema["primaryKey"] == ["id"]
    assert [f["name"] for f in schema["fields"]] == COLUMN_NAMES
    for field in schema["fields"]:
        assert {"name", "title", "description", "example", "type", "constraints"} <= set(field)
    # frictionless reads it as a valid Table Schema.
    assert _schema().primary_key == ["id"]


def test_the_example_file_is_valid(tmp_path):
    report = _validate(SCHEMA_DIR / "exemple-valide.csv")
    assert report.valid, report.flatten(FIELDS)


@pytest.mark.django_db
def test_the_platforms_csv_export_meets_the_schema(visitor, demo, tmp_path):
    body = b"".join(visitor.get("/donnees/initiatives.csv").streaming_content)
    (tmp_path / "initiatives.csv").write_bytes(body)
    report = _validate(tmp_path / "initiatives.csv")
    assert report.valid, report.flatten(FIELDS)
    assert report.tasks[0].stats["rows"] == len(demo["public"])


@pytest.mark.parametrize(
    "column, value",
    [
        ("commune_codes", "62193 ; Arras"),
        ("status", "submitted"),
        ("epci_codes", "20003357"),
        ("latitude", "95"),
        ("id", ""),
    ],
)
def test_a_row_off_the_schema_is_refused(tmp_path, column, value):
    row = dict(EXAMPLES, **{column: value})
    path = tmp_path / "bad.csv"
    path.write_text(
        ",".join(COLUMN_NAMES) + "\r\n" + ",".join(f'"{row[c]}"' for c in COLUMN_NAMES) + "\r\n"
    )
    report = _validate(path)
    assert not report.valid
    # (A missing id is also a primary-key error, which names no field.)
    assert {error[1] for error in report.flatten(FIELDS)} - {None} == {column}


@pytest.mark.django_db
def test_the_schema_is_served_on_the_data_page(visitor):
    response = visitor.get("/donnees/schema.json")
    assert response.status_code == 200
    assert response.json() == json.loads((SCHEMA_DIR / "schema.json").read_text())
    assert "/donnees/schema.json" in visitor.get("/donnees/").content.decode()
