"""RGPD art. 17 reaches the organisations: invitations to the address, refusal reasons."""

import pytest

from solidaire.initiatives.erasure import personal_data_erase
from solidaire.organisations.models import Organisation, OrganisationInvitation
from tests.organisations.factories import make_organisation

pytestmark = pytest.mark.django_db


def test_invitations_and_refusal_reasons_lose_the_person(admin_user):
    organisation = make_organisation(status="refused")
    Organisation.objects.filter(pk=organisation.pk).update(
        refusal_reason="Demande de Jérémie Dupont-Lefèvre (jeremie@exemple.test) : hors 62."
    )
    OrganisationInvitation.objects.create(organisation=organisation, email="jeremie@exemple.test")
    OrganisationInvitation.objects.create(organisation=organisation, email="autre@exemple.test")
    counts = personal_data_erase(
        name="Jérémie Dupont-Lefèvre", email="Jeremie@Exemple.test", by=admin_user
    )
    assert counts["invitations d’organisations"] == 1
    assert list(OrganisationInvitation.objects.values_list("email", flat=True)) == [
        "autre@exemple.test"
    ]
    reason = Organisation.objects.get(pk=organisation.pk).refusal_reason
    assert "Jérémie" not in reason and "jeremie@" not in reason and "hors 62" in reason
