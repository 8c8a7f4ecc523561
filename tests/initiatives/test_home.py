import pytest

from solidaire.initiatives.models import Status
from tests.factories import make_campaign, make_initiative
from tests.initiatives.factories import make_many

pytestmark = pytest.mark.django_db


def test_the_home_page_shows_the_latest_initiatives_counts_and_campaigns(visitor):
    make_campaign(name="Covid-19")
    make_initiative(title="Visières pour les soignants")
    make_initiative(title="Action terminée", status=Status.ARCHIVED)
    make_initiative(title="Proposition en attente", status=Status.SUBMITTED)
    response = visitor.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert [i.title for i in response.context["latest"]] == ["Visières pour les soignants"]
    assert response.context["counts"] == {"published": 1, "archived": 1}
    assert "Covid-19" in html
    assert "Proposition en attente" not in html
    assert 'href="/initiatives/proposer/"' in html
    assert 'action="/communes/"' in html


def test_the_home_page_shows_six_initiatives_at_most(visitor):
    make_many(8)
    assert len(visitor.get("/").context["latest"]) == 6


@pytest.mark.parametrize("count", [5, 50])
def test_the_home_page_renders_in_a_constant_number_of_queries(
    visitor, django_assert_max_num_queries, count
):
    make_many(count)
    with django_assert_max_num_queries(7):
        assert visitor.get("/").status_code == 200


def test_the_home_counts_follow_french_plural_rules(visitor):
    make_initiative(title="Visières", status=Status.PUBLISHED)
    make_initiative(title="Masques", status=Status.PUBLISHED)
    html = visitor.get("/").content.decode()
    assert "initiatives en cours" in html
    assert "initiative terminée<" in html  # 0 is singular in French
    assert "0</p><p>initiatives terminées" not in html
