"""/sitemap.xml: an index of the public pages' sitemaps, each paged and dated."""

import re

import pytest

from solidaire.bulletins.services import bulletin_create_draft, bulletin_publish
from solidaire.initiatives.models import Status
from tests.bulletins.factories import make_series
from tests.factories import make_initiative

pytestmark = pytest.mark.django_db

SECTIONS = ["pages", "initiatives", "communes", "bulletins", "series"]


def _locations(response) -> list[str]:
    return re.findall(r"<loc>http://testserver([^<]*)</loc>", response.content.decode())


@pytest.fixture
def world(db):
    published = make_initiative(title="Publiée", communes=("62193",))
    archived = make_initiative(title="Archivée", communes=("62041",), status=Status.ARCHIVED)
    draft = make_initiative(title="Proposée", communes=("62516",), status=Status.SUBMITTED)
    series = make_series()
    bulletin = bulletin_publish(
        bulletin=bulletin_create_draft(series=series, initiatives=[published]), send=False
    )
    bulletin_create_draft(series=series, initiatives=[])
    return {"public": [published, archived], "draft": draft, "bulletin": bulletin}


def test_the_index_lists_one_sitemap_per_kind_of_page(visitor, world):
    response = visitor.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert _locations(response) == [f"/sitemap-{section}.xml" for section in SECTIONS]
    assert response.content.decode().count("<lastmod>") == len(SECTIONS) - 1


def test_it_lists_public_initiatives_and_their_communes_only(visitor, world):
    initiatives = _locations(visitor.get("/sitemap-initiatives.xml"))
    assert initiatives == [i.get_absolute_url() for i in world["public"]]
    communes = _locations(visitor.get("/sitemap-communes.xml"))
    assert communes == ["/communes/62041/", "/communes/62193/"]
    assert "<lastmod>" in visitor.get("/sitemap-communes.xml").content.decode()


def test_it_lists_published_numbers_series_and_static_pages(visitor, world):
    bulletin = world["bulletin"]
    assert _locations(visitor.get("/sitemap-bulletins.xml")) == [bulletin.get_absolute_url()]
    assert _locations(visitor.get("/sitemap-series.xml")) == [bulletin.series.get_absolute_url()]
    pages = _locations(visitor.get("/sitemap-pages.xml"))
    expected = ("/", "/initiatives/", "/benevolat/", "/bulletins/", "/donnees/", "/chiffres/")
    for path in (*expected, "/accessibilite/"):
        assert path in pages
    for path in pages:
        assert visitor.get(path).status_code == 200, path


def test_it_pages_long_sitemaps(visitor, world, monkeypatch):
    from solidaire.initiatives.sitemaps import InitiativeSitemap

    monkeypatch.setattr(InitiativeSitemap, "limit", 1)
    assert "?p=2" in visitor.get("/sitemap.xml").content.decode()
    second = _locations(visitor.get("/sitemap-initiatives.xml?p=2"))
    assert second == [world["public"][1].get_absolute_url()]
    assert visitor.get("/sitemap-initiatives.xml?p=3").status_code == 404


@pytest.mark.parametrize("section", SECTIONS)
def test_each_sitemap_costs_a_constant_number_of_queries(
    visitor, world, section, django_assert_max_num_queries
):
    for i in range(5):
        make_initiative(title=f"Encore {i}", communes=("62498",))
    with django_assert_max_num_queries(3):
        assert visitor.get(f"/sitemap-{section}.xml").status_code == 200
