import pytest

from solidaire.bulletins.models import Bulletin, BulletinStatus
from tests.bulletins.factories import make_demo_bulletin

pytestmark = pytest.mark.django_db

URL = "/api/v1/bulletins/"


def test_it_lists_published_numbers_with_their_items(visitor):
    bulletin, initiatives = make_demo_bulletin()
    assert bulletin.status == BulletinStatus.PUBLISHED
    body = visitor.get(URL).json()
    (number,) = body["results"]
    assert number["number"] == 6
    assert number["series"] == "pas-de-calais-solidaire"
    assert number["issue_date"] == "2020-04-24"
    assert number["dateline"] == "Arras, le 24 avril 2020"
    items = [item for section in number["sections"] for item in section["items"]]
    assert len(items) == len(initiatives) == 11
    assert {item["initiative_id"] for item in items} == {i.pk for i in initiatives}
    assert number["url"].endswith(bulletin.get_absolute_url())


def test_it_hides_drafts(visitor):
    bulletin, _ = make_demo_bulletin()
    Bulletin.objects.create(series=bulletin.series, number=7, issue_date=bulletin.issue_date)
    numbers = [b["number"] for b in visitor.get(URL).json()["results"]]
    assert numbers == [6]


def test_it_filters_by_series_and_refuses_unknown_ones(visitor):
    make_demo_bulletin()
    assert len(visitor.get(URL, {"series": "pas-de-calais-solidaire"}).json()["results"]) == 1
    response = visitor.get(URL, {"series": "nord-solidaire"})
    assert response.status_code == 400
    assert "pas-de-calais-solidaire" in response.json()["series"][0]
