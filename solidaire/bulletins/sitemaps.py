"""Sitemaps of the published numbers and of the series pages that list them."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q

from .models import Bulletin, BulletinSeries, BulletinStatus
from .selectors import published_bulletins


class BulletinSitemap(Sitemap):
    def items(self):
        # A stable order for the pages: issue dates repeat across series.
        return (
            published_bulletins().only("pk", "number", "updated_at", "series__slug").order_by("pk")
        )

    def lastmod(self, bulletin):
        return bulletin.updated_at

    def get_latest_lastmod(self):
        return published_bulletins().aggregate(last=Max("updated_at"))["last"]


_PUBLISHED = Q(bulletins__status=BulletinStatus.PUBLISHED)


class SeriesSitemap(Sitemap):
    """Every series page (it offers the subscription), dated by its latest published number."""

    def items(self):
        return BulletinSeries.objects.annotate(
            last=Max("bulletins__updated_at", filter=_PUBLISHED)
        ).order_by("slug")

    def lastmod(self, series):
        return series.last

    def get_latest_lastmod(self):
        return Bulletin.objects.filter(status=BulletinStatus.PUBLISHED).aggregate(
            last=Max("updated_at")
        )["last"]
