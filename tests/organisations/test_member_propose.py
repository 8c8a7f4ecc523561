"""A member proposes an initiative from its space: moderated like a public proposal,
attached to its organisation, owned by its commune's prefecture."""

import pytest

from solidaire.initiatives.models import Initiative, Status
from solidaire.organisations.models import OrganisationInitiative
from tests.initiatives.factories import propose_data
from tests.organisations.factories import text

pytestmark = pytest.mark.django_db
PROPOSE = "/organisation/initiatives/nouvelle/"


def test_the_form_is_filled_with_the_organisation(mairie_member):
    page = text(mairie_member.client.get(PROPOSE + "?commune=62193"))
    assert 'value="Mairie de Calais"' in page
    assert 'value="claire@organisation.test"' in page
    assert "62193" in page


def test_a_proposal_goes_to_moderation_attached_to_the_organisation(mairie_member):
    data = propose_data(title="Courses pour les aînés", actor_kind="municipality")
    response = mairie_member.client.post(PROPOSE, data)
    assert response.status_code == 302
    initiative = Initiative.objects.get(title="Courses pour les aînés")
    assert initiative.status == Status.SUBMITTED
    assert initiative.owner_department_id == "62"
    assert OrganisationInitiative.objects.get(initiative=initiative).organisation == (
        mairie_member.organisation
    )
    # Sent twice (a double click): proposed once.
    mairie_member.client.post(PROPOSE, data)
    assert Initiative.objects.filter(title="Courses pour les aînés").count() == 1


def test_errors_keep_the_input(mairie_member):
    response = mairie_member.client.post(
        PROPOSE, propose_data(title="", beneficiaries="aînés isolés")
    )
    assert response.status_code == 400
    page = text(response)
    assert "Erreur" in page and 'value="aînés isolés"' in page
    assert not Initiative.objects.exists()
