"""A manager invites a colleague by e-mail; the invitation is accepted when the colleague
signs in with ProConnect under the same SIRET."""

import pytest

from solidaire.accounts.models import User
from solidaire.accounts.signals import proconnect_signed_in
from solidaire.organisations.models import OrganisationInvitation, OrganisationMember
from solidaire.outbox.models import Delivery
from tests.organisations.factories import make_member, text

pytestmark = pytest.mark.django_db
INVITE = "/organisation/membres/inviter/"


def test_an_invitation_is_mailed_then_accepted_at_sign_in(mairie_member, client):
    response = mairie_member.client.post(
        INVITE, {"email": "Paul@Mairie-Calais.test", "role": "member"}
    )
    assert response.status_code == 302
    invitation = OrganisationInvitation.objects.get()
    assert invitation.email == "paul@mairie-calais.test"
    delivery = Delivery.objects.get(kind="organisation_invitation")
    assert delivery.address == "paul@mairie-calais.test"
    assert "Mairie de Calais" in delivery.body and "ProConnect" in delivery.body
    paul = User.objects.create_user(username="paul", email="paul@mairie-calais.test")
    proconnect_signed_in.send(
        sender=User,
        user=paul,
        claims={"siret": mairie_member.organisation.siret, "email": paul.email},
        request=None,
    )
    assert OrganisationMember.objects.get(user=paul).accepted_at is not None
    client.force_login(paul)
    assert "Vos initiatives" in text(client.get("/organisation/"))


def test_a_bad_address_is_refused_in_french_and_kept(mairie_member):
    response = mairie_member.client.post(INVITE, {"email": "paul@", "role": "member"})
    assert response.status_code == 400
    page = text(response)
    assert "Saisissez une adresse e-mail valide" in page and 'value="paul@"' in page
    assert not OrganisationInvitation.objects.exists()


def test_an_existing_member_is_not_invited_again(mairie_member):
    response = mairie_member.client.post(
        INVITE, {"email": mairie_member.user.email, "role": "member"}
    )
    assert response.status_code == 400
    assert "déjà membre" in text(response)


def test_inviting_a_colleague_who_asked_to_join_accepts_them(mairie_member):
    waiting = make_member(mairie_member.organisation, "paul", role="member", accepted=False)
    mairie_member.client.post(INVITE, {"email": waiting.user.email, "role": "manager"})
    waiting.refresh_from_db()
    assert waiting.accepted_at is not None and waiting.role == "manager"


def test_only_managers_invite(mairie_member, client):
    member = make_member(mairie_member.organisation, "simple", role="member")
    client.force_login(member.user)
    assert client.post(INVITE, {"email": "x@mairie.test", "role": "member"}).status_code == 403
    assert "Inviter un collègue" not in text(client.get("/organisation/"))
    assert not OrganisationInvitation.objects.exists()
