"""/organisation/: the approved member's space, and what everybody else sees of it."""

import pytest

from solidaire.initiatives.models import Status
from tests.factories import make_initiative
from tests.organisations.factories import attach, make_member, make_organisation, text

pytestmark = pytest.mark.django_db
HOME = "/organisation/"


def test_visitors_are_sent_to_the_login_page(client):
    response = client.get(HOME)
    assert response.status_code == 302 and "/comptes/" in response["Location"]


def test_an_approved_member_sees_every_initiative_of_the_organisation(ccas_member):
    organisation = ccas_member.organisation
    for status in (Status.SUBMITTED, Status.PUBLISHED, Status.REJECTED):
        attach(make_initiative(title=f"Action {status}", status=status), organisation)
    make_initiative(title="Action d'un autre")
    page = text(ccas_member.client.get(HOME))
    assert all(f"Action {s}" in page for s in ("submitted", "published", "rejected"))
    assert "Action d'un autre" not in page
    assert "Inviter un collègue" in page


def test_a_pending_organisations_member_sees_nothing_private(client):
    organisation = make_organisation(name="Asso en attente", status="pending")
    colleague = make_member(organisation, "collegue", email="collegue@asso.test")
    member = make_member(organisation, "lea", role="member")
    initiative = attach(
        make_initiative(
            title="Action privée",
            status=Status.SUBMITTED,
            submitter_email="deposant-secret@asso.test",
        ),
        organisation,
    )
    client.force_login(member.user)
    page = text(client.get(HOME))
    assert "Demande en cours d'examen" in page
    for private in ("Action privée", "deposant-secret", "collegue@asso.test", "Collegue"):
        assert private not in page
    # Nor by its URLs: the space's pages send back to the waiting page, writes are refused.
    edit = f"/organisation/initiatives/{initiative.pk}/modifier/"
    assert client.get(edit).status_code == 302
    assert client.post(edit, {"title": "Piratée"}).status_code == 403
    assert client.post("/organisation/membres/inviter/", {"email": "x@y.test"}).status_code == 403
    assert colleague.organisation.invitations.count() == 0


def test_the_first_member_of_a_pending_organisation_proposes_what_it_is(client):
    organisation = make_organisation(name="", kind="", status="pending", commune=None)
    member = make_member(organisation, "lea")
    client.force_login(member.user)
    response = client.post(
        "/organisation/demande/", {"name": "", "kind": "ccas", "commune": "Calais"}
    )
    assert response.status_code == 400
    assert "Indiquez le nom de l'organisation." in text(response)
    client.post(
        "/organisation/demande/", {"name": "CCAS de Calais", "kind": "ccas", "commune": "Calais"}
    )
    organisation.refresh_from_db()
    assert (organisation.name, organisation.commune_id, organisation.status) == (
        "CCAS de Calais",
        "62193",
        "pending",
    )


def test_a_join_request_sees_nothing_until_a_manager_accepts(ccas_member, client):
    waiting = make_member(ccas_member.organisation, "nouveau", role="member", accepted=False)
    attach(make_initiative(title="Action du CCAS"), ccas_member.organisation)
    client.force_login(waiting.user)
    page = text(client.get(HOME))
    assert "Demande d'accès en attente" in page and "Action du CCAS" not in page
    ccas_member.client.post(f"/organisation/membres/{waiting.pk}/accepter/")
    assert "Action du CCAS" in text(client.get(HOME))


def test_a_refused_organisation_says_why(client):
    organisation = make_organisation(status="refused")
    organisation.refusal_reason = "SIRET d'une autre région."
    organisation.save()
    member = make_member(organisation, "lea")
    client.force_login(member.user)
    assert "SIRET d'une autre région." in text(client.get(HOME))


def test_staff_without_an_organisation_get_a_plain_answer(client, moderator62):
    client.force_login(moderator62)
    assert "Vous n'êtes membre d'aucune organisation" in text(client.get(HOME))
