"""Reads of organisations: a member's own, a moderator's scope."""

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When

from solidaire.accounts.access import moderated_department_codes
from solidaire.initiatives.models import FreshnessAsk, Initiative, Status

from .models import (
    Organisation,
    OrganisationInitiative,
    OrganisationMember,
    OrganisationStatus,
)


def membership_of(user) -> OrganisationMember | None:
    """The person's membership, whatever its state (None for none)."""
    if not user.is_authenticated:
        return None
    return (
        OrganisationMember.objects.select_related("organisation__commune").filter(user=user).first()
    )


def member_of(user) -> OrganisationMember | None:
    """The membership that opens the organisation's private space: accepted, in an
    approved organisation."""
    member = membership_of(user)
    if member is None or member.accepted_at is None or not member.organisation.is_approved:
        return None
    return member


def organisation_initiatives(organisation: Organisation) -> QuerySet[Initiative]:
    """Every initiative of the organisation, whatever its status, newest first."""
    asked = FreshnessAsk.objects.filter(
        initiative=OuterRef("pk"), cycle=OuterRef("verified_at"), answered_at__isnull=True
    )
    return (
        Initiative.objects.filter(organisation_link__organisation=organisation)
        .select_related("campaign")
        .annotate(open_ask=Exists(asked))
        .order_by("-created_at", "-pk")
    )


def needs_confirmation(initiatives) -> list[Initiative]:
    """Those a freshness ask waits for, or already "à confirmer" or hidden."""
    return [
        i
        for i in initiatives
        if i.status == Status.PUBLISHED and (i.open_ask or i.freshness != "current")
    ]


def organisations_for_moderator(user) -> QuerySet[Organisation]:
    """Organisations of the départements the user moderates, by their commune's; one
    without a commune yet is every moderator's (flagged in the list)."""
    codes = moderated_department_codes(user)
    found = Organisation.objects.select_related("commune", "decided_by").annotate(
        member_count=Count("members", filter=Q(members__accepted_at__isnull=False))
    )
    if codes is not None:
        found = found.filter(Q(commune__department_id__in=codes) | Q(commune__isnull=True))
    return found


def pending_first(organisations: QuerySet[Organisation]) -> QuerySet[Organisation]:
    pending = Case(
        When(status=OrganisationStatus.PENDING, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return organisations.order_by(pending, "-created_at", "pk")


def organisation_of_initiative(initiative: Initiative) -> Organisation | None:
    link = (
        OrganisationInitiative.objects.select_related("organisation")
        .filter(initiative=initiative)
        .first()
    )
    return link.organisation if link else None
