"""The prefecture's organisation pages: scoped by the organisation's commune, approve,
refuse, trust, attach."""

import pytest

from solidaire.initiatives.models import Status
from solidaire.organisations.models import (
    Organisation,
    OrganisationInitiative,
    OrganisationStatus,
)
from tests.factories import make_initiative
from tests.organisations.factories import make_member, make_organisation, text

pytestmark = pytest.mark.django_db
LIST = "/gestion/organisations/"


def url(organisation, action=""):
    return f"{LIST}{organisation.pk}/{action}"


@pytest.fixture
def pending():
    return {
        "62": make_organisation(name="Asso du 62", status="pending", commune="62193"),
        "59": make_organisation(name="Asso du 59", status="pending", commune="59350"),
        "none": make_organisation(name="", kind="", status="pending", commune=None),
    }


def test_moderators_see_their_departement_and_those_without_a_commune(
    client, moderator62, moderator59, pending
):
    client.force_login(moderator62)
    page = text(client.get(LIST))
    assert "Asso du 62" in page and "Asso du 59" not in page
    assert pending["none"].siret in page and "Sans commune : tous départements" in page
    client.force_login(moderator59)
    page = text(client.get(LIST))
    assert "Asso du 59" in page and "Asso du 62" not in page
    assert pending["none"].siret in page


def test_another_departements_organisation_is_refused(client, moderator59, pending):
    client.force_login(moderator59)
    assert client.get(url(pending["62"])).status_code == 403
    response = client.post(
        url(pending["62"], "valider/"),
        {"name": "Prise", "kind": "association", "commune": "62193"},
    )
    assert response.status_code == 403
    assert Organisation.objects.get(pk=pending["62"].pk).status == OrganisationStatus.PENDING


def test_visitors_and_members_are_kept_out(client, pending, mairie_member):
    assert client.get(LIST).status_code == 302
    assert client.post(url(pending["62"], "valider/")).status_code == 403
    assert mairie_member.client.get(LIST).status_code == 403


def test_approval_completes_what_the_member_left_out(client, moderator62, pending):
    client.force_login(moderator62)
    organisation = pending["none"]
    response = client.post(
        url(organisation, "valider/"),
        {"name": "CCAS de Calais", "kind": "ccas", "commune": "Calais"},
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.APPROVED
    assert (organisation.name, organisation.kind, organisation.commune_id) == (
        "CCAS de Calais",
        "ccas",
        "62193",
    )
    assert organisation.decided_by == moderator62 and organisation.decided_at is not None


def test_approval_errors_are_french_and_keep_the_input(client, moderator62, pending):
    client.force_login(moderator62)
    organisation = pending["none"]
    response = client.post(
        url(organisation, "valider/"), {"name": "Mon CCAS", "kind": "", "commune": "Lille"}
    )
    assert response.status_code == 400
    page = text(response)
    assert "Choisissez le type d'organisation." in page
    assert "pas dans un département que vous modérez" in page
    assert 'value="Mon CCAS"' in page
    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.PENDING


def test_refusal_needs_a_reason(client, moderator62, pending):
    client.force_login(moderator62)
    organisation = pending["62"]
    response = client.post(url(organisation, "refuser/"), {"reason": " "})
    assert response.status_code == 400
    assert "Indiquez le motif du refus." in text(response)
    client.post(url(organisation, "refuser/"), {"reason": "Pas une organisation du 62."})
    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.REFUSED
    assert organisation.refusal_reason == "Pas une organisation du 62."


def test_trust_is_for_approved_organisations(client, moderator62, pending):
    client.force_login(moderator62)
    client.post(url(pending["62"], "confiance/"), {"trusted": "1"})
    assert not Organisation.objects.get(pk=pending["62"].pk).trusted
    approved = make_organisation(name="Validée")
    client.post(url(approved, "confiance/"), {"trusted": "1"})
    assert Organisation.objects.get(pk=approved.pk).trusted
    client.post(url(approved, "confiance/"), {"trusted": "0"})
    assert not Organisation.objects.get(pk=approved.pk).trusted


def test_attach_an_existing_initiative_of_the_moderators_departement(client, moderator62):
    organisation = make_organisation(name="Validée")
    make_member(organisation, "claire")
    mine = make_initiative(title="Du 62", owner="62")
    theirs = make_initiative(title="Du 59", owner="59", communes=("59350",))
    client.force_login(moderator62)
    response = client.post(url(organisation, "rattacher/"), {"initiative": str(theirs.pk)})
    assert response.status_code == 400
    assert "Aucune initiative de ce numéro" in text(response)
    response = client.post(url(organisation, "rattacher/"), {"initiative": "abc"})
    assert response.status_code == 400
    client.post(url(organisation, "rattacher/"), {"initiative": str(mine.pk)})
    assert OrganisationInitiative.objects.get().initiative == mine
    page = text(client.get(url(organisation)))
    assert "Du 62" in page and mine.status == Status.PUBLISHED
