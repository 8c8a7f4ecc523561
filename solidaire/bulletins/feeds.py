"""Atom and RSS feeds (/flux/): numbers of a series, new initiatives per campaign and commune."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from solidaire.initiatives.models import Campaign, Status
from solidaire.initiatives.selectors import InitiativeFilters, initiative_search
from solidaire.lib.dates import format_date
from solidaire.territory.models import Commune

from .models import BulletinSeries
from .selectors import published_bulletins

FEED_SIZE = 30


class _Rss(Rss201rev2Feed):
    content_type = "application/rss+xml; charset=utf-8"


class _Atom(Atom1Feed):
    content_type = "application/atom+xml; charset=utf-8"


class SeriesFeed(Feed):
    feed_type = _Rss
    language = "fr"

    def get_object(self, request, slug):
        return get_object_or_404(BulletinSeries, slug=slug)

    def title(self, series):
        return series.title

    def link(self, series):
        return series.get_absolute_url()

    def description(self, series):
        return f"Les numéros de « {series.title} », publiés par la préfecture."

    def items(self, series):
        return published_bulletins(series)[:FEED_SIZE]

    def item_title(self, bulletin):
        return f"{bulletin.snapshot['title']} du {format_date(bulletin.issue_date)}"

    def item_description(self, bulletin):
        intro = bulletin.snapshot.get("introduction", "")
        count = bulletin.snapshot.get("item_count", 0)
        s = "s" if count > 1 else ""
        return f"{intro[:600]}\n\n{count} initiative{s} relayée{s}."

    def item_link(self, bulletin):
        return bulletin.get_absolute_url()

    def item_pubdate(self, bulletin):
        return bulletin.published_at

    def item_updateddate(self, bulletin):
        return bulletin.updated_at


class SeriesAtomFeed(SeriesFeed):
    feed_type = _Atom
    subtitle = SeriesFeed.description


def initiative_link(initiative) -> str:
    try:
        return initiative.get_absolute_url()
    except NoReverseMatch:  # The public detail page is another area's; keep a stable URL.
        return f"/initiatives/{initiative.pk}/"


class _InitiativeFeed(Feed):
    """Newly published initiatives: public fields only, never the submitter's."""

    feed_type = _Rss
    language = "fr"

    def filters(self, obj) -> InitiativeFilters:
        raise NotImplementedError

    def items(self, obj):
        return (
            initiative_search(filters=self.filters(obj))
            .select_related("campaign")
            .prefetch_related("places__commune")[:FEED_SIZE]
        )

    def item_title(self, initiative):
        return initiative.title

    def item_description(self, initiative):
        places = ", ".join(str(p.area) for p in initiative.places.all() if p.area)
        head = f"{initiative.actor_name} — {places}" if places else initiative.actor_name
        return f"{head}\n\n{initiative.description[:1000]}"

    def item_link(self, initiative):
        return initiative_link(initiative)

    def item_pubdate(self, initiative):
        return initiative.published_at or timezone.now()

    def item_updateddate(self, initiative):
        return initiative.updated_at


class CampaignInitiativesFeed(_InitiativeFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Campaign, slug=slug)

    def filters(self, campaign):
        return InitiativeFilters(campaign=campaign.slug, status=Status.PUBLISHED)

    def title(self, campaign):
        return f"{campaign.name} : nouvelles initiatives — {settings.SITE_TITLE}"

    def link(self, campaign):
        return f"/initiatives/?campaign={campaign.slug}"

    def description(self, campaign):
        return f"Les initiatives de solidarité publiées pour « {campaign.name} »."


class CampaignInitiativesAtomFeed(CampaignInitiativesFeed):
    feed_type = _Atom
    subtitle = CampaignInitiativesFeed.description


class CommuneInitiativesFeed(_InitiativeFeed):
    def get_object(self, request, insee):
        return get_object_or_404(Commune, insee_code=insee)

    def filters(self, commune):
        return InitiativeFilters(commune=commune.insee_code, status=Status.PUBLISHED)

    def title(self, commune):
        return f"Initiatives à {commune.name} — {settings.SITE_TITLE}"

    def link(self, commune):
        try:
            return reverse("initiatives:commune", args=[commune.insee_code])
        except NoReverseMatch:
            return f"/communes/{commune.insee_code}/"

    def description(self, commune):
        return f"Les initiatives de solidarité publiées à {commune.name} ({commune.department_id})."


class CommuneInitiativesAtomFeed(CommuneInitiativesFeed):
    feed_type = _Atom
    subtitle = CommuneInitiativesFeed.description
