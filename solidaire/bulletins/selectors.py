"""Reads on bulletins."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, QuerySet

from solidaire.initiatives.models import Initiative, Status, listed_q

from .models import Bulletin, BulletinItem, BulletinSeries, BulletinStatus


def next_number(series: BulletinSeries) -> int:
    """The number the next publication of ``series`` takes: consecutive from first_number."""
    last = (
        Bulletin.objects.filter(series=series, status=BulletinStatus.PUBLISHED)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return max(series.first_number, (last or 0) + 1)


def relayed_items(series: BulletinSeries) -> QuerySet[BulletinItem]:
    return BulletinItem.objects.filter(
        bulletin__series=series, bulletin__status=BulletinStatus.PUBLISHED
    )


def unrelayed_initiatives(series: BulletinSeries) -> QuerySet[Initiative]:
    """Published initiatives of the series' campaign and département not yet in a number."""
    relayed = relayed_items(series).filter(initiative=OuterRef("pk"))
    return (
        Initiative.objects.filter(
            listed_q(),  # not one hidden as probably ended
            status=Status.PUBLISHED,
            campaign_id=series.campaign_id,
            owner_department_id=series.department_id,
        )
        .exclude(Exists(relayed))
        .order_by("published_at", "id")
    )


def section_theme(initiative: Initiative, campaign_id: int):
    """The section of an initiative: the first top-level theme of it in the campaign's order.

    Sub-themes count for their parent (sections are top-level themes); None if it has none.
    """
    roots = {
        (t.parent if t.parent_id else t)
        for t in initiative.themes.all()
        if t.campaign_id == campaign_id
    }
    return min(roots, key=lambda t: (t.position, t.name, t.pk), default=None)


@dataclass(frozen=True)
class Relay:
    series_title: str
    number: int
    issue_date: date
    url: str


def relays_of(initiative: Initiative) -> list[Relay]:
    """The published numbers that relayed ``initiative``, oldest first."""
    bulletins = (
        Bulletin.objects.filter(status=BulletinStatus.PUBLISHED, items__initiative=initiative)
        .select_related("series")
        .order_by("issue_date", "number")
    )
    return [Relay(b.series.title, b.number, b.issue_date, b.get_absolute_url()) for b in bulletins]


def published_bulletins(series: BulletinSeries | None = None) -> QuerySet[Bulletin]:
    qs = Bulletin.objects.filter(status=BulletinStatus.PUBLISHED).select_related("series")
    if series is not None:
        qs = qs.filter(series=series)
    return qs.order_by("-issue_date", "-number")


def series_for_editor(user) -> QuerySet[BulletinSeries]:
    qs = BulletinSeries.objects.select_related("department", "campaign")
    if user.is_superuser:
        return qs
    return qs.filter(department_id__in=user.department_codes("editor"))
