"""Reading the site's feeds in tests: a 200 that feedparser reads without complaint."""

import feedparser


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, (url, feed.get("bozo_exception"))
    return response, feed
