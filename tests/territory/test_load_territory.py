import gzip
import shutil

import pytest
from django.core.management import CommandError, call_command

from solidaire.territory.models import Commune, CommunePostalCode, Epci
from solidaire.territory.reference import DATA_DIR


@pytest.mark.django_db
def test_the_session_geography_has_every_commune():
    assert Commune.objects.count() == 34875
    assert Commune.objects.filter(department_id="62").count() == 887
    calais = Commune.objects.get(pk="62193")
    assert calais.name == "Calais"
    assert calais.epci.name == "CA Grand Calais Terres et Mers"
    assert set(
        CommunePostalCode.objects.filter(code="62360").values_list("commune_id", flat=True)
    ) >= {"62746", "62446"}


@pytest.mark.django_db
def test_loading_twice_changes_nothing():
    message = call_command("load_territory")
    assert "déjà à jour" in message
    assert "0 créé(s), 0 modifié(s)" in message


@pytest.mark.django_db
def test_a_changed_name_is_updated_back():
    Commune.objects.filter(pk="62193").update(name="Kales")
    message = call_command("load_territory")
    assert "communes: 0 créé(s), 1 modifié(s)" in message
    assert Commune.objects.get(pk="62193").name == "Calais"


@pytest.mark.django_db
def test_a_missing_file_names_it_and_changes_nothing(tmp_path):
    for path in DATA_DIR.glob("*.csv.gz"):
        if path.name != "communes.csv.gz":
            shutil.copy(path, tmp_path / path.name)
    before = Epci.objects.count()
    with pytest.raises(CommandError, match="communes.csv"):
        call_command("load_territory", data_dir=str(tmp_path))
    assert Epci.objects.count() == before


@pytest.mark.django_db
def test_a_corrupt_file_leaves_the_database_as_it_was(tmp_path):
    for path in DATA_DIR.glob("*.csv.gz"):
        shutil.copy(path, tmp_path / path.name)
    rows = gzip.decompress((DATA_DIR / "communes.csv.gz").read_bytes()).decode().splitlines()
    rows[5] = rows[5].replace(",62", ",not-a-number", 1)
    broken = "\n".join(rows[:10] + ["62193,Kales,62100,62,626,200040,CA,x,y,z"])
    (tmp_path / "communes.csv.gz").write_bytes(gzip.compress(broken.encode()))
    with pytest.raises(CommandError, match="communes.csv"):
        call_command("load_territory", data_dir=str(tmp_path))
    assert Commune.objects.get(pk="62193").name == "Calais"


@pytest.mark.django_db
def test_a_garbage_gzip_is_reported(tmp_path):
    for path in DATA_DIR.glob("*.csv.gz"):
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "regions.csv.gz").write_bytes(b"\x1f\x8bnot really gzip")
    with pytest.raises(CommandError, match="regions.csv"):
        call_command("load_territory", data_dir=str(tmp_path))
