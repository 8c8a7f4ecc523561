import csv
import io
import time

import pytest

from solidaire.initiatives.models import Initiative
from solidaire.opendata import figures
from solidaire.opendata.charts import colour_class
from tests.factories import make_initiative

pytestmark = pytest.mark.django_db


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


def test_it_counts_initiatives_by_actor_kind_theme_and_area(visitor, demo):
    stats = visitor.get("/api/v1/stats/").json()
    assert stats["total"] == 5
    assert stats["published"] == 4 and stats["archived"] == 1
    kinds = {bar["code"]: bar["value"] for bar in stats["by_actor_kind"]}
    assert kinds == {
        "association": 1,
        "intercommunality": 1,
        "municipality": 1,
        "public_service": 1,
        "company": 1,
    }
    health, supply = demo["themes"]
    themes = {bar["code"]: bar["value"] for bar in stats["by_theme"]}
    assert themes == {supply.slug: 3, health.slug: 2}
    arrondissements = {bar["code"]: bar["value"] for bar in stats["by_arrondissement"]}
    # Arras (621): Arras + Saint-Nicolas count once; Calais (626); Saint-Omer (625).
    assert arrondissements["621"] == 1
    assert arrondissements["626"] == 1
    assert arrondissements["625"] == 1
    epcis = {bar["code"]: bar["value"] for bar in stats["by_epci"]}
    # The CUA: one initiative on two of its communes, one on the whole EPCI.
    assert epcis["200033579"] == 2
    assert sum(bar["value"] for bar in stats["by_week"]) == 5


def test_it_totals_quantities_by_normalised_item(visitor, demo):
    stats = visitor.get("/api/v1/stats/").json()
    totals = {bar["label"]: bar["value"] for bar in stats["quantities"]}
    # "visières" and "Visière" are one item (Quantity.item_key).
    assert totals == {"visière": 1600, "masques": 400, "repas": 250}


def test_it_applies_the_shared_filters_to_figures(visitor, demo):
    stats = visitor.get("/api/v1/stats/", {"department": "59"}).json()
    assert stats["total"] == 1
    assert visitor.get("/api/v1/stats/", {"department": "999"}).status_code == 400


def test_the_figures_page_has_an_accessible_chart_and_table_per_figure(visitor, demo):
    response = visitor.get("/chiffres/")
    assert response.status_code == 200
    html = response.content.decode()
    for slug in ["themes", "types-de-porteur", "arrondissements", "epci", "semaines", "quantites"]:
        assert f'aria-labelledby="graphique-{slug}-titre graphique-{slug}-desc"' in html, slug
        assert f"/chiffres/{slug}.csv" in html
    assert html.count('role="img"') == 7
    assert html.count("<table>") == 7
    assert "Association" in html and "Arrondissement" in html
    assert "1\u202f600" in html or "1 600" in html or "1600" in html


def test_the_map_colours_the_62s_communes_by_count(visitor, demo):
    make_initiative(title="Deuxième à Calais", communes=("62193",))
    html = visitor.get("/chiffres/").content.decode()
    assert html.count("<path ") == 887
    calais = colour_class(2)[0]
    assert f'fill="{calais}" data-insee="62193"' in html
    assert f'fill="{colour_class(0)[0]}" data-insee="62001"' in html
    # The 59's commune is counted in the table, not on the 62's map.
    assert 'data-insee="59350"' not in html


def test_it_downloads_each_chart_as_csv(visitor, demo):
    rows = _csv(visitor.get("/chiffres/quantites.csv"))
    assert rows[0] == ["code", "Objet", "Total annoncé", "Initiatives"]
    assert rows[1] == ["visiere", "visière", "1600", "2"]
    rows = _csv(visitor.get("/chiffres/communes.csv"))
    assert ["62193", "Calais", "1"] in rows
    for slug in ["themes", "types-de-porteur", "arrondissements", "epci", "semaines"]:
        response = visitor.get(f"/chiffres/{slug}.csv")
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert len(_csv(response)) > 1, slug
    assert visitor.get("/chiffres/inconnu.csv").status_code == 404


def test_figures_follow_new_publications_once_the_cache_expires(visitor, demo, monkeypatch):
    assert visitor.get("/api/v1/stats/").json()["total"] == 5
    make_initiative(title="Nouvelle initiative", communes=("62498",))
    # Within CACHE_SECONDS, the cached figures are served without a query.
    assert visitor.get("/api/v1/stats/").json()["total"] == 5
    later = time.time() + figures.CACHE_SECONDS + 1
    monkeypatch.setattr(figures.time, "time", lambda: later)
    assert visitor.get("/api/v1/stats/").json()["total"] == 6


def test_cached_figures_cost_no_query(visitor, demo, django_assert_num_queries):
    visitor.get("/api/v1/stats/")
    with django_assert_num_queries(0):
        assert visitor.get("/api/v1/stats/").status_code == 200


def test_the_figures_page_reports_invalid_filters(visitor, demo):
    response = visitor.get("/chiffres/", {"actor_kind": "dragon"})
    assert response.status_code == 400
    assert "Filtre invalide" in response.content.decode()


def test_the_figures_lead_follows_french_plural_rules(visitor, db):
    # Alone on the page: the module's demo set, built for the tests above, goes first.
    Initiative.objects.all().delete()
    make_initiative(title="Seule")
    html = visitor.get("/chiffres/").content.decode()
    assert "initiative publique\u00a0: 1 en cours et 0 archivée." in html


def test_chart_csvs_answer_304_to_a_matching_etag(visitor, demo):
    first = visitor.get("/chiffres/themes.csv")
    assert first.status_code == 200 and first["ETag"]
    again = visitor.get("/chiffres/themes.csv", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    assert again["Access-Control-Allow-Origin"] == "*"
    other = visitor.get("/chiffres/themes.csv", headers={"If-None-Match": '"autre"'})
    assert other.status_code == 200
