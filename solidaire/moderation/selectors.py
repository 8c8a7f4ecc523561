"""Reads of the back-office: the moderation queue, scoped to the user's départements."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from solidaire.accounts.access import moderated_department_codes
from solidaire.initiatives.models import Initiative, Report


@dataclass(frozen=True)
class QueueFilters:
    status: str = ""
    campaign: str = ""  # slug
    theme: str = ""  # slug
    department: str = ""  # owning département
    arrondissement: str = ""
    epci: str = ""
    age: str = ""  # "7", "30": proposed at least that many days ago
    source: str = ""
    reported: bool = False


def scoped_initiatives(user) -> QuerySet[Initiative]:
    codes = moderated_department_codes(user)
    qs = Initiative.objects.all()
    return qs if codes is None else qs.filter(owner_department_id__in=codes)


def moderation_queue(*, user, filters: QueueFilters) -> QuerySet[Initiative]:
    """Initiatives the user moderates, oldest proposals first, with their open reports."""
    open_reports = Report.objects.filter(initiative=OuterRef("pk"), resolved_at__isnull=True)
    qs = scoped_initiatives(user).select_related("campaign", "owner_department")
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.campaign:
        qs = qs.filter(campaign__slug=filters.campaign)
    if filters.theme:
        qs = qs.filter(themes__slug=filters.theme)
    if filters.department:
        qs = qs.filter(owner_department_id=filters.department)
    if filters.source:
        qs = qs.filter(source=filters.source)
    if filters.arrondissement:
        code = filters.arrondissement
        qs = qs.filter(
            Q(places__arrondissement_id=code) | Q(places__commune__arrondissement_id=code)
        )
    if filters.epci:
        qs = qs.filter(Q(places__epci_id=filters.epci) | Q(places__commune__epci_id=filters.epci))
    if filters.age:
        qs = qs.filter(created_at__lte=timezone.now() - timedelta(days=int(filters.age)))
    if filters.reported:
        qs = qs.filter(Exists(open_reports))
    ids = qs.values("pk")
    return (
        Initiative.objects.filter(pk__in=ids)
        .select_related("campaign", "owner_department")
        .annotate(open_reports=Count("reports", filter=Q(reports__resolved_at__isnull=True)))
        .order_by("created_at", "id")
    )


def open_reports_for(user) -> QuerySet[Report]:
    return (
        Report.objects.filter(resolved_at__isnull=True, initiative__in=scoped_initiatives(user))
        .select_related("initiative")
        .order_by("created_at")
    )


def status_counts(user) -> dict[str, int]:
    """How many initiatives of the user's départements are in each status (one query)."""
    rows = scoped_initiatives(user).order_by().values_list("status").annotate(n=Count("pk"))
    return dict(rows)
