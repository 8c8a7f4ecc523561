"""Feeds of the area pages and of a search; the pages link them and "M'alerter"."""

import pytest

from solidaire.initiatives.models import Status
from tests.factories import make_initiative, make_theme
from tests.feeds import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def initiatives():
    make_initiative(title="À Boulogne", communes=["62160"])
    make_initiative(title="Sur le Boulonnais", communes=[], epcis=["246200729"])
    make_initiative(title="À Arras", communes=["62041"])
    make_initiative(title="Terminée à Boulogne", communes=["62160"], status=Status.ARCHIVED)


@pytest.mark.parametrize("kind", ["rss", "atom"])
@pytest.mark.parametrize(
    "path, expected",
    [
        ("epci/246200729", {"À Boulogne", "Sur le Boulonnais"}),
        ("arrondissements/623", {"À Boulogne"}),
        ("departements/62", {"À Boulogne", "Sur le Boulonnais", "À Arras"}),
    ],
)
def test_area_feeds_list_what_their_page_lists(client, initiatives, path, expected, kind):
    _, feed = parse(client, f"/flux/{path}/{kind}/")
    assert {entry.title for entry in feed.entries} == expected


def test_the_search_feed_reads_the_list_filters(client, initiatives):
    _, feed = parse(client, "/flux/recherche/rss/?commune=Boulogne-sur-Mer&commune__insee=62160")
    assert [entry.title for entry in feed.entries] == ["À Boulogne"]
    _, feed = parse(client, "/flux/recherche/atom/?commune__insee=62160&status=archived")
    assert [entry.title for entry in feed.entries] == ["Terminée à Boulogne"]
    # An invalid filter is left out, as on the list.
    _, feed = parse(client, "/flux/recherche/rss/?epci=000")
    assert len(feed.entries) == 3


def test_unknown_areas_have_no_feed(client):
    assert client.get("/flux/epci/999999999/rss/").status_code == 404
    assert client.get("/flux/departements/XX/atom/").status_code == 404


def test_pages_offer_alerts_and_link_their_feeds(client, initiatives):
    commune = client.get("/communes/62193/").content.decode()
    assert 'href="/alertes/?commune=62193"' in commune
    assert 'rel="alternate" type="application/rss+xml"' in commune
    assert "/flux/communes/62193/atom/" in commune
    epci = client.get("/epci/246200729/").content.decode()
    assert 'href="/alertes/?epci=246200729"' in epci
    assert "/flux/epci/246200729/rss/" in epci
    theme = make_theme(name="Personnes âgées")
    search = client.get(
        "/initiatives/",
        {"commune": "Boulogne-sur-Mer", "commune__insee": "62160", "theme": theme.slug},
    )
    body = search.content.decode()
    assert f'href="/alertes/?commune=62160&amp;theme={theme.slug}"' in body
    assert "/flux/recherche/rss/?commune=Boulogne-sur-Mer&amp;commune__insee=62160" in body
