"""No submitter data in anything the open data area serves."""

import pytest

from solidaire.initiatives.models import Initiative
from tests.bulletins.factories import make_demo_bulletin
from tests.database import module_data
from tests.opendata.factories import PRIVATE_VALUES, SUBMITTER, make_demo_set

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "/api/v1/initiatives/",
    "/api/v1/initiatives/?page_size=200&status=archived",
    "/api/v1/campaigns/",
    "/api/v1/bulletins/",
    "/api/v1/stats/",
    "/api/v1/schema/",
    "/donnees/",
    "/donnees/initiatives.csv",
    "/donnees/initiatives.json",
    "/donnees/initiatives.geojson",
    "/donnees/datapackage.json",
    "/chiffres/",
    "/chiffres/themes.csv",
    "/chiffres/types-de-porteur.csv",
    "/chiffres/arrondissements.csv",
    "/chiffres/epci.csv",
    "/chiffres/semaines.csv",
    "/chiffres/quantites.csv",
    "/chiffres/communes.csv",
]


def _content(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode("utf-8")


def build_private_demo():
    demo = make_demo_set()
    make_demo_bulletin()
    # The sample bulletin's initiatives get the same private submitter data.
    Initiative.objects.update(**SUBMITTER)
    return demo


@pytest.fixture(scope="module")
def private_demo(django_db_setup, django_db_blocker):
    with module_data(django_db_blocker, build_private_demo) as demo:
        yield demo


def test_no_endpoint_serves_submitter_data(visitor, private_demo):
    demo = private_demo
    tokens = [i.submitter_token for i in demo["public"] + demo["hidden"]]
    urls = ENDPOINTS + [f"/api/v1/initiatives/{i.pk}/" for i in demo["public"]]
    served = 0
    for url in urls:
        response = visitor.get(url)
        assert response.status_code == 200, url
        text = _content(response)
        served += 1
        for value in PRIVATE_VALUES + tokens:
            assert value not in text, (url, value)
        # The scan looks at real output: public data is there.
        if url == "/api/v1/bulletins/":
            assert "Pas-de-Calais solidaire" in text
        if "initiatives" in url and "schema" not in url:
            assert any(i.title in text for i in demo["public"]), url
    assert served == len(urls)
