import pytest

from tests.feeds import parse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_the_series_feed_lists_published_numbers(demo, client, kind):
    response, feed = parse(client, f"/flux/bulletins/pas-de-calais-solidaire/{kind}/")
    assert ("atom" if kind == "atom" else "rss") in response["Content-Type"]
    assert feed.feed.title == "Covid-19\u00a0: le Pas-de-Calais solidaire"
    assert [e.title for e in feed.entries] == [
        "Covid-19\u00a0: le Pas-de-Calais solidaire n°6 du 24 avril 2020"
    ]
    assert feed.entries[0].link.endswith("/bulletins/pas-de-calais-solidaire/6/")
    assert "11 initiatives relayées." in feed.entries[0].summary
    assert "(s)" not in feed.entries[0].summary


def test_an_unknown_series_feed_is_not_found(db, client):
    assert client.get("/flux/bulletins/inconnue/atom/").status_code == 404


def test_pages_announce_their_feeds(demo, client):
    for url in ["/bulletins/pas-de-calais-solidaire/", "/bulletins/pas-de-calais-solidaire/6/"]:
        html = client.get(url).content.decode()
        assert 'rel="alternate" type="application/atom+xml"' in html
        assert "/flux/bulletins/pas-de-calais-solidaire/rss/" in html
