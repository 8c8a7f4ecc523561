"""What this app does when another app sends its signals."""

from django.core.exceptions import ValidationError
from django.urls import reverse

from .models import Kind
from .selectors import member_of
from .services import organisation_sign_in


def on_proconnect_signed_in(sender, *, user, claims, request=None, **kwargs):
    """A ProConnect sign-in: the organisation of its SIRET and the person's membership.

    Prefecture staff sign in with their prefecture's SIRET: theirs are the staff roles,
    not an organisation. A claim without a valid SIRET refuses the sign-in with a French
    ValidationError: the accounts app shows its message and rolls the whole sign-in back,
    so no account is created or changed.
    """
    if user.is_staff or user.is_superuser:
        return
    outcome = organisation_sign_in(user=user, claims=claims)
    if outcome.error:
        raise ValidationError(outcome.error, code="siret")


def commune_actions(sender, *, commune, request, **kwargs) -> list[tuple[str, str]]:
    """A mairie's (or its CCAS's) approved member on its commune's page: "Ajouter une
    initiative", to its own space's proposal form."""
    member = member_of(request.user)
    if member is None:
        return []
    organisation = member.organisation
    if organisation.kind not in (Kind.MAIRIE, Kind.CCAS) or organisation.commune_id != commune.pk:
        return []
    url = reverse("organisations:propose") + f"?commune={commune.pk}"
    return [("Ajouter une initiative", url)]
