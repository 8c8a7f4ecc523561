"""What this app erases of a person (RGPD art. 17): invitations sent to their address,
and their name or contacts in a refusal's reason. Member accounts are staff-side users,
removed with the account itself."""

from django.db.models import Q

from solidaire.initiatives.erasers import Erasure, scrub_rows

from .models import Organisation, OrganisationInvitation


def organisations_erase(erasure: Erasure) -> None:
    emails = {email.lower() for email in erasure.needles.emails}
    if emails:
        by_email = Q(pk__in=[])
        for email in emails:
            by_email |= Q(email__iexact=email)
        deleted = OrganisationInvitation.objects.filter(by_email).delete()[1]
        erasure.counts["invitations d’organisations"] += deleted.get(
            "organisations.OrganisationInvitation", 0
        )
    scrub_rows(
        Organisation.objects.exclude(refusal_reason=""),
        ["refusal_reason"],
        erasure,
        "motifs de refus d’organisations",
    )
