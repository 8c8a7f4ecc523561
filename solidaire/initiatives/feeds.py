"""Atom and RSS feeds of newly published initiatives: per campaign, commune, EPCI,
arrondissement, département and search (/flux/…).

Feed readers render titles and summaries as HTML: titles go out as plain text without
markup, summaries as the same nh3-cleaned HTML as the pages, never as raw input.
"""

from dataclasses import replace

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape, strip_tags

from solidaire.territory.models import Arrondissement, Commune, Department, Epci
from solidaire.typography import FrenchFeedMixin

from .filters import QUERY_STRING_MAX_LENGTH
from .forms_public import InitiativeFilterForm
from .markdown import render_markdown
from .models import Campaign, Status
from .selectors import InitiativeFilters, initiative_search

FEED_SIZE = 30


class RssFeedType(FrenchFeedMixin, Rss201rev2Feed):
    content_type = "application/rss+xml; charset=utf-8"


class AtomFeedType(FrenchFeedMixin, Atom1Feed):
    content_type = "application/atom+xml; charset=utf-8"


def feed_text(value: str) -> str:
    """Plain text for a feed's title: markup removed, so no reader can run it."""
    return strip_tags(value or "")


def feed_html(text: str) -> str:
    """A summary's HTML: the description's cleaned Markdown, as on the pages."""
    return render_markdown(text)


class _InitiativeFeed(Feed):
    """Newly published initiatives: public fields only, never the submitter's."""

    feed_type = RssFeedType
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
        return feed_text(initiative.title)

    def item_description(self, initiative):
        places = ", ".join(str(p.area) for p in initiative.places.all() if p.area)
        head = f"{initiative.actor_name} — {places}" if places else initiative.actor_name
        return f"<p>{escape(head)}</p>{feed_html(initiative.description[:1000])}"

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
    feed_type = AtomFeedType
    subtitle = CampaignInitiativesFeed.description


class CommuneInitiativesFeed(_InitiativeFeed):
    def get_object(self, request, insee):
        return get_object_or_404(Commune, insee_code=insee)

    def filters(self, commune):
        return InitiativeFilters(commune=commune.insee_code, status=Status.PUBLISHED)

    def title(self, commune):
        return f"Initiatives à {commune.name} — {settings.SITE_TITLE}"

    def link(self, commune):
        return reverse("initiatives:commune", args=[commune.insee_code])

    def description(self, commune):
        return f"Les initiatives de solidarité publiées à {commune.name} ({commune.department_id})."


class CommuneInitiativesAtomFeed(CommuneInitiativesFeed):
    feed_type = AtomFeedType
    subtitle = CommuneInitiativesFeed.description


class _AreaInitiativesFeed(_InitiativeFeed):
    """An EPCI's, an arrondissement's or a département's feed: what its page lists."""

    model = None
    kind = ""
    url_name = ""

    def get_object(self, request, code):
        return get_object_or_404(self.model, pk=code.upper())

    def filters(self, area):
        return InitiativeFilters(**{self.kind: area.pk}, status=Status.PUBLISHED)

    def title(self, area):
        return f"Initiatives : {area} — {settings.SITE_TITLE}"

    def link(self, area):
        return reverse(self.url_name, args=[area.pk])

    def description(self, area):
        return f"Les initiatives de solidarité publiées : {area}."


class EpciInitiativesFeed(_AreaInitiativesFeed):
    model, kind, url_name = Epci, "epci", "initiatives:epci"


class EpciInitiativesAtomFeed(EpciInitiativesFeed):
    feed_type = AtomFeedType
    subtitle = _AreaInitiativesFeed.description


class ArrondissementInitiativesFeed(_AreaInitiativesFeed):
    model, kind, url_name = Arrondissement, "arrondissement", "initiatives:arrondissement"


class ArrondissementInitiativesAtomFeed(ArrondissementInitiativesFeed):
    feed_type = AtomFeedType
    subtitle = _AreaInitiativesFeed.description


class DepartmentInitiativesFeed(_AreaInitiativesFeed):
    model, kind, url_name = Department, "department", "initiatives:department"


class DepartmentInitiativesAtomFeed(DepartmentInitiativesFeed):
    feed_type = AtomFeedType
    subtitle = _AreaInitiativesFeed.description


class SearchInitiativesFeed(_InitiativeFeed):
    """A search's feed: the public list's query string, read by the list's own form (a
    commune typed by name, invalid filters left out, as on the list)."""

    def get_object(self, request):
        form = InitiativeFilterForm(request.GET)
        form.is_valid()
        filters = form.filters()
        query = request.GET.urlencode()[:QUERY_STRING_MAX_LENGTH]
        return filters, query

    def filters(self, obj):
        filters, _ = obj
        return replace(filters, status=filters.status or Status.PUBLISHED)

    def title(self, obj):
        return f"Recherche d'initiatives — {settings.SITE_TITLE}"

    def link(self, obj):
        _, query = obj
        return reverse("initiatives:list") + (f"?{query}" if query else "")

    def description(self, obj):
        return "Les initiatives de solidarité publiées qui répondent à cette recherche."


class SearchInitiativesAtomFeed(SearchInitiativesFeed):
    feed_type = AtomFeedType
    subtitle = SearchInitiativesFeed.description
