import pytest

from solidaire.initiatives.models import Status
from tests.factories import make_campaign, make_initiative
from tests.feeds import parse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_the_campaign_feed_lists_newly_published_initiatives_only(db, client, kind):
    make_initiative(title="Publiée à Calais", submitter_email="prive@exemple.test")
    make_initiative(title="Proposée", status=Status.SUBMITTED)
    make_initiative(title="Archivée", status=Status.ARCHIVED)
    make_initiative(title="Autre crise", campaign=make_campaign(slug="crue", name="Crue"))

    response, feed = parse(client, f"/flux/initiatives/covid-19/{kind}/")

    assert [e.title for e in feed.entries] == ["Publiée à Calais"]
    assert "prive@exemple.test" not in response.content.decode()


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_the_commune_feed_lists_the_initiatives_placed_there(db, client, kind):
    make_initiative(title="À Calais", communes=("62193",))
    make_initiative(title="À Arras", communes=("62041",))
    _, feed = parse(client, f"/flux/communes/62193/{kind}/")
    assert [e.title for e in feed.entries] == ["À Calais"]
    assert "Calais" in feed.feed.title


def test_unknown_feed_objects_are_not_found(db, client):
    assert client.get("/flux/communes/00000/rss/").status_code == 404
    assert client.get("/flux/initiatives/inconnue/rss/").status_code == 404
