"""scripts/refresh_territory.py: a newer decoupage-administratif → our CSV files."""

import gzip
import importlib.util
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from solidaire.territory.reference import DATA_DIR

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "refresh_territory.py"
spec = importlib.util.spec_from_file_location("refresh_territory", SCRIPT)
refresh = importlib.util.module_from_spec(spec)
spec.loader.exec_module(refresh)


def write_package(folder, communes):
    data = {
        "regions.json": [{"code": "32", "nom": "Hauts-de-France", "zone": "metro"}],
        "departements.json": [
            {"code": "62", "nom": "Pas-de-Calais", "region": "32", "zone": "metro"},
            {"code": "975", "nom": "Saint-Pierre-et-Miquelon", "region": "", "zone": "com"},
        ],
        "arrondissements.json": [{"code": "626", "nom": "Calais", "departement": "62"}],
        "epci.json": [
            {
                "code": "200090751",
                "nom": "CA Grand Calais Terres et Mers",
                "membres": [{"code": "62193"}, {"code": "62999"}],
            }
        ],
        "communes.json": communes,
    }
    for name, content in data.items():
        (folder / name).write_text(json.dumps(content), encoding="utf-8")


CALAIS = {
    "code": "62193",
    "nom": "Calais",
    "type": "commune-actuelle",
    "zone": "metro",
    "departement": "62",
    "arrondissement": "626",
    "codesPostaux": ["62100"],
    "population": 67000,
}
NEW = {
    "code": "62999",
    "nom": "Nouvelle-Commune",
    "type": "commune-actuelle",
    "zone": "metro",
    "departement": "62",
    "arrondissement": "626",
    "codesPostaux": ["62185", "62100"],
    "population": 3000,
    "anciensCodes": ["62360", "62193"],
}


def test_it_keeps_known_points_and_places_a_new_commune_from_its_former_codes(tmp_path):
    write_package(tmp_path, [CALAIS, NEW, {**CALAIS, "code": "62000", "type": "commune-deleguee"}])
    tables, missing = refresh.build_tables(tmp_path, refresh.previous_points(DATA_DIR))
    assert missing == []
    rows = {row[0]: row for row in tables["communes.csv"]}
    assert set(rows) == {"62193", "62999"}
    assert rows["62193"][5:8] == ["200090751", "CA Grand Calais Terres et Mers", 67000]
    assert rows["62999"][2] == "62100;62185"
    # Between Fréthun and Calais, nearer Calais (far more populated).
    lat = float(rows["62999"][8])
    assert 50.91 < lat < 50.96 and abs(lat - 50.95) < abs(lat - 50.91)
    assert [d[0] for d in tables["departments.csv"]] == ["62"]


def test_it_refuses_to_write_when_a_commune_cannot_be_placed(tmp_path, capsys):
    package = tmp_path / "package"
    package.mkdir()
    write_package(package, [{**NEW, "anciensCodes": []}])
    out = tmp_path / "out"
    out.mkdir()
    assert refresh.main([str(package), "--out", str(out)]) == 1
    assert "62999 Nouvelle-Commune" in capsys.readouterr().err
    assert list(out.iterdir()) == []


@pytest.mark.django_db
def test_the_written_files_load_with_load_territory(tmp_path):
    package = tmp_path / "package"
    package.mkdir()
    write_package(package, [{**CALAIS, "population": 67571}])  # as shipped
    out = tmp_path / "out"
    out.mkdir()
    (out / "communes.csv.gz").write_bytes((DATA_DIR / "communes.csv.gz").read_bytes())
    assert refresh.main([str(package), "--out", str(out)]) == 0
    text = gzip.decompress((out / "communes.csv.gz").read_bytes()).decode()
    assert text.splitlines()[0].startswith("insee_code,name,postal_codes")
    message = call_command("load_territory", data_dir=str(out))
    assert "communes: 0 créé(s), 0 modifié(s)" in message
