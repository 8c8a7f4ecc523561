"""Sitemaps of the public initiatives and of the commune pages that list them.

Each section is paged by the framework and reads only what a URL and its date need; the
index asks each section for its latest date with one aggregate, never by iterating.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from .models import Initiative, Place, listed_q


class InitiativeSitemap(Sitemap):
    def items(self):
        return Initiative.objects.listed().only("pk", "updated_at").order_by("pk")

    def lastmod(self, initiative):
        return initiative.updated_at

    def get_latest_lastmod(self):
        return Initiative.objects.listed().aggregate(last=Max("updated_at"))["last"]


def _public_places():
    return Place.objects.filter(listed_q("initiative__"), commune__isnull=False)


class CommuneSitemap(Sitemap):
    """The pages of communes where a public initiative is placed, dated by the latest one."""

    def items(self):
        return (
            _public_places()
            .values("commune_id")
            .annotate(last=Max("initiative__updated_at"))
            .order_by("commune_id")
        )

    def location(self, row):
        return reverse("initiatives:commune", args=[row["commune_id"]])

    def lastmod(self, row):
        return row["last"]

    def get_latest_lastmod(self):
        return _public_places().aggregate(last=Max("initiative__updated_at"))["last"]
