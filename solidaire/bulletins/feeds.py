"""Atom and RSS feeds of a series' numbers (/flux/bulletins/); initiatives have their own."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.html import escape

from solidaire.initiatives.feeds import FEED_SIZE, AtomFeedType, RssFeedType, feed_html, feed_text
from solidaire.lib.dates import format_date

from .models import BulletinSeries
from .selectors import published_bulletins


class SeriesFeed(Feed):
    feed_type = RssFeedType
    language = "fr"

    def get_object(self, request, slug):
        return get_object_or_404(BulletinSeries, slug=slug)

    def title(self, series):
        return feed_text(series.title)

    def link(self, series):
        return series.get_absolute_url()

    def description(self, series):
        return f"Les numéros de « {series.title} », publiés par la préfecture."

    def items(self, series):
        return published_bulletins(series)[:FEED_SIZE]

    def item_title(self, bulletin):
        return feed_text(f"{bulletin.snapshot['title']} du {format_date(bulletin.issue_date)}")

    def item_description(self, bulletin):
        intro = bulletin.snapshot.get("introduction", "")
        count = bulletin.snapshot.get("item_count", 0)
        s = "s" if count > 1 else ""
        return f"{feed_html(intro[:600])}<p>{escape(count)} initiative{s} relayée{s}.</p>"

    def item_link(self, bulletin):
        return bulletin.get_absolute_url()

    def item_pubdate(self, bulletin):
        return bulletin.published_at

    def item_updateddate(self, bulletin):
        return bulletin.updated_at


class SeriesAtomFeed(SeriesFeed):
    feed_type = AtomFeedType
    subtitle = SeriesFeed.description
