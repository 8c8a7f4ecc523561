"""/sitemap.xml: an index of one sitemap per kind of public page (see urls.py)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from solidaire.bulletins.sitemaps import BulletinSitemap, SeriesSitemap
from solidaire.initiatives.sitemaps import CommuneSitemap, InitiativeSitemap

# The lists and the static pages: the other public pages are reached from these.
PAGES = [
    "initiatives:home",
    "initiatives:list",
    "initiatives:map",
    "initiatives:near_me",
    "initiatives:volunteer_calls",
    "territory:search",
    "bulletins:archive",
    "opendata:index",
    "opendata:figures",
    "accessibility",
    "legal",
    "privacy",
]


class PageSitemap(Sitemap):
    def items(self):
        return PAGES

    def location(self, name):
        return reverse(name)


SITEMAPS = {
    "pages": PageSitemap,
    "initiatives": InitiativeSitemap,
    "communes": CommuneSitemap,
    "bulletins": BulletinSitemap,
    "series": SeriesSitemap,
}
