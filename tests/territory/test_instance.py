"""The instance's territory (INSTANCE_DEPARTMENTS) and the outlines served for it."""

import gzip
import io
import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from solidaire.territory.instance import default_prefecture_name, instance, parse_instance
from solidaire.territory.models import Commune
from solidaire.territory.reference import POINT_ONLY_COMMUNES, outline_path


def test_the_default_instance_is_the_62_alone(settings):
    assert settings.INSTANCE_DEPARTMENTS == "62"
    assert settings.HOME_DEPARTMENT == "62"
    territory = instance()
    assert (territory.departments, territory.kind, territory.single) == (
        ("62",),
        "department",
        "62",
    )
    assert territory.of_label == "du Pas-de-Calais"
    assert default_prefecture_name("62") == "Préfet du Pas-de-Calais"


@pytest.mark.parametrize(
    "value, kind, label, count",
    [
        ("59", "department", "Nord", 1),
        ("2a", "department", "Corse-du-Sud", 1),
        ("59, 62", "departments", "Nord et Pas-de-Calais", 2),
        ("2A,2B", "region", "Corse", 2),
        ("02,59,60,62,80", "region", "Hauts-de-France", 5),
        ("*", "national", "France", 101),
        ("all", "national", "France", 101),
    ],
)
def test_one_setting_lists_one_several_or_all_departements(value, kind, label, count):
    territory = parse_instance(value)
    assert (territory.kind, territory.label, len(territory.departments)) == (kind, label, count)


def test_the_bloc_marque_follows_the_instance():
    assert default_prefecture_name("59") == "Préfet du Nord"
    assert default_prefecture_name("2A,2B") == "Préfet de la région Corse"
    assert default_prefecture_name("*") == "Ministère de l'Intérieur"


@pytest.mark.parametrize("value", ["99", "62,6", "Pas-de-Calais", "32,999"])
def test_an_unknown_code_is_a_clear_start_up_error(value):
    with pytest.raises(ImproperlyConfigured, match="département\\(s\\) inconnu\\(s\\)"):
        parse_instance(value)


@pytest.mark.parametrize("name", ["communes-2A", "communes-2B", "communes-59"])
def test_every_departement_s_communes_are_served_gzipped(visitor, db, name):
    response = visitor.get(f"/territoire/{name}.geojson", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert response["ETag"].startswith('"')
    assert "max-age=604800" in response["Cache-Control"]
    data = json.loads(gzip.decompress(response.content))
    # One feature per commune of the reference table.
    codes = set(Commune.objects.filter(department_id=name[-2:]).values_list("pk", flat=True))
    assert {f["properties"]["insee_code"] for f in data["features"]} == codes
    assert {f["properties"]["department_code"] for f in data["features"]} == {name[-2:]}


def test_the_departements_and_regions_are_served(visitor):
    departments = json.loads(visitor.get("/territoire/departements.geojson").content)
    regions = json.loads(visitor.get("/territoire/regions.geojson").content)
    assert len(departments["features"]) == 101 and len(regions["features"]) == 18


@pytest.mark.parametrize("name", ["communes-99", "communes-20", "autre"])
def test_an_unknown_outline_is_a_french_404(visitor, db, name):
    response = visitor.get(f"/territoire/{name}.geojson")
    assert response.status_code == 404
    assert "Page non trouvée" in response.content.decode()


def test_the_ten_point_only_communes_have_no_outline():
    shipped = set()
    for department in ("14", "15", "85"):
        with gzip.open(outline_path(department), "rt", encoding="utf-8") as handle:
            shipped |= {f["properties"]["insee_code"] for f in json.load(handle)["features"]}
    assert len(POINT_ONLY_COMMUNES) == 10
    assert not shipped & POINT_ONLY_COMMUNES
    assert "14001" in shipped


@override_settings(INSTANCE_DEPARTMENTS="15")
def test_a_commune_without_outline_is_shown_as_its_point(visitor, db):
    html = visitor.get("/communes/15031/").content.decode()
    assert 'data-geojson-url="/territoire/communes-15.geojson"' in html
    assert "Position de Celles (commune sans contour publié) parmi les communes du Cantal" in html


@override_settings(INSTANCE_DEPARTMENTS="59")
def test_a_nord_instance_maps_the_nord_not_the_62(visitor, db):
    assert (
        'data-geojson-url="/territoire/communes-59.geojson"'
        in visitor.get("/communes/59350/").content.decode()
    )
    assert "data-commune-map" not in visitor.get("/communes/62193/").content.decode()
    html = visitor.get("/carte/").content.decode()
    assert 'data-map-geojson="/territoire/communes-59.geojson"' in html
    assert "Les communes du Nord sont colorées" in html


def test_the_check_command_reports_an_unknown_code():
    with override_settings(INSTANCE_DEPARTMENTS="9Z"), pytest.raises(SystemCheckError, match="9Z"):
        call_command("check", stdout=io.StringIO(), stderr=io.StringIO())
