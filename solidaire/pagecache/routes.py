"""Which public URLs are cached, and which versions each shows.

Keyed by URL name; each entry returns, from the URL's arguments, the version keys of what
the page shows (``versions``), every page also showing the site's names (``SITE``). A URL
that is not listed here is never cached. ``api`` routes keep the API's throttle on hits.
"""

from collections.abc import Callable
from dataclasses import dataclass

from .versions import BULLETINS, LISTS, SITE, campaign_key, initiative_key, place_key


@dataclass(frozen=True)
class Route:
    versions: Callable[[dict], list[str]]
    api: bool = False


def _none(kwargs) -> list[str]:
    return []


def _lists(kwargs) -> list[str]:
    return [LISTS]


def _bulletins(kwargs) -> list[str]:
    return [BULLETINS]


def _initiative(kwargs) -> list[str]:
    return [initiative_key(kwargs["pk"])]


def _place(kind: str, argument: str) -> Callable[[dict], list[str]]:
    # The views look codes up in capitals (2a and 2A are one département).
    return lambda kwargs: [place_key(kind, str(kwargs[argument]).upper())]


ROUTES: dict[str, Route] = {
    # The home page shows the latest initiatives, the counts and the campaigns.
    "initiatives:home": Route(lambda kwargs: [LISTS, BULLETINS]),
    "initiatives:list": Route(_lists),
    "initiatives:detail": Route(_initiative),
    "initiatives:commune": Route(_place("commune", "insee")),
    "initiatives:epci": Route(_place("epci", "siren")),
    "initiatives:arrondissement": Route(_place("arrondissement", "code")),
    "initiatives:department": Route(_place("department", "code")),
    "initiatives:region": Route(_place("region", "code")),
    "initiatives:france": Route(_none),
    # Any commune and radius (or position) a visitor asks for: the lists' version.
    "initiatives:near_me": Route(_lists),
    "initiatives:map": Route(_lists),
    # Every call change bumps its initiative's pages, the lists among them.
    "initiatives:volunteer_calls": Route(_lists),
    "initiatives:volunteer_feed_xml": Route(_lists),
    "initiatives:volunteer_feed_json": Route(_lists),
    "initiatives:map_counts": Route(_lists),
    "initiatives:map_panel": Route(_place("commune", "insee")),
    "initiatives:feed_campaign_rss": Route(lambda kwargs: [campaign_key(kwargs["slug"])]),
    "initiatives:feed_campaign_atom": Route(lambda kwargs: [campaign_key(kwargs["slug"])]),
    "initiatives:feed_commune_rss": Route(_place("commune", "insee")),
    "initiatives:feed_commune_atom": Route(_place("commune", "insee")),
    "territory:search": Route(_none),
    "bulletins:archive": Route(_bulletins),
    "bulletins:series": Route(_bulletins),
    "bulletins:detail": Route(_bulletins),
    "bulletins:pdf": Route(_bulletins),
    "bulletins:feed_series_rss": Route(_bulletins),
    "bulletins:feed_series_atom": Route(_bulletins),
    "opendata:api-initiatives": Route(_lists, api=True),
    "opendata:api-initiative": Route(_initiative, api=True),
    "opendata:api-campaigns": Route(_lists, api=True),
    "opendata:api-bulletins": Route(_bulletins, api=True),
    # Not the figures (/chiffres/, its CSVs, /api/v1/stats/): they keep their own cache
    # (opendata/figures.py), whose minutes of delay a second cache would lengthen.
    "opendata:index": Route(_lists),
    "opendata:datapackage": Route(_lists),
    "accessibility": Route(_none),
    "legal": Route(_none),
    "privacy": Route(_none),
    "sitemap": Route(lambda kwargs: [LISTS, BULLETINS]),
    "django.contrib.sitemaps.views.sitemap": Route(lambda kwargs: [LISTS, BULLETINS]),
}


def route_versions(view_name: str, kwargs: dict) -> tuple[Route, list[str]] | None:
    """The route of a URL name and the version keys its page shows (None: not cached)."""
    route = ROUTES.get(view_name)
    if route is None:
        return None
    return route, [SITE, *route.versions(kwargs)]
