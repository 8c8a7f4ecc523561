"""Reads of the back-office: the moderation queue, scoped to the user's départements."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from solidaire.accounts.access import moderated_department_codes
from solidaire.initiatives.freshness import current_ask, opted_out, to_verify
from solidaire.initiatives.models import Initiative, Report, Status
from solidaire.initiatives.selectors import (
    filter_given,
    placed_in_arrondissement,
    placed_in_epci,
    without_public_contact,
)


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
    no_contact: bool = False  # gives no way to act: no public contact


def scoped_initiatives(user) -> QuerySet[Initiative]:
    codes = moderated_department_codes(user)
    qs = Initiative.objects.all()
    return qs if codes is None else qs.filter(owner_department_id__in=codes)


def moderation_queue(*, user, filters: QueueFilters) -> QuerySet[Initiative]:
    """Initiatives the user moderates, oldest proposals first, with their open reports and
    whether they lack a public contact (``no_public_contact``)."""
    open_reports = Report.objects.filter(initiative=OuterRef("pk"), resolved_at__isnull=True)
    qs = filter_given(
        scoped_initiatives(user).select_related("campaign", "owner_department"),
        status=filters.status,
        campaign__slug=filters.campaign,
        themes__slug=filters.theme,
        owner_department_id=filters.department,
        source=filters.source,
    )
    if filters.arrondissement:
        qs = qs.filter(placed_in_arrondissement(filters.arrondissement))
    if filters.epci:
        qs = qs.filter(placed_in_epci(filters.epci))
    if filters.age:
        qs = qs.filter(created_at__lte=timezone.now() - timedelta(days=int(filters.age)))
    if filters.reported:
        qs = qs.filter(Exists(open_reports))
    if filters.no_contact:
        qs = qs.filter(without_public_contact())
    ids = qs.values("pk")
    return (
        Initiative.objects.filter(pk__in=ids)
        .select_related("campaign", "owner_department")
        .annotate(
            open_reports=Count("reports", filter=Q(reports__resolved_at__isnull=True)),
            no_public_contact=without_public_contact(),
        )
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


def published_without_contact_count(user) -> int:
    """Published initiatives of the user's départements that give no way to act."""
    return (
        scoped_initiatives(user).filter(without_public_contact(), status=Status.PUBLISHED).count()
    )


def to_verify_for(user) -> QuerySet[Initiative]:
    """The user's "à vérifier": published initiatives of their départements that nobody can
    be e-mailed about, or whose submitter stayed silent, least recently verified first, with
    their contacts, whether the submitter opted out and the last unanswered call."""
    return (
        to_verify(scoped_initiatives(user), now=timezone.now())
        .select_related("campaign", "owner_department")
        .prefetch_related("contacts")
        .annotate(
            opted_out=opted_out(),
            called_at=Subquery(current_ask().values("called_at")[:1]),
        )
        .order_by("verified_at", "id")
    )
