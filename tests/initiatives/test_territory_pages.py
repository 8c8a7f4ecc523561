"""Département and région pages, the breadcrumbs above places, and a wider instance's map
and figures (INSTANCE_DEPARTMENTS)."""

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings

from solidaire.initiatives.models import Initiative
from tests.factories import make_initiative

pytestmark = pytest.mark.django_db

LILLE, AJACCIO, BASTIA, CALAIS, PONTOISE = "59350", "2A004", "2B033", "62193", "95500"


@pytest.fixture
def spread():
    return {
        "lille": make_initiative(title="Masques de Lille", communes=(LILLE,), owner="59"),
        "nord": make_initiative(title="Tout le Nord", communes=(), departments=("59",), owner="59"),
        "ajaccio": make_initiative(title="Repas d'Ajaccio", communes=(AJACCIO,), owner="2A"),
        "bastia": make_initiative(title="Écoute à Bastia", communes=(BASTIA,), owner="2B"),
        "calais": make_initiative(title="Visières de Calais", communes=(CALAIS,)),
        "pontoise": make_initiative(title="Hôpital de Pontoise", communes=(PONTOISE,)),
    }


def titles(response):
    return {initiative.title for initiative in response.context["page"].object_list}


def test_the_departement_page_lists_its_initiatives(visitor, spread):
    response = visitor.get("/departements/59/")
    assert response.status_code == 200
    assert titles(response) == {"Masques de Lille", "Tout le Nord"}
    html = response.content.decode()
    assert "<h1>Nord</h1>" in html and "région Hauts-de-France" in html
    assert 'href="/communes/59350/"' in html
    # Outside the 62-only instance: served, with a notice.
    assert "en dehors de celui de ce site (Pas-de-Calais)" in html


def test_corsica_s_departements_accept_lower_case_codes(visitor, spread):
    assert titles(visitor.get("/departements/2a/")) == {"Repas d'Ajaccio"}
    assert titles(visitor.get("/departements/2B/")) == {"Écoute à Bastia"}


def test_the_region_page_lists_the_initiatives_of_its_departements(visitor, spread):
    response = visitor.get("/regions/94/")
    assert response.status_code == 200
    assert titles(response) == {"Repas d'Ajaccio", "Écoute à Bastia"}
    html = response.content.decode()
    assert 'href="/departements/2A/"' in html and 'href="/departements/2B/"' in html
    hauts = titles(visitor.get("/regions/32/"))
    assert hauts == {"Masques de Lille", "Tout le Nord", "Visières de Calais"}


def test_the_62_s_page_has_no_notice(visitor, spread):
    response = visitor.get("/departements/62/")
    assert titles(response) == {"Visières de Calais"}
    assert "en dehors de celui de ce site" not in response.content.decode()


@pytest.mark.parametrize("path", ["/departements/99/", "/departements/20/", "/regions/99/"])
def test_an_unknown_departement_or_region_is_a_french_404(visitor, path):
    response = visitor.get(path)
    assert response.status_code == 404
    assert "Page non trouvée" in response.content.decode()


def test_the_breadcrumbs_read_france_region_departement_commune(visitor, spread):
    html = visitor.get(f"/communes/{AJACCIO}/").content.decode()
    crumbs = [
        '<a class="fr-breadcrumb__link" href="/regions/">France</a>',
        '<a class="fr-breadcrumb__link" href="/regions/94/">Corse</a>',
        '<a class="fr-breadcrumb__link" href="/departements/2A/">Corse-du-Sud</a>',
        '<a class="fr-breadcrumb__link" aria-current="page">Ajaccio</a>',
    ]
    positions = [html.index(crumb) for crumb in crumbs]
    assert positions == sorted(positions)
    france = visitor.get("/regions/").content.decode()
    assert 'href="/regions/32/"' in france and 'href="/departements/976/"' in france


@override_settings(INSTANCE_DEPARTMENTS="*")
def test_a_national_map_starts_on_the_departements(visitor, spread):
    html = visitor.get("/carte/").content.decode()
    assert 'data-map-level="departements"' in html
    assert 'data-map-geojson="/territoire/departements.geojson"' in html
    assert 'data-map-communes="/territoire/communes-00.geojson"' in html
    assert 'data-map-department="2A"' in html
    counts = visitor.get("/carte/compteurs.json").json()
    assert counts["departments"] == {"2A": 1, "2B": 1, "59": 2, "62": 1, "95": 1}
    # Every commune is inside a national instance: shaded once its département is open.
    assert "communes" not in counts
    assert counts["points"]["commune"] == {}
    assert counts["points"]["department"] == {"59": 1}  # placed on the Nord alone
    assert visitor.get("/carte/compteurs.json?communes_de=59").json()["communes"][LILLE] == 1


def test_a_departement_instance_counts_no_departements(visitor, spread):
    counts = visitor.get("/carte/compteurs.json").json()
    assert "departments" not in counts
    # Outside the instance, each département's initiatives at the département's point.
    assert counts["points"]["department"] == {"59": 2, "2A": 1, "2B": 1, "95": 1}
    assert counts["points"]["commune"] == {}


def test_the_figures_map_lists_only_the_instance_s_communes(visitor, spread):
    response = visitor.get("/chiffres/")
    html = response.content.decode()
    assert "Carte des communes du Pas-de-Calais" in html
    assert [row[0] for row in response.context["map_rows"]] == [CALAIS]
    assert "Pontoise" not in html.split('id="carte-h2"')[1].split("</section>")[0]


@override_settings(INSTANCE_DEPARTMENTS="2A,2B")
def test_a_regional_instance_s_figures_map_its_departements(visitor, spread):
    response = visitor.get("/chiffres/")
    html = response.content.decode()
    assert "Carte des départements de la région Corse" in html
    assert html.count("data-department=") == 2
    assert response.context["map_rows"] == [("2A", "Corse-du-Sud", 1), ("2B", "Haute-Corse", 1)]


@override_settings(INSTANCE_DEPARTMENTS="*")
def test_a_national_instance_s_figures_leave_the_drom_to_the_table(visitor, spread):
    response = visitor.get("/chiffres/")
    html = response.content.decode()
    assert "Carte des départements de France" in html
    assert html.count("data-department=") == 96
    assert len(response.context["map_rows"]) == 100


def test_load_demo_adds_the_nord_and_corse_du_sud_on_request(db):
    call_command("load_demo", stdout=io.StringIO())
    assert not Initiative.objects.exclude(owner_department="62").exists()
    out = io.StringIO()
    call_command("load_demo", "--beyond-62", stdout=out)
    assert "Hors du Pas-de-Calais (Nord, Corse-du-Sud) : 4 initiatives créées" in out.getvalue()
    owners = sorted(Initiative.objects.values_list("owner_department", flat=True))
    assert owners.count("59") == 2 and owners.count("2A") == 2 and len(owners) == 15
    assert {i.status for i in Initiative.objects.all()} == {"published"}
    call_command("load_demo", "--beyond-62", stdout=out)
    assert Initiative.objects.count() == 15


@pytest.mark.parametrize(
    "value, link",
    [
        ("62", '<a href="/departements/62/">Pas-de-Calais</a>'),
        ("2A,2B", '<a href="/regions/94/">Corse</a>'),
        ("*", '<a href="/regions/">France</a>'),
    ],
)
def test_the_home_page_names_the_instance_s_territory(visitor, value, link):
    with override_settings(INSTANCE_DEPARTMENTS=value):
        assert link in visitor.get("/").content.decode()


@override_settings(INSTANCE_DEPARTMENTS="59,62")
def test_a_two_departement_instance_offers_both_departements_areas(visitor, spread):
    cache.clear()  # the filter choices are cached for the default instance
    html = visitor.get("/initiatives/").content.decode()
    assert 'value="594"' in html and 'value="621"' in html  # Dunkerque's and Arras' arrondissements
    assert 'value="2A1"' not in html
